-- The tables of a store, for backup and restore.

-- name: store_tables*
-- Returns the name of every base table of the store (what a backup holds; views are recreated by the schema).
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name;

-- name: store_views*
-- Returns the name of every view of the store (a backup's table of that name is not loaded at a restore).
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'main' AND table_type = 'VIEW' ORDER BY table_name;
