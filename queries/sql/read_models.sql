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

-- name: league
-- Returns a period's league table: one row per unit with totals, rank, grade, flag and the rank change
-- versus $prev_period (the previous period in time order, given by the caller; positive = moved up), plus
-- whether the unit is demo data.
SELECT r.period, r.grp, r.entity, r.base, r.bonus, r.penalty, r.final, r.rank, r.grade, r.flag, r.award_note,
       p.rank AS prev_rank, p.rank - r.rank AS rank_change, coalesce(e.is_demo, FALSE) AS is_demo
FROM results r
LEFT JOIN results p ON p.scheme = r.scheme AND p.entity = r.entity AND p.period = $prev_period
LEFT JOIN entities e ON e.scheme = r.scheme AND e.entity = r.entity
WHERE r.scheme = $scheme AND r.period = $period
ORDER BY r.grp, r.rank, r.entity;

-- name: components
-- Returns the component scores (e.g. daily, showcase) of every unit in a period, long format.
SELECT entity, component, value FROM result_components
WHERE scheme = $scheme AND period = $period;

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

-- name: observations_period
-- Returns every stored observation row of a period, in the interchange format.
SELECT period, entity, indicator, item, value, ref, note, grp AS "group"
FROM observations WHERE scheme = $scheme AND period = $period
ORDER BY entity, indicator, item;

-- name: decisions
-- Returns the office's recorded award decisions of a scheme (who decided a pending flag, and why).
SELECT period, grp, entity, who, why, ts FROM award_decisions WHERE scheme = $scheme ORDER BY period;

-- name: audit_log
-- Returns audit rows, newest first, optionally filtered by scheme, period and entity (empty = all).
SELECT audit_id, ts, who, action, scheme, period, entity, detail, why FROM audit
WHERE ($scheme = '' OR scheme = $scheme) AND ($period = '' OR period = $period)
  AND ($entity = '' OR entity = $entity)
ORDER BY audit_id DESC;

-- name: league_group
-- Returns the league table of one group in a period (one row per unit: totals, rank, grade, flag) with the
-- rank change versus $prev_period (the previous period in time order, given by the caller; positive = moved
-- up): a district's view of a provincial or national store.
WITH mine AS (
    SELECT * FROM results WHERE scheme = $scheme AND period = $period AND grp = $grp
), before AS (  -- the previous ranks of this group's units only (not a join over the whole store)
    SELECT entity, rank FROM results
    WHERE scheme = $scheme AND period = $prev_period AND entity IN (SELECT entity FROM mine)
)
SELECT r.period, r.grp, r.entity, r.base, r.bonus, r.penalty, r.final, r.rank, r.grade, r.flag, r.award_note,
       b.rank AS prev_rank, b.rank - r.rank AS rank_change
FROM mine r LEFT JOIN before b ON b.entity = r.entity
ORDER BY r.rank, r.entity;

-- name: indicator_by_group
-- Returns one indicator across every group of a period: per group the number of units, the mean, lowest and
-- highest points, and the mean points lost (the analyst's national comparison of districts).
SELECT grp, count(*) AS n_units, avg(points) AS mean_points, min(points) AS min_points, max(points) AS max_points,
       avg(lost) AS mean_lost
FROM results_indicator WHERE scheme = $scheme AND period = $period AND indicator = $indicator
GROUP BY grp ORDER BY grp;
