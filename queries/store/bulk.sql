-- Statements of the bulk load: a large interchange file straight into the observations table as one batch.

-- name: bulk_read_parquet*
-- Returns the rows of a Parquet file in the interchange format (period, entity, indicator, item, value,
-- ref, note, optional group), as the view `bulk_file`.
SELECT * FROM read_parquet($path);

-- name: bulk_read_csv*
-- Returns the rows of a CSV file in the interchange format (UTF-8, header required), every column as text.
SELECT * FROM read_csv($path, all_varchar = true, header = true);

-- name: bulk_insert_observations!
-- Appends every row of the view `bulk_file` as one batch (text trimmed, empty cells as '').
INSERT INTO observations
SELECT $scheme, trim(coalesce(CAST(period AS VARCHAR), '')), trim(coalesce(CAST("group" AS VARCHAR), '')),
       trim(coalesce(CAST(entity AS VARCHAR), '')), trim(coalesce(CAST(indicator AS VARCHAR), '')),
       trim(coalesce(CAST(item AS VARCHAR), '')), trim(coalesce(CAST(value AS VARCHAR), '')),
       trim(coalesce(CAST(ref AS VARCHAR), '')), trim(coalesce(CAST(note AS VARCHAR), '')), NULL, $batch_id
FROM bulk_file;

-- name: bulk_drop_file!
-- Forgets the view `bulk_file`.
DROP VIEW IF EXISTS bulk_file;

-- name: bulk_batch_summary*
-- Returns per period of a bulk batch: its rows and units, and how many rows other batches already hold.
SELECT b.period, count(*) AS n_rows, count(DISTINCT b.entity) AS n_units,
       (SELECT count(*) FROM observations o
        WHERE o.scheme = $scheme AND o.period = b.period AND o.batch_id <> $batch_id) AS n_other
FROM observations b WHERE b.scheme = $scheme AND b.batch_id = $batch_id
GROUP BY b.period ORDER BY b.period;

-- name: bulk_upsert_entities!
-- Adds the units of a bulk batch to the roster (their latest group wins).
INSERT INTO entities (scheme, entity, kind, grp, parent, is_demo)
SELECT $scheme, entity, $kind, arg_max(grp, period), NULL, FALSE FROM observations
WHERE scheme = $scheme AND batch_id = $batch_id GROUP BY entity
ON CONFLICT (scheme, entity) DO UPDATE SET grp = excluded.grp;

-- name: bulk_batch_units!
-- Records the (period, entity) pairs a bulk batch brought.
INSERT INTO batch_units (batch_id, scheme, period, entity)
SELECT DISTINCT $batch_id, $scheme, period, entity FROM observations WHERE scheme = $scheme AND batch_id = $batch_id;
