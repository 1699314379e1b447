-- Read models behind the dashboard pages (shaped further in queries/read_models.py and friends).

-- name: data_version
-- Returns one row (version): a number that changes whenever the store is written (imports, decisions, rescoring).
SELECT (SELECT coalesce(max(audit_id), 0) FROM audit) * 1000003
       + (SELECT count(*) FROM results) * 7
       + (SELECT count(*) FROM award_decisions) AS version;

-- name: rank_trail
-- Returns period, entity, rank and final of every unit of a group in every period (time order is the caller's).
SELECT period, entity, rank, final FROM results
WHERE scheme = $scheme AND grp = $grp
ORDER BY period, entity;

-- name: trend_components
-- Returns every unit's component scores (e.g. daily, showcase) in every period of a scheme, long format.
SELECT c.period, r.grp, c.entity, c.component, c.value
FROM result_components c
JOIN results r ON r.scheme = c.scheme AND r.period = c.period AND r.entity = c.entity
WHERE c.scheme = $scheme
ORDER BY c.period, c.entity, c.component;

-- name: group_flags
-- Returns, per period of a group, the unit(s) marked with an award (red flag or pending) and their final.
SELECT period, entity, flag, final, award_note FROM results
WHERE scheme = $scheme AND grp = $grp AND flag <> ''
ORDER BY period, entity;

-- name: group_periods
-- Returns the periods in which a group of a scheme has results, oldest first.
SELECT DISTINCT period FROM results WHERE scheme = $scheme AND grp = $grp ORDER BY period;

-- name: group_annual
-- Returns per unit of a group and year: mean of the finals scored that year, periods scored, grades and flags held.
SELECT substr(period, 1, 4) AS year, entity, avg(final) AS mean_final, count(*) AS n_periods,
       count(*) FILTER (WHERE grade <> '') AS n_graded, count(*) FILTER (WHERE flag = $mark) AS n_flags
FROM results WHERE scheme = $scheme AND grp = $grp
GROUP BY year, entity ORDER BY year, mean_final DESC, entity;

-- name: period_decision
-- Returns the office's recorded award decision (who, why, when) for one period and group, if any.
SELECT entity, who, why, ts FROM award_decisions
WHERE scheme = $scheme AND period = $period AND grp = $grp;
