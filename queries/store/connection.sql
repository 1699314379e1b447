-- The store's schema and its migrations, run when a store is opened for writing (see connection.py).

-- name: create_schema#
-- Creates every table of the store (idempotent); ALTER ... IF NOT EXISTS migrates stores made before.
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
-- issue 10 (one write door): an audit row says where the write came from (dashboard, cli, python, system).
ALTER TABLE audit ADD COLUMN IF NOT EXISTS via VARCHAR DEFAULT '';
-- issue 13 (a notice that can be issued): the 发文单位 and 落款 of each scheme's notices.
CREATE TABLE IF NOT EXISTS notice_settings (
    scheme VARCHAR PRIMARY KEY, issuer VARCHAR NOT NULL, signature VARCHAR NOT NULL, ts TIMESTAMP);
-- issue 10 (speed): every rubric version is kept, and its indicators as rows (the results views join them);
-- a period's results name the version they were scored with; per-indicator results are lean (points and place
-- per unit and indicator: group, category, kind, max and lost follow from the unit and the version; reasons are
-- rendered when read, from the unit's facts and its place).
CREATE TABLE IF NOT EXISTS rubric_versions (
    scheme VARCHAR NOT NULL, version INTEGER NOT NULL, yaml VARCHAR, loaded_at TIMESTAMP,
    PRIMARY KEY (scheme, version));
CREATE TABLE IF NOT EXISTS rubric_indicators (
    scheme VARCHAR NOT NULL, version INTEGER NOT NULL, ord SMALLINT NOT NULL, indicator VARCHAR NOT NULL,
    name VARCHAR, category VARCHAR, kind VARCHAR, max DOUBLE, PRIMARY KEY (scheme, version, ord));
CREATE TABLE IF NOT EXISTS result_points (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, entity VARCHAR NOT NULL, ord SMALLINT NOT NULL, points DOUBLE,
    place DOUBLE);
ALTER TABLE results ADD COLUMN IF NOT EXISTS rubric_version INTEGER;
-- issue 9 (exactness): stored values the engine now refuses (有/无 as a flag), listed for the office to fix.
CREATE TABLE IF NOT EXISTS stored_problems (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, entity VARCHAR NOT NULL, indicator VARCHAR NOT NULL,
    item VARCHAR NOT NULL, value VARCHAR, message VARCHAR);

-- issue 9: warnings of readings that decided an outcome when a period was scored (a cap reading, a netting),
-- kept with the period's results so every page can show them (rewritten whenever the period is scored).
CREATE TABLE IF NOT EXISTS result_warnings (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, "where" VARCHAR, message VARCHAR);
-- issue 9: what the monthly tables do not hold, per contract year (Haikou's payout): the contract price and the
-- certification counts, entered by the office through the write door (audited), never page-only inputs.
CREATE TABLE IF NOT EXISTS contract_terms (
    scheme VARCHAR NOT NULL, window_id VARCHAR NOT NULL, price DOUBLE, target INTEGER, certified INTEGER,
    staff INTEGER, PRIMARY KEY (scheme, window_id));

-- issue 11 (accounts, roles, the publishing workflow): an audit row keeps the name a command-line user
-- declared (--who) beside the OS account; accounts with argon2 hashes and the units a town account sees;
-- sign-in attempts per client address (lockout); each period's status; the towns' objections (异议).
ALTER TABLE audit ADD COLUMN IF NOT EXISTS declared VARCHAR DEFAULT '';
CREATE TABLE IF NOT EXISTS accounts (
    name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE, must_change BOOLEAN NOT NULL DEFAULT TRUE,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE, created_at TIMESTAMP, password_changed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS account_units (
    name VARCHAR NOT NULL, scheme VARCHAR NOT NULL DEFAULT '', entity VARCHAR NOT NULL,
    PRIMARY KEY (name, scheme, entity));
CREATE TABLE IF NOT EXISTS login_attempts (client VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, ok BOOLEAN NOT NULL,
    name VARCHAR);
CREATE TABLE IF NOT EXISTS period_status (
    scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, status VARCHAR NOT NULL, review_until DATE,
    changed_at TIMESTAMP, changed_by VARCHAR, why VARCHAR, PRIMARY KEY (scheme, period));
CREATE TABLE IF NOT EXISTS objections (
    objection_id BIGINT PRIMARY KEY, scheme VARCHAR NOT NULL, period VARCHAR NOT NULL, entity VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL, text VARCHAR NOT NULL, filed_by VARCHAR, filed_at TIMESTAMP,
    status VARCHAR NOT NULL, answer VARCHAR, answered_by VARCHAR, answered_at TIMESTAMP, batch_id BIGINT);
-- a store made before period statuses: its published (locked) periods become 已发布, all others stay 草稿
-- (a period without a row is a draft)
INSERT INTO period_status
SELECT p.scheme, p.period, '已发布', NULL, p.published_at, p.who, p.why FROM publications p
WHERE NOT p.is_open AND NOT EXISTS (SELECT 1 FROM period_status s WHERE s.scheme = p.scheme AND s.period = p.period);

-- name: has_wide_results_table$
-- Returns 1 when the store still has the wide per-indicator results table of stores made before the lean one.
SELECT count(*) FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'results_indicator';

-- name: drop_results_view!
-- Drops the per-indicator results view (a restore loads an older backup's wide table of that name in its place).
DROP VIEW IF EXISTS results_indicator;

-- name: create_results_view#
-- The per-indicator results as readers see them: the lean points joined with the unit's group and the version's
-- indicators (max, kind, category); lost = max − points (base), −points (penalty), 0 (bonus). No reasons: they
-- are rendered when read (queries.store.scorer.render_reasons).
CREATE OR REPLACE VIEW results_indicator AS
SELECT p.scheme, p.period, r.grp, p.entity, i.indicator, i.category, i.kind, p.points, i.max,
       CASE i.kind WHEN 'penalty' THEN -p.points WHEN 'bonus' THEN 0.0 ELSE round(i.max - p.points, 4) END AS lost,
       p.place, p.ord
FROM result_points p
JOIN results r ON r.scheme = p.scheme AND r.period = p.period AND r.entity = p.entity
JOIN rubric_indicators i ON i.scheme = p.scheme AND i.version = r.rubric_version AND i.ord = p.ord;

-- name: id_sequences*
-- Returns, per id sequence (batch_ids for batches, audit_ids for audit, objection_ids for objections), the
-- highest id its table holds and
-- the value the sequence gives next (NULL when the sequence does not exist yet: a store made before them).
SELECT t.seq, t.max_id, s.next_id FROM (
    SELECT 'batch_ids' AS seq, (SELECT coalesce(max(batch_id), 0) FROM batches) AS max_id
    UNION ALL SELECT 'audit_ids', (SELECT coalesce(max(audit_id), 0) FROM audit)
    UNION ALL SELECT 'objection_ids', (SELECT coalesce(max(objection_id), 0) FROM objections)) t
LEFT JOIN (SELECT sequence_name, coalesce(last_value + 1, start_value) AS next_id FROM duckdb_sequences()
           WHERE database_name = current_database() AND schema_name = 'main') s ON s.sequence_name = t.seq
ORDER BY t.seq;

-- name: start_id_sequence!
-- Creates (or restarts) the id sequence {name} so that it gives {start} next. A template filled in by
-- connection.migrate with a fixed name and an integer (DuckDB's CREATE SEQUENCE takes no parameters).
CREATE OR REPLACE SEQUENCE {name} START WITH {start};

-- name: has_audit_id_index$
-- Returns the number of unique indexes named audit_id_unique (0 in a store made before audit ids were unique).
SELECT count(*) AS n FROM duckdb_indexes()
WHERE database_name = current_database() AND table_name = 'audit' AND index_name = 'audit_id_unique';

-- name: renumber_duplicate_audit_ids#
-- Gives every audit row that repeats an earlier row's audit id (a store written by two sessions at once
-- before ids were unique) a fresh id after the highest one; its scope rows are copied to the new id (they
-- cannot be told apart). Run before create_audit_id_index, in a transaction of its own.
CREATE TEMP TABLE audit_renumber AS
SELECT d.rid, d.audit_id AS old_id,
       (SELECT max(audit_id) FROM audit) + row_number() OVER (ORDER BY d.ts, d.rid) AS new_id
FROM (SELECT rowid AS rid, audit_id, ts, row_number() OVER (PARTITION BY audit_id ORDER BY ts, rowid) AS k
      FROM audit) d
WHERE d.k > 1;
INSERT INTO audit_scope SELECT DISTINCT r.new_id, s.period, s.entity
FROM audit_renumber r JOIN audit_scope s ON s.audit_id = r.old_id;
UPDATE audit SET audit_id = r.new_id FROM audit_renumber r WHERE audit.rowid = r.rid;
DROP TABLE audit_renumber;

-- name: create_audit_id_index!
-- Makes audit ids unique (two writers can never record the same id).
CREATE UNIQUE INDEX IF NOT EXISTS audit_id_unique ON audit (audit_id);

