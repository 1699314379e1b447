-- Read models of a unit against others (the town page's comparison and its lost-points matrix).

-- name: points_of_units*
-- Returns per-indicator points and max of the listed units in a period (points only: no facts, reasons or notes).
SELECT entity, indicator, points, max FROM results_indicator
WHERE scheme = $scheme AND period = $period AND list_contains($entities, entity);

-- name: unit_losses*
-- Returns one unit's lost points per indicator (base and score indicators) and deductions (penalties, as a
-- positive amount) in every period it was scored.
SELECT period, indicator, kind, CASE WHEN kind = 'penalty' THEN -points ELSE lost END AS lost
FROM results_indicator
WHERE scheme = $scheme AND entity = $entity AND kind IN ('base', 'score', 'penalty');
