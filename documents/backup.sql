-- The tables of a store, for backup and restore.

-- name: store_tables*
-- Returns the name of every table of the store (for backup and restore).
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name;
