-- Read models of the league table (the period's league itself is queries/store/results.sql: the publish
-- command reads it too).

-- name: schemes*
-- Returns the schemes that have results, with their number of periods and whether data is demo data.
SELECT r.scheme, count(DISTINCT r.period) AS n_periods,
       bool_or(coalesce(e.is_demo, FALSE)) AS is_demo
FROM results r LEFT JOIN entities e ON e.scheme = r.scheme AND e.entity = r.entity
GROUP BY r.scheme ORDER BY r.scheme;

-- name: groups*
-- Returns the groups (units of competition) of a scheme in a period.
SELECT DISTINCT grp FROM results WHERE scheme = $scheme AND period = $period ORDER BY grp;

-- name: rank_trail*
-- Returns period, entity, rank and final of every unit of a group in every period (time order is the caller's).
SELECT period, entity, rank, final FROM results
WHERE scheme = $scheme AND grp = $grp
ORDER BY period, entity;

-- name: reading_warnings*
-- Returns the warnings of readings that decided an outcome when a period was scored (where, message), by unit.
SELECT "where", message FROM result_warnings WHERE scheme = $scheme AND period = $period ORDER BY "where";
