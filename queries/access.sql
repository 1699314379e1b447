-- What an account may read: temporary views, on one reading cursor, that take the place of the store's tables
-- for a town or analyst account (the office reads the tables themselves). {db} is the store's database name;
-- the registered view `viewer_units` holds a town account's units (scheme '' = that unit in every scheme).

-- name: analyst_scope#
-- Periods in 公示 or 已发布 only, with every unit's results, facts and objections there; nothing of drafts,
-- change batches, the audit trail, accounts or sign-in attempts.
CREATE OR REPLACE TEMP VIEW visible_periods AS
    SELECT scheme, period FROM {db}.main.period_status WHERE status IN ('公示', '已发布');
CREATE OR REPLACE TEMP VIEW period_status AS
    SELECT s.* FROM {db}.main.period_status s WHERE s.status IN ('公示', '已发布');
CREATE OR REPLACE TEMP VIEW results AS
    SELECT r.* FROM {db}.main.results r SEMI JOIN visible_periods v ON v.scheme = r.scheme AND v.period = r.period;
CREATE OR REPLACE TEMP VIEW result_components AS
    SELECT c.* FROM {db}.main.result_components c
    SEMI JOIN visible_periods v ON v.scheme = c.scheme AND v.period = c.period;
CREATE OR REPLACE TEMP VIEW result_points AS
    SELECT r.* FROM {db}.main.result_points r
    SEMI JOIN visible_periods v ON v.scheme = r.scheme AND v.period = r.period;
CREATE OR REPLACE TEMP VIEW results_indicator AS
    SELECT r.* FROM {db}.main.results_indicator r
    SEMI JOIN visible_periods v ON v.scheme = r.scheme AND v.period = r.period;
CREATE OR REPLACE TEMP VIEW result_warnings AS
    SELECT w.* FROM {db}.main.result_warnings w
    SEMI JOIN visible_periods v ON v.scheme = w.scheme AND v.period = w.period;
CREATE OR REPLACE TEMP VIEW stored_problems AS SELECT * FROM {db}.main.stored_problems WHERE FALSE;
CREATE OR REPLACE TEMP VIEW observations AS
    SELECT o.* FROM {db}.main.observations o SEMI JOIN visible_periods v ON v.scheme = o.scheme AND v.period = o.period;
CREATE OR REPLACE TEMP VIEW award_decisions AS
    SELECT d.* FROM {db}.main.award_decisions d
    SEMI JOIN visible_periods v ON v.scheme = d.scheme AND v.period = d.period;
CREATE OR REPLACE TEMP VIEW publications AS
    SELECT p.* FROM {db}.main.publications p SEMI JOIN visible_periods v ON v.scheme = p.scheme AND v.period = p.period;
CREATE OR REPLACE TEMP VIEW objections AS
    SELECT o.* FROM {db}.main.objections o SEMI JOIN visible_periods v ON v.scheme = o.scheme AND v.period = o.period;
CREATE OR REPLACE TEMP VIEW batches AS SELECT * FROM {db}.main.batches WHERE FALSE;
CREATE OR REPLACE TEMP VIEW batch_units AS SELECT * FROM {db}.main.batch_units WHERE FALSE;
CREATE OR REPLACE TEMP VIEW replaced_observations AS SELECT * FROM {db}.main.replaced_observations WHERE FALSE;
CREATE OR REPLACE TEMP VIEW audit AS SELECT * FROM {db}.main.audit WHERE FALSE;
CREATE OR REPLACE TEMP VIEW audit_scope AS SELECT * FROM {db}.main.audit_scope WHERE FALSE;
CREATE OR REPLACE TEMP VIEW accounts AS SELECT * FROM {db}.main.accounts WHERE FALSE;
CREATE OR REPLACE TEMP VIEW account_units AS SELECT * FROM {db}.main.account_units WHERE FALSE;
CREATE OR REPLACE TEMP VIEW login_attempts AS SELECT * FROM {db}.main.login_attempts WHERE FALSE;

-- name: town_scope#
-- On top of analyst_scope: the facts, reasons, reading warnings and objections of the town's own units only; the
-- other units keep their results and per-indicator points (to compare), with no reason.
CREATE OR REPLACE TEMP VIEW own_units AS
    SELECT DISTINCT e.scheme, e.entity FROM {db}.main.entities e
    SEMI JOIN viewer_units u ON u.entity = e.entity AND (u.scheme = '' OR u.scheme = e.scheme);
-- (per-indicator results hold no reasons: they are rendered when read from the unit's facts, which a town
-- reads for its own units only; a reading warning names its unit second in "where": period, entity, indicator)
CREATE OR REPLACE TEMP VIEW result_warnings AS
    SELECT w.* FROM {db}.main.result_warnings w
    SEMI JOIN visible_periods v ON v.scheme = w.scheme AND v.period = w.period
    SEMI JOIN own_units o ON o.scheme = w.scheme AND o.entity = split_part(w."where", ' ', 2);
CREATE OR REPLACE TEMP VIEW observations AS
    SELECT x.* FROM {db}.main.observations x
    SEMI JOIN visible_periods v ON v.scheme = x.scheme AND v.period = x.period
    SEMI JOIN own_units o ON o.scheme = x.scheme AND o.entity = x.entity;
CREATE OR REPLACE TEMP VIEW objections AS
    SELECT x.* FROM {db}.main.objections x
    SEMI JOIN visible_periods v ON v.scheme = x.scheme AND v.period = x.period
    SEMI JOIN own_units o ON o.scheme = x.scheme AND o.entity = x.entity;
CREATE OR REPLACE TEMP VIEW award_decisions AS SELECT * FROM {db}.main.award_decisions WHERE FALSE;
