-- Statements behind bringing data in safely: change batches (import, edit) and their undo, the audit trail's
-- scope, the publish lock, and the read models of the 数据管理 and 审计日志 pages.

-- name: period_has_observations
-- Returns the number of stored observation rows of a period.
SELECT count(*) AS n FROM observations WHERE scheme = $scheme AND period = $period;

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
