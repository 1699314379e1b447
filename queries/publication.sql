-- Read models of the publish lock.

-- name: publication^
-- Returns a period's publication (published league as JSON, who, when, open or locked), if any.
SELECT period, published_at, who, why, is_open, league_json, rubric_version, reopened_at, reopened_by, reopen_why
FROM publications WHERE scheme = $scheme AND period = $period;
