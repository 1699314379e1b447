-- Objections (异议): a town objects to one of its indicators in a period in 公示; the office answers each.

-- name: next_objection_id$
-- Returns the next free objection id (from the sequence `objection_ids`).
SELECT nextval('objection_ids') AS id;

-- name: insert_objection!
-- Files one objection (status 待答复).
INSERT INTO objections (objection_id, scheme, period, entity, indicator, text, filed_by, filed_at, status)
VALUES ($objection_id, $scheme, $period, $entity, $indicator, $text, $who, now()::TIMESTAMP, '待答复');

-- name: objection^
-- Returns one objection, if it exists.
SELECT objection_id, scheme, period, entity, indicator, text, filed_by, filed_at, status, answer, answered_by,
       answered_at, batch_id
FROM objections WHERE objection_id = $objection_id;

-- name: answer_objection!
-- Records the office's answer (采纳 with the batch of its fact change, or 驳回 with a reason).
UPDATE objections SET status = $status, answer = $answer, answered_by = $who, answered_at = now()::TIMESTAMP,
       batch_id = $batch_id
WHERE objection_id = $objection_id;

-- name: has_unit$
-- Returns how many result rows one unit has in a period (0: the unit is not scored there).
SELECT count(*) AS n FROM results WHERE scheme = $scheme AND period = $period AND entity = $entity;
