-- Statements only the national benchmark (and its test) runs: the baseline scan, the edit of one fact, and
-- the reads measured at national scale.

-- name: scan_baseline$
-- Returns the number of (period, entity) sums over every stored observation of a scheme: the cost of
-- touching all the data once (the benchmark's baseline).
SELECT count(*) AS n FROM (
    SELECT period, entity, sum(TRY_CAST(value AS DOUBLE)) AS total FROM observations
    WHERE scheme = $scheme GROUP BY period, entity);

-- name: set_fact_value!
-- Changes the value of one stored fact (the benchmark's "edit of one fact" before rescoring its group).
UPDATE observations SET value = $value
WHERE scheme = $scheme AND period = $period AND entity = $entity AND indicator = $indicator AND item = $item;

-- name: group_detail*
-- Returns the per-indicator rows of every unit of one group in a period (points, max, lost, place).
SELECT entity, indicator, category, kind, points, max, lost, place
FROM results_indicator WHERE scheme = $scheme AND period = $period AND grp = $grp;

-- name: floor!
-- The floor: what DuckDB alone takes to read every fact of a scheme, group it by (period, group, unit,
-- indicator) with the sum and the max of its numeric value, rank the sums within (period, group, indicator) and
-- write the result as a table.
CREATE OR REPLACE TABLE bench_floor AS
SELECT period, grp, entity, indicator, total, top,
       rank() OVER (PARTITION BY period, grp, indicator ORDER BY total DESC) AS place
FROM (SELECT period, grp, entity, indicator, sum(TRY_CAST(value AS DOUBLE)) AS total,
             max(TRY_CAST(value AS DOUBLE)) AS top
      FROM observations WHERE scheme = $scheme GROUP BY period, grp, entity, indicator);

-- name: drop_floor!
-- Removes the floor's table.
DROP TABLE bench_floor;

-- name: league_group*
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

-- name: indicator_by_group*
-- Returns one indicator across every group of a period: per group the number of units, the mean, lowest and
-- highest points, and the mean points lost (the analyst's national comparison of districts).
SELECT grp, count(*) AS n_units, avg(points) AS mean_points, min(points) AS min_points, max(points) AS max_points,
       avg(lost) AS mean_lost
FROM results_indicator WHERE scheme = $scheme AND period = $period AND indicator = $indicator
GROUP BY grp ORDER BY grp;
