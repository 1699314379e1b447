-- Statements behind bringing data in safely: change batches (import, edit) and their undo, the audit trail's
-- scope, the publish lock, and the read models of the 数据管理 and 审计日志 pages.

-- name: next_audit_id
-- Returns the next free audit id (from the sequence `audit_ids`: two writers never get the same id).
SELECT nextval('audit_ids') AS id;

-- name: insert_audit_scope
-- Records which (period, entity) pairs an audit row touches, from the registered view `scope_units`.
INSERT INTO audit_scope SELECT DISTINCT $audit_id, period, entity FROM scope_units;

-- name: unit_observations
-- Returns the stored observation rows of the (period, entity) pairs in the registered view `incoming_units`.
SELECT o.period, o.grp AS "group", o.entity, o.indicator, o.item, o.value, o.ref, o.note, o.line, o.batch_id
FROM observations o JOIN incoming_units u ON u.period = o.period AND u.entity = o.entity
WHERE o.scheme = $scheme;

-- name: other_units_observations
-- Returns the stored rows of the periods in `wanted_periods` whose units are not in `incoming_units`.
SELECT o.period, o.grp AS "group", o.entity, o.indicator, o.item, o.value, o.ref, o.note, o.line
FROM observations o JOIN wanted_periods w ON w.period = o.period
WHERE o.scheme = $scheme
  AND NOT EXISTS (SELECT 1 FROM incoming_units u WHERE u.period = o.period AND u.entity = o.entity);

-- name: save_replaced
-- Keeps the stored rows of the pairs in `incoming_units` under a batch id, so undo can restore them.
INSERT INTO replaced_observations
SELECT $batch_id, o.scheme, o.period, o.grp, o.entity, o.indicator, o.item, o.value, o.ref, o.note, o.line, o.batch_id
FROM observations o JOIN incoming_units u ON u.period = o.period AND u.entity = o.entity
WHERE o.scheme = $scheme;

-- name: insert_batch_units
-- Records the (period, entity) pairs a batch replaced (registered view `incoming_units`).
INSERT INTO batch_units SELECT DISTINCT $batch_id, $scheme, period, entity, FALSE FROM incoming_units;

-- name: last_change
-- Returns the latest change batch of a period that is not undone yet (what undo would revert), if any.
SELECT b.batch_id, b.kind, b.source, b.who, b.ts, b.why, count(*) AS n_units
FROM batch_units u JOIN batches b ON b.batch_id = u.batch_id
WHERE u.scheme = $scheme AND u.period = $period AND NOT u.undone
GROUP BY ALL ORDER BY b.batch_id DESC LIMIT 1;

-- name: batch_period_observations
-- Returns the current rows of the units a batch replaced in one period (what undo removes).
SELECT o.period, o.grp AS "group", o.entity, o.indicator, o.item, o.value, o.ref, o.note, o.line
FROM observations o
WHERE o.scheme = $scheme AND o.period = $period
  AND o.entity IN (SELECT entity FROM batch_units WHERE batch_id = $batch_id AND period = $period);

-- name: replaced_period_observations
-- Returns the rows a batch replaced in one period (what undo restores).
SELECT period, grp AS "group", entity, indicator, item, value, ref, note, line
FROM replaced_observations WHERE batch_id = $batch_id AND period = $period;

-- name: undo_batch_period
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

-- name: period_has_observations
-- Returns the number of stored observation rows of a period.
SELECT count(*) AS n FROM observations WHERE scheme = $scheme AND period = $period;

-- name: publication
-- Returns a period's publication (published league as JSON, who, when, open or locked), if any.
SELECT period, published_at, who, why, is_open, league_json, rubric_version, reopened_at, reopened_by, reopen_why
FROM publications WHERE scheme = $scheme AND period = $period;

-- name: publications_of
-- Returns the publication state of every published period of a scheme.
SELECT period, published_at, who, is_open, reopened_at, reopened_by, reopen_why
FROM publications WHERE scheme = $scheme ORDER BY period;

-- name: save_publication
-- Publishes (or republishes) a period: keeps the league table as published and locks the period.
INSERT INTO publications (scheme, period, published_at, who, is_open, league_json, why, rubric_version,
                          reopened_at, reopened_by, reopen_why)
VALUES ($scheme, $period, now()::TIMESTAMP, $who, FALSE, $league_json, $why, $rubric_version, NULL, NULL, NULL)
ON CONFLICT (scheme, period) DO UPDATE SET published_at = excluded.published_at, who = excluded.who,
       is_open = FALSE, league_json = excluded.league_json, why = excluded.why,
       rubric_version = excluded.rubric_version, reopened_at = NULL, reopened_by = NULL, reopen_why = NULL;

-- name: reopen_publication
-- Unlocks a published period (the published table is kept) with who and why.
UPDATE publications SET is_open = TRUE, reopened_at = now()::TIMESTAMP, reopened_by = $who, reopen_why = $why
WHERE scheme = $scheme AND period = $period;

-- name: fact_periods
-- Returns the periods of a scheme that have stored observations, newest first.
SELECT DISTINCT period FROM observations WHERE scheme = $scheme ORDER BY period DESC;

-- name: fact_units
-- Returns the units with stored observations in a period, by name.
SELECT DISTINCT entity FROM observations WHERE scheme = $scheme AND period = $period ORDER BY entity;

-- name: unit_facts
-- Returns one unit's stored facts in a period for the table editor (indicator, item, value, ref, note).
SELECT indicator, item, value, ref, note FROM observations
WHERE scheme = $scheme AND period = $period AND entity = $entity
ORDER BY indicator, item, ref, value;

-- name: scheme_units
-- Returns the units a scheme's store knows (entity and group), by name.
SELECT entity, grp AS "group" FROM entities WHERE scheme = $scheme ORDER BY entity;

-- name: audit_rows
-- Returns audit rows of a scheme, newest first, filtered by period and unit through their scope (empty = all).
SELECT a.audit_id, a.ts, a.who, a.action, a.period, a.entity, a.detail, a.why
FROM audit a
WHERE ($scheme = '' OR a.scheme = $scheme)
  AND ($period = '' OR EXISTS (SELECT 1 FROM audit_scope s WHERE s.audit_id = a.audit_id AND s.period = $period))
  AND ($entity = '' OR EXISTS (SELECT 1 FROM audit_scope s WHERE s.audit_id = a.audit_id AND s.entity = $entity))
ORDER BY a.audit_id DESC
LIMIT $limit;

-- name: audit_scope_values
-- Returns the periods and units that audit rows of a scheme touch (for the audit page's filters).
SELECT DISTINCT s.period, s.entity FROM audit_scope s JOIN audit a ON a.audit_id = s.audit_id
WHERE ($scheme = '' OR a.scheme = $scheme);

-- name: store_tables
-- Returns the name of every table of the store (for backup and restore).
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name;

-- name: stored_schemes
-- Returns the schemes whose rubric the store holds (schemes that have had data), by id.
SELECT scheme FROM rubrics ORDER BY scheme;

-- name: prune_entities
-- Removes from the roster the units of a batch that have no stored facts left in the scheme (after an undo).
DELETE FROM entities e WHERE e.scheme = $scheme
  AND e.entity IN (SELECT entity FROM batch_units WHERE batch_id = $batch_id)
  AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.scheme = e.scheme AND o.entity = e.entity);
