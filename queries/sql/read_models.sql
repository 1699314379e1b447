-- name: schemes
-- Returns the schemes that have results, with their number of periods and whether data is demo data.
SELECT r.scheme, count(DISTINCT r.period) AS n_periods,
       bool_or(coalesce(e.is_demo, FALSE)) AS is_demo
FROM results r LEFT JOIN entities e ON e.scheme = r.scheme AND e.entity = r.entity
GROUP BY r.scheme ORDER BY r.scheme;

-- name: periods
-- Returns the periods of a scheme that have results, oldest first.
SELECT DISTINCT period FROM results WHERE scheme = $scheme ORDER BY period;

-- name: groups
-- Returns the groups (units of competition) of a scheme in a period.
SELECT DISTINCT grp FROM results WHERE scheme = $scheme AND period = $period ORDER BY grp;

-- name: entity_detail
-- Returns one unit's per-indicator points, max, lost points, reason and place (rank ladders) in a period.
SELECT indicator, category, kind, points, max, lost, reason, place
FROM results_indicator
WHERE scheme = $scheme AND period = $period AND entity = $entity;

-- name: entity_history
-- Returns one unit's final, rank, grade and flag in every period, with the group median and leader's final.
WITH mine AS (
    SELECT period, grp FROM results WHERE scheme = $scheme AND entity = $entity
), g AS (  -- only the unit's own groups: cheap on a national store
    SELECT o.period, o.grp, median(o.final) AS median_final, max(o.final) AS leader_final, count(*) AS n_units
    FROM results o JOIN mine m ON m.period = o.period AND m.grp = o.grp
    WHERE o.scheme = $scheme GROUP BY o.period, o.grp
)
SELECT r.period, r.grp, r.final, r.rank, r.grade, r.flag, g.median_final, g.leader_final, g.n_units
FROM results r JOIN g ON g.period = r.period AND g.grp = r.grp
WHERE r.scheme = $scheme AND r.entity = $entity
ORDER BY r.period;

-- name: trend_totals
-- Returns final, rank, grade, flag of every unit in every period of a scheme (the analyst's base slice).
SELECT period, grp, entity, base, bonus, penalty, final, rank, grade, flag
FROM results WHERE scheme = $scheme ORDER BY period, grp, rank;

-- name: trend_indicators
-- Returns every unit's points and lost points per indicator and category in every period of a scheme.
SELECT period, grp, entity, indicator, category, kind, points, max, lost
FROM results_indicator WHERE scheme = $scheme ORDER BY period, entity, indicator;

-- name: observations_of
-- Returns the stored observation rows of one unit in one period (the facts behind its score).
SELECT period, entity, indicator, item, value, ref, note, grp AS "group"
FROM observations WHERE scheme = $scheme AND period = $period AND entity = $entity
ORDER BY indicator, item;
