-- The life of a period: its status (草稿 / 公示 until a date / 已发布). A period without a row is a draft.

-- name: status_of^
-- Returns a period's status row (status, review_until, changed_at, changed_by, why), if it has one.
SELECT status, review_until, changed_at, changed_by, why FROM period_status
WHERE scheme = $scheme AND period = $period;

-- name: statuses_of*
-- Returns the status rows of every period of a scheme that has one (the others are drafts).
SELECT period, status, review_until, changed_at, changed_by, why FROM period_status
WHERE scheme = $scheme ORDER BY period;

-- name: set_status!
-- Sets a period's status (with the end of its review for 公示), who changed it, when and why.
INSERT INTO period_status VALUES ($scheme, $period, $status, $review_until, now()::TIMESTAMP, $who, $why)
ON CONFLICT (scheme, period) DO UPDATE SET status = excluded.status, review_until = excluded.review_until,
       changed_at = excluded.changed_at, changed_by = excluded.changed_by, why = excluded.why;

-- name: has_results$
-- Returns how many units have results in a period (0: nothing to review or publish).
SELECT count(*) AS n FROM results WHERE scheme = $scheme AND period = $period;

-- name: open_objections*
-- Returns the unanswered objections (异议, status 待答复) of a period, oldest first.
SELECT objection_id, entity, indicator, text, filed_by, filed_at FROM objections
WHERE scheme = $scheme AND period = $period AND status = '待答复' ORDER BY objection_id;
