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

-- name: has_version_indicators$
-- Returns how many indicator rows a rubric version has (0: the version is not registered yet).
SELECT count(*) FROM rubric_indicators WHERE scheme = $scheme AND version = $version;

-- name: save_version!
-- Keeps a rubric version's file (every version stays: a period's results name the version they were scored with).
INSERT INTO rubric_versions VALUES ($scheme, $version, $yaml, now()::TIMESTAMP)
ON CONFLICT (scheme, version) DO UPDATE SET yaml = coalesce(rubric_versions.yaml, excluded.yaml);

-- name: save_version_indicators!
-- Writes a rubric version's indicators (from the registered view `version_indicators`) in rubric order.
INSERT INTO rubric_indicators SELECT $scheme, $version, ord, indicator, name, category, kind, max
FROM version_indicators;

-- name: version_yaml$
-- Returns the file of one rubric version of a scheme (none when only its indicators were registered).
SELECT yaml FROM rubric_versions WHERE scheme = $scheme AND version = $version;

-- name: period_version$
-- Returns the rubric version a period's results were scored with (none: no results, or a store made before).
SELECT max(rubric_version) FROM results WHERE scheme = $scheme AND period = $period;
