-- name: create_schema
-- Creates every table of the store (idempotent).
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS entities (
    scheme VARCHAR NOT NULL, entity VARCHAR NOT NULL, kind VARCHAR, grp VARCHAR NOT NULL DEFAULT '',
    parent VARCHAR, is_demo BOOLEAN NOT NULL DEFAULT FALSE, PRIMARY KEY (scheme, entity));
CREATE TABLE IF NOT EXISTS batches (
    batch_id BIGINT PRIMARY KEY, scheme VARCHAR NOT NULL, source VARCHAR, who VARCHAR, ts TIMESTAMP,
    n_rows BIGINT, is_demo BOOLEAN NOT NULL DEFAULT FALSE, undone BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE IF NOT EXISTS observations (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, grp VARCHAR NOT NULL DEFAULT '', entity VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL, item VARCHAR NOT NULL, value VARCHAR NOT NULL, ref VARCHAR NOT NULL DEFAULT '',
    note VARCHAR NOT NULL DEFAULT '', line VARCHAR, batch_id BIGINT);
CREATE TABLE IF NOT EXISTS results_indicator (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, grp VARCHAR NOT NULL, entity VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL, category VARCHAR, kind VARCHAR, points DOUBLE, max DOUBLE, lost DOUBLE,
    reason VARCHAR, place DOUBLE);
CREATE TABLE IF NOT EXISTS results (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, grp VARCHAR NOT NULL, entity VARCHAR NOT NULL,
    base DOUBLE, bonus DOUBLE, penalty DOUBLE, final DOUBLE, rank INTEGER, grade VARCHAR, flag VARCHAR,
    award_note VARCHAR);
CREATE TABLE IF NOT EXISTS result_components (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, entity VARCHAR NOT NULL, component VARCHAR NOT NULL,
    value DOUBLE);
CREATE TABLE IF NOT EXISTS award_decisions (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, grp VARCHAR NOT NULL, entity VARCHAR NOT NULL,
    who VARCHAR NOT NULL, why VARCHAR NOT NULL, ts TIMESTAMP, PRIMARY KEY (scheme, period, grp));
CREATE TABLE IF NOT EXISTS audit (
    audit_id BIGINT, ts TIMESTAMP, who VARCHAR, action VARCHAR, scheme VARCHAR, period VARCHAR,
    entity VARCHAR, detail VARCHAR, why VARCHAR);
CREATE TABLE IF NOT EXISTS publications (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, published_at TIMESTAMP, who VARCHAR,
    is_open BOOLEAN NOT NULL DEFAULT FALSE, league_json VARCHAR, PRIMARY KEY (scheme, period));
CREATE TABLE IF NOT EXISTS rubrics (scheme VARCHAR PRIMARY KEY, version INTEGER, yaml VARCHAR, loaded_at TIMESTAMP);
-- issue 4 (bring data in safely): batches know their kind and reason; each batch keeps the units it
-- replaced and the rows it replaced (so undo restores them exactly); audit rows name the units they touch;
-- a publication keeps who reopened it and why. ALTER ... IF NOT EXISTS migrates stores made before.
ALTER TABLE batches ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'import';
ALTER TABLE batches ADD COLUMN IF NOT EXISTS why VARCHAR DEFAULT '';
CREATE TABLE IF NOT EXISTS batch_units (
    batch_id BIGINT NOT NULL, scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, entity VARCHAR NOT NULL,
    undone BOOLEAN NOT NULL DEFAULT FALSE, PRIMARY KEY (batch_id, period, entity));
CREATE TABLE IF NOT EXISTS replaced_observations (
    batch_id BIGINT NOT NULL, scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, grp VARCHAR NOT NULL DEFAULT '',
    entity VARCHAR NOT NULL, indicator VARCHAR NOT NULL, item VARCHAR NOT NULL, value VARCHAR NOT NULL,
    ref VARCHAR NOT NULL DEFAULT '', note VARCHAR NOT NULL DEFAULT '', line VARCHAR, orig_batch_id BIGINT);
CREATE TABLE IF NOT EXISTS audit_scope (audit_id BIGINT NOT NULL, period VARCHAR NOT NULL, entity VARCHAR NOT NULL);
ALTER TABLE publications ADD COLUMN IF NOT EXISTS why VARCHAR DEFAULT '';
ALTER TABLE publications ADD COLUMN IF NOT EXISTS rubric_version INTEGER;
ALTER TABLE publications ADD COLUMN IF NOT EXISTS reopened_at TIMESTAMP;
ALTER TABLE publications ADD COLUMN IF NOT EXISTS reopened_by VARCHAR;
ALTER TABLE publications ADD COLUMN IF NOT EXISTS reopen_why VARCHAR;
