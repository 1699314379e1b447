-- Statements of the write door: the audit row every write leaves (its id is the store's data version).

-- name: next_audit_id$
-- Returns the next free audit id (from the sequence `audit_ids`: two writers never get the same id).
SELECT nextval('audit_ids') AS id;

-- name: insert_audit!
-- Appends one audit row (when, who, from where, the name declared beside it, what, why) under the id from
-- `next_audit_id`.
INSERT INTO audit (audit_id, ts, who, action, scheme, period, entity, detail, why, via, declared)
VALUES ($audit_id, now()::TIMESTAMP, $who, $action, $scheme, $period, $entity, $detail, $why, $via, $declared);

-- name: insert_audit_scope!
-- Records which (period, entity) pairs an audit row touches, from the registered view `scope_units`.
INSERT INTO audit_scope SELECT DISTINCT $audit_id, period, entity FROM scope_units;

-- name: data_version$
-- Returns the id of the latest audit row: every write committed through the door leaves one, so this number
-- changes with every change of facts, results, decisions or publications (0 for an empty store).
SELECT coalesce(max(audit_id), 0) AS version FROM audit;
