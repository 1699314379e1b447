-- Read models of one unit (the town page).

-- name: entity_detail*
-- Returns one unit's per-indicator points, max, lost points and place (rank ladders) in a period, in rubric order
-- (the reasons are rendered from its facts: queries.store.scorer.render_reasons).
SELECT indicator, category, kind, points, max, lost, place
FROM results_indicator
WHERE scheme = $scheme AND period = $period AND entity = $entity
ORDER BY ord;

-- name: entity_history*
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
