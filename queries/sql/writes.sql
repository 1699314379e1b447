-- name: delete_unit_periods
-- Removes the observations of the (period, entity) pairs in the registered view `incoming_units`.
DELETE FROM observations o WHERE o.scheme = $scheme
  AND EXISTS (SELECT 1 FROM incoming_units u WHERE u.period = o.period AND u.entity = o.entity);

-- name: insert_observations
-- Appends the rows of the registered view `incoming` (interchange format + line) as one batch.
INSERT INTO observations
SELECT $scheme, period, "group", entity, indicator, item, value, ref, note, line, $batch_id FROM incoming;

-- name: upsert_entities
-- Adds the units of the registered view `incoming_units` to the roster (existing ones keep their data).
INSERT INTO entities (scheme, entity, kind, grp, parent, is_demo)
SELECT DISTINCT $scheme, entity, $kind, "group", NULL, $is_demo FROM incoming_units
ON CONFLICT (scheme, entity) DO UPDATE SET grp = excluded.grp;

-- name: insert_batch
-- Records one change batch (kind: import or edit) with who, why and how many rows it brought.
INSERT INTO batches (batch_id, scheme, source, who, ts, n_rows, is_demo, undone, kind, why)
VALUES ($batch_id, $scheme, $source, $who, now()::TIMESTAMP, $n_rows, $is_demo, FALSE, $kind, $why);

-- name: next_batch_id
-- Returns the next free batch id (from the sequence `batch_ids`: two writers never get the same id).
SELECT nextval('batch_ids') AS id;

-- name: insert_audit
-- Appends one audit row (when, who, what, why) under the id from `next_audit_id` (unique: index audit_id_unique).
INSERT INTO audit VALUES ($audit_id, now()::TIMESTAMP, $who, $action, $scheme, $period, $entity, $detail, $why);

-- name: period_observations
-- Returns the stored observations of some periods (registered view `wanted_periods`) for rescoring.
SELECT o.period, o.grp AS "group", o.entity, o.indicator, o.item, o.value, o.ref, o.note, o.line
FROM observations o JOIN wanted_periods w ON w.period = o.period
WHERE o.scheme = $scheme;

-- name: delete_results
-- Removes the results of some periods (registered view `wanted_periods`) before they are rewritten.
DELETE FROM results WHERE scheme = $scheme AND period IN (SELECT period FROM wanted_periods);
DELETE FROM results_indicator WHERE scheme = $scheme AND period IN (SELECT period FROM wanted_periods);
DELETE FROM result_components WHERE scheme = $scheme AND period IN (SELECT period FROM wanted_periods);

-- name: insert_results
-- Writes league rows from the registered view `new_results`.
INSERT INTO results SELECT $scheme, period, "group", entity, base, bonus, penalty, final, rank, grade, flag,
       award_note FROM new_results;

-- name: insert_results_indicator
-- Writes per-indicator rows from the registered view `new_detail`.
INSERT INTO results_indicator SELECT $scheme, period, "group", entity, indicator, category, kind, points, max, lost,
       reason, place FROM new_detail;

-- name: insert_components
-- Writes component scores (long format) from the registered view `new_components`.
INSERT INTO result_components SELECT $scheme, period, entity, component, value FROM new_components;

-- name: save_rubric
-- Stores the rubric file a scheme is scored with (so rescoring never depends on files on disk).
INSERT INTO rubrics VALUES ($scheme, $version, $yaml, now()::TIMESTAMP)
ON CONFLICT (scheme) DO UPDATE SET version = excluded.version, yaml = excluded.yaml, loaded_at = excluded.loaded_at;

-- name: rubric_yaml
-- Returns the stored rubric file of a scheme.
SELECT yaml FROM rubrics WHERE scheme = $scheme;

-- name: save_decision
-- Records (or replaces) the office's decision on a pending award.
INSERT INTO award_decisions VALUES ($scheme, $period, $grp, $entity, $who, $why, now()::TIMESTAMP)
ON CONFLICT (scheme, period, grp) DO UPDATE SET entity = excluded.entity, who = excluded.who, why = excluded.why,
       ts = excluded.ts;

-- name: decisions_of_periods
-- Returns recorded award decisions for some periods (registered view `wanted_periods`).
SELECT period, grp, entity FROM award_decisions
WHERE scheme = $scheme AND period IN (SELECT period FROM wanted_periods);
