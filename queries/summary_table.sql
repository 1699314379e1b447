-- Read models of the 考核得分汇总表 (the analyst's unit × indicator table per period).

-- name: summary_points*
-- Returns every unit's points per indicator in the listed periods of a group.
SELECT period, entity, indicator, points FROM results_indicator
WHERE scheme = $scheme AND grp = $grp AND list_contains($periods, period);

-- name: summary_totals*
-- Returns every unit's final, rank and grade in the listed periods of a group.
SELECT period, entity, final, rank, grade FROM results
WHERE scheme = $scheme AND grp = $grp AND list_contains($periods, period);

-- name: summary_components*
-- Returns every unit's component scores (e.g. 日常评估, 风采展示) in the listed periods of a group.
SELECT c.period, c.entity, c.component, c.value
FROM result_components c
JOIN results r ON r.scheme = c.scheme AND r.period = c.period AND r.entity = c.entity
WHERE c.scheme = $scheme AND r.grp = $grp AND list_contains($periods, c.period);
