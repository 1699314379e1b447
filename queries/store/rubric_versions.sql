-- The rubric file each scheme is scored with, kept in the store.

-- name: rubric_yaml$
-- Returns the stored rubric file of a scheme (none when the scheme has had no data yet).
SELECT yaml FROM rubrics WHERE scheme = $scheme;

-- name: save_rubric!
-- Stores the rubric file a scheme is scored with (so rescoring never depends on files on disk).
INSERT INTO rubrics VALUES ($scheme, $version, $yaml, now()::TIMESTAMP)
ON CONFLICT (scheme) DO UPDATE SET version = excluded.version, yaml = excluded.yaml, loaded_at = excluded.loaded_at;

-- name: published_periods*
-- Returns the periods of a scheme that were ever published (locked or reopened): they keep their results.
SELECT period FROM publications WHERE scheme = $scheme ORDER BY period;
