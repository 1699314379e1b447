-- Read models of the data page (数据管理): what the store holds to import into, edit and template.

-- name: fact_units*
-- Returns the units with stored observations in a period, by name.
SELECT DISTINCT entity FROM observations WHERE scheme = $scheme AND period = $period ORDER BY entity;

-- name: unit_facts*
-- Returns one unit's stored facts in a period for the table editor (indicator, item, value, ref, note).
SELECT indicator, item, value, ref, note FROM observations
WHERE scheme = $scheme AND period = $period AND entity = $entity
ORDER BY indicator, item, ref, value;

-- name: scheme_units*
-- Returns the units a scheme's store knows (entity and group), by name.
SELECT entity, grp AS "group" FROM entities WHERE scheme = $scheme ORDER BY entity;

-- name: stored_schemes*
-- Returns the schemes whose rubric the store holds (schemes that have had data), by id.
SELECT scheme FROM rubrics ORDER BY scheme;

-- name: stored_problems*
-- Returns the stored values the engine now refuses (listed when a store made before was upgraded), in order.
SELECT period, entity, indicator, item, value, message FROM stored_problems
WHERE scheme = $scheme ORDER BY period, entity, indicator, item;
