-- Read models of the red-flag selection page.

-- name: group_flags*
-- Returns, per period of a group, the unit(s) marked with an award (red flag or pending) and their final.
SELECT period, entity, flag, final, award_note FROM results
WHERE scheme = $scheme AND grp = $grp AND flag <> ''
ORDER BY period, entity;

-- name: group_periods*
-- Returns the periods in which a group of a scheme has results, oldest first.
SELECT DISTINCT period FROM results WHERE scheme = $scheme AND grp = $grp ORDER BY period;

-- name: group_annual*
-- Returns per unit of a group and year: mean of the finals scored that year in the listed periods (those of
-- record: an assessment phase's 自检 or 复检 is not averaged in), periods scored, grades and flags held.
SELECT substr(period, 1, 4) AS year, entity, avg(final) AS mean_final, count(*) AS n_periods,
       count(*) FILTER (WHERE grade <> '') AS n_graded, count(*) FILTER (WHERE flag = $mark) AS n_flags
FROM results WHERE scheme = $scheme AND grp = $grp AND list_contains($periods, period)
GROUP BY year, entity ORDER BY year, mean_final DESC, entity;

-- name: period_decision^
-- Returns the office's recorded award decision (who, why, when) for one period and group, if any.
SELECT entity, who, why, ts FROM award_decisions
WHERE scheme = $scheme AND period = $period AND grp = $grp;
