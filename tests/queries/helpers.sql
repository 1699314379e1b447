-- Statements only the store tests run: looking at stored facts directly, and changing one behind the store's back.

-- name: set_fact_value!
-- Changes the value of one stored fact without the write door (so a rescore has something to find).
UPDATE observations SET value = $value
WHERE scheme = $scheme AND period = $period AND entity = $entity AND indicator = $indicator AND item = $item;

-- name: observations_period*
-- Returns every stored observation row of a period, in the interchange format.
SELECT period, entity, indicator, item, value, ref, note, grp AS "group"
FROM observations WHERE scheme = $scheme AND period = $period
ORDER BY entity, indicator, item;

-- name: period_has_observations$
-- Returns the number of stored observation rows of a period.
SELECT count(*) AS n FROM observations WHERE scheme = $scheme AND period = $period;
