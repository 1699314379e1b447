-- Upgrades of stores made by earlier versions (run when a store is opened for writing).

-- name: wide_result_schemes*
-- Returns the schemes with rows in the wide per-indicator results table of stores made before the lean one.
SELECT DISTINCT scheme FROM results_indicator ORDER BY scheme;

-- name: name_results_version!
-- Names the rubric version of the results of a scheme that were scored before results named their version.
UPDATE results SET rubric_version = $version WHERE scheme = $scheme AND rubric_version IS NULL;

-- name: copy_wide_points!
-- Copies a scheme's wide per-indicator rows into the lean table (points and place, by the indicator's place).
INSERT INTO result_points
SELECT w.scheme, w.period, w.entity, i.ord, w.points, w.place
FROM results_indicator w
JOIN rubric_indicators i ON i.scheme = w.scheme AND i.version = $version AND i.indicator = w.indicator
WHERE w.scheme = $scheme;

-- name: drop_wide_results!
-- Drops the wide per-indicator results table once its rows are in the lean one (the view takes its name).
DROP TABLE results_indicator;

-- name: meta_value$
-- Returns one setting of the store (none when unset).
SELECT value FROM meta WHERE key = $key;

-- name: set_meta!
-- Sets one setting of the store.
INSERT INTO meta VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value
WHERE meta.value IS DISTINCT FROM excluded.value;

-- name: scored_schemes*
-- Returns the schemes that have results.
SELECT DISTINCT scheme FROM results ORDER BY scheme;

-- name: unpublished_fact_periods*
-- Returns the periods of a scheme with stored facts that were never published (rescored by an upgrade).
SELECT DISTINCT o.period FROM observations o
WHERE o.scheme = $scheme AND o.period NOT IN (SELECT period FROM publications WHERE scheme = $scheme)
ORDER BY o.period;

-- name: stored_values_of*
-- Returns the stored rows of a scheme whose value is one of the registered view `refused_values` (value) and
-- whose (indicator, item) is in the registered view `flag_items` (indicator, item).
SELECT o.period, o.entity, o.indicator, o.item, o.value FROM observations o
JOIN flag_items f ON f.indicator = o.indicator AND f.item = o.item
WHERE o.scheme = $scheme AND o.value IN (SELECT value FROM refused_values)
ORDER BY o.period, o.entity, o.indicator, o.item;

-- name: clear_stored_problems!
-- Forgets the listed problems of one period of a scheme (its facts were fixed and it was rescored).
DELETE FROM stored_problems WHERE scheme = $scheme AND period = $period;

-- name: save_stored_problems!
-- Lists stored values the engine now refuses (from the registered view `found_problems`).
INSERT INTO stored_problems SELECT $scheme, period, entity, indicator, item, value, message FROM found_problems;
