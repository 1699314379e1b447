-- Read models of the trends page (and of the pages that look at every period: payout, phases, annual view).

-- name: trend_totals*
-- Returns final, rank, grade, flag of every unit in every period of a scheme (the analyst's base slice).
SELECT period, grp, entity, base, bonus, penalty, final, rank, grade, flag
FROM results WHERE scheme = $scheme ORDER BY period, grp, rank;

-- name: trend_indicators*
-- Returns every unit's points and lost points per indicator and category in every period of a scheme.
SELECT period, grp, entity, indicator, category, kind, points, max, lost
FROM results_indicator WHERE scheme = $scheme ORDER BY period, entity, indicator;

-- name: trend_components*
-- Returns every unit's component scores (e.g. daily, showcase) in every period of a scheme, long format.
SELECT c.period, r.grp, c.entity, c.component, c.value
FROM result_components c
JOIN results r ON r.scheme = c.scheme AND r.period = c.period AND r.entity = c.entity
WHERE c.scheme = $scheme
ORDER BY c.period, c.entity, c.component;
