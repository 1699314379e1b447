-- The publish lock: which periods are published (locked or reopened), publishing and reopening.

-- name: publications_of*
-- Returns the publication state of every published period of a scheme.
SELECT period, published_at, who, is_open, reopened_at, reopened_by, reopen_why
FROM publications WHERE scheme = $scheme ORDER BY period;

-- name: save_publication!
-- Publishes (or republishes) a period: keeps the league table as published and locks the period.
INSERT INTO publications (scheme, period, published_at, who, is_open, league_json, why, rubric_version,
                          reopened_at, reopened_by, reopen_why)
VALUES ($scheme, $period, now()::TIMESTAMP, $who, FALSE, $league_json, $why, $rubric_version, NULL, NULL, NULL)
ON CONFLICT (scheme, period) DO UPDATE SET published_at = excluded.published_at, who = excluded.who,
       is_open = FALSE, league_json = excluded.league_json, why = excluded.why,
       rubric_version = excluded.rubric_version, reopened_at = NULL, reopened_by = NULL, reopen_why = NULL;

-- name: reopen_publication!
-- Unlocks a published period (the published table is kept) with who and why.
UPDATE publications SET is_open = TRUE, reopened_at = now()::TIMESTAMP, reopened_by = $who, reopen_why = $why
WHERE scheme = $scheme AND period = $period;
