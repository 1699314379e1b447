-- Read models of a period's life: objections as the pages show them.

-- name: objections_table*
-- Returns objections of a scheme, newest first, of one period and/or unit ('' = all): id, period, unit, indicator,
-- the town's reason, who filed it and when, status (待答复/采纳/驳回), the answer, who answered and when, and the
-- batch of the fact change an accepted objection made.
SELECT objection_id, period, entity, indicator, text, filed_by, filed_at, status, coalesce(answer, '') AS answer,
       coalesce(answered_by, '') AS answered_by, answered_at, batch_id
FROM objections
WHERE scheme = $scheme AND ($period = '' OR period = $period) AND ($entity = '' OR entity = $entity)
ORDER BY objection_id DESC;
