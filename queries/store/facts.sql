-- Reading the stored facts (observations): what periods hold, one unit's rows, the rows scoring reads.

-- name: fact_periods*
-- Returns the periods of a scheme that have stored observations, newest first.
SELECT DISTINCT period FROM observations WHERE scheme = $scheme ORDER BY period DESC;

-- name: observations_of*
-- Returns the stored observation rows of one unit in one period (the facts behind its score).
SELECT period, entity, indicator, item, value, ref, note, grp AS "group"
FROM observations WHERE scheme = $scheme AND period = $period AND entity = $entity
ORDER BY indicator, item;

-- name: unit_observations*
-- Returns the stored observation rows of the (period, entity) pairs in the registered view `incoming_units`.
SELECT o.period, o.grp AS "group", o.entity, o.indicator, o.item, o.value, o.ref, o.note, o.line, o.batch_id
FROM observations o JOIN incoming_units u ON u.period = o.period AND u.entity = o.entity
WHERE o.scheme = $scheme;

-- name: other_units_observations*
-- Returns the stored rows of the periods in `wanted_periods` whose units are not in `incoming_units`.
SELECT o.period, o.grp AS "group", o.entity, o.indicator, o.item, o.value, o.ref, o.note, o.line
FROM observations o JOIN wanted_periods w ON w.period = o.period
WHERE o.scheme = $scheme
  AND NOT EXISTS (SELECT 1 FROM incoming_units u WHERE u.period = o.period AND u.entity = o.entity);

-- name: period_observations*
-- Returns the stored observations of one period, to score it.
SELECT period, grp AS "group", entity, indicator, item, value, ref, note, line
FROM observations WHERE scheme = $scheme AND period = $period;

-- name: group_observations*
-- Returns the stored observations of one group in one period (to score that group alone).
SELECT period, grp AS "group", entity, indicator, item, value, ref, note, line
FROM observations WHERE scheme = $scheme AND period = $period AND grp = $grp;

-- name: known_units*
-- Returns the units a scheme already has (look-alike names are checked against them).
SELECT entity FROM entities WHERE scheme = $scheme ORDER BY entity;

-- name: count_of_periods$
-- Returns how many facts the periods in the registered view `wanted_periods` hold.
SELECT count(*) FROM observations o JOIN wanted_periods w ON w.period = o.period WHERE o.scheme = $scheme;
