-- Change batches: an import or an edit replaces the facts of some (period, entity) pairs as one batch that
-- keeps the rows it replaced, so undo can restore them exactly.

-- name: save_replaced!
-- Keeps the stored rows of the pairs in `incoming_units` under a batch id, so undo can restore them.
INSERT INTO replaced_observations
SELECT $batch_id, o.scheme, o.period, o.grp, o.entity, o.indicator, o.item, o.value, o.ref, o.note, o.line, o.batch_id
FROM observations o JOIN incoming_units u ON u.period = o.period AND u.entity = o.entity
WHERE o.scheme = $scheme;

-- name: insert_batch_units!
-- Records the (period, entity) pairs a batch replaced (registered view `incoming_units`).
INSERT INTO batch_units SELECT DISTINCT $batch_id, $scheme, period, entity, FALSE FROM incoming_units;

-- name: last_change^
-- Returns the latest change batch of a period that is not undone yet (what undo would revert), if any.
SELECT b.batch_id, b.kind, b.source, b.who, b.ts, b.why, count(*) AS n_units
FROM batch_units u JOIN batches b ON b.batch_id = u.batch_id
WHERE u.scheme = $scheme AND u.period = $period AND NOT u.undone
GROUP BY ALL ORDER BY b.batch_id DESC LIMIT 1;

-- name: batch_period_observations*
-- Returns the current rows of the units a batch replaced in one period (what undo removes).
SELECT o.period, o.grp AS "group", o.entity, o.indicator, o.item, o.value, o.ref, o.note, o.line
FROM observations o
WHERE o.scheme = $scheme AND o.period = $period
  AND o.entity IN (SELECT entity FROM batch_units WHERE batch_id = $batch_id AND period = $period);

-- name: replaced_period_observations*
-- Returns the rows a batch replaced in one period (what undo restores).
SELECT period, grp AS "group", entity, indicator, item, value, ref, note, line
FROM replaced_observations WHERE batch_id = $batch_id AND period = $period;

-- name: undo_batch_period#
-- Reverts one period of a batch: its units' current rows go, the rows it replaced come back exactly.
DELETE FROM observations
WHERE scheme = $scheme AND period = $period
  AND entity IN (SELECT entity FROM batch_units WHERE batch_id = $batch_id AND period = $period);
INSERT INTO observations
SELECT scheme, period, grp, entity, indicator, item, value, ref, note, line, orig_batch_id
FROM replaced_observations WHERE batch_id = $batch_id AND period = $period;
UPDATE batch_units SET undone = TRUE WHERE batch_id = $batch_id AND period = $period;
UPDATE batches SET undone = TRUE
WHERE batch_id = $batch_id AND NOT EXISTS (SELECT 1 FROM batch_units WHERE batch_id = $batch_id AND NOT undone);

-- name: prune_entities!
-- Removes from the roster the units of a batch that have no stored facts left in the scheme (after an undo).
DELETE FROM entities e WHERE e.scheme = $scheme
  AND e.entity IN (SELECT entity FROM batch_units WHERE batch_id = $batch_id)
  AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.scheme = e.scheme AND o.entity = e.entity);

-- name: delete_unit_periods!
-- Removes the observations of the (period, entity) pairs in the registered view `incoming_units`.
DELETE FROM observations o WHERE o.scheme = $scheme
  AND EXISTS (SELECT 1 FROM incoming_units u WHERE u.period = o.period AND u.entity = o.entity);

-- name: insert_observations!
-- Appends the rows of the registered view `incoming` (interchange format + line) as one batch.
INSERT INTO observations
SELECT $scheme, period, "group", entity, indicator, item, value, ref, note, line, $batch_id FROM incoming;

-- name: upsert_entities!
-- Adds the units of the registered view `incoming_units` to the roster (existing ones keep their data).
INSERT INTO entities (scheme, entity, kind, grp, parent, is_demo)
SELECT DISTINCT $scheme, entity, $kind, "group", NULL, $is_demo FROM incoming_units
ON CONFLICT (scheme, entity) DO UPDATE SET grp = excluded.grp;

-- name: insert_batch!
-- Records one change batch (kind: import, edit or bulk) with who, why and how many rows it brought.
INSERT INTO batches (batch_id, scheme, source, who, ts, n_rows, is_demo, undone, kind, why)
VALUES ($batch_id, $scheme, $source, $who, now()::TIMESTAMP, $n_rows, $is_demo, FALSE, $kind, $why);

-- name: next_batch_id$
-- Returns the next free batch id (from the sequence `batch_ids`: two writers never get the same id).
SELECT nextval('batch_ids') AS id;
