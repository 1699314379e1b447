-- The results tables (results, result_points, result_components): replacing a period's or a group's
-- results, and reading a period's league back. Per-indicator results are read through the view results_indicator.

-- name: delete_period_results#
-- Removes the results of one period before they are rewritten.
DELETE FROM results WHERE scheme = $scheme AND period = $period;
DELETE FROM result_warnings WHERE scheme = $scheme AND period = $period;
DELETE FROM result_points WHERE scheme = $scheme AND period = $period;
DELETE FROM result_components WHERE scheme = $scheme AND period = $period;

-- name: delete_group_results#
-- Removes the results of one group in one period before they are rewritten.
DELETE FROM result_components WHERE scheme = $scheme AND period = $period
  AND entity IN (SELECT entity FROM results WHERE scheme = $scheme AND period = $period AND grp = $grp);
DELETE FROM result_points WHERE scheme = $scheme AND period = $period
  AND entity IN (SELECT entity FROM results WHERE scheme = $scheme AND period = $period AND grp = $grp);
DELETE FROM results WHERE scheme = $scheme AND period = $period AND grp = $grp;

-- name: insert_results!
-- Writes league rows from the registered view `new_results`, naming the rubric version they were scored with.
INSERT INTO results (scheme, period, grp, entity, base, bonus, penalty, final, rank, grade, flag, award_note,
                     rubric_version)
SELECT $scheme, period, "group", entity, base, bonus, penalty, final, rank, grade, flag, award_note, $version
FROM new_results;

-- name: insert_points!
-- Writes the lean per-indicator rows (entity, indicator's place in the rubric, points, place) of one period from
-- the registered view `new_points`.
INSERT INTO result_points SELECT $scheme, $period, entity, ord, points, place FROM new_points;

-- name: insert_components!
-- Writes component scores (long format) from the registered view `new_components`.
INSERT INTO result_components SELECT $scheme, period, entity, component, value FROM new_components;

-- name: result_periods*
-- Returns the periods of a scheme that have results (text order; the caller puts them in time order).
SELECT DISTINCT period FROM results WHERE scheme = $scheme ORDER BY period;

-- name: league*
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

-- name: components*
-- Returns the component scores (e.g. daily, showcase) of every unit in a period, long format.
SELECT entity, component, value FROM result_components
WHERE scheme = $scheme AND period = $period;

-- name: clear_stored_problems!
-- Forgets the listed problems of a period's stored facts (the period has just scored).
DELETE FROM stored_problems WHERE scheme = $scheme AND period = $period;

-- name: insert_warnings!
-- Keeps the warnings of readings that decided an outcome (from the registered view `new_warnings`).
INSERT INTO result_warnings SELECT $scheme, period, "where", message FROM new_warnings;

-- name: delete_group_warnings!
-- Forgets the reading warnings of one group's units in a period (the group is rescored alone).
DELETE FROM result_warnings WHERE scheme = $scheme AND period = $period
  AND split_part("where", ' ', 2) IN (SELECT entity FROM results WHERE scheme = $scheme AND period = $period
                                     AND grp = $grp);
