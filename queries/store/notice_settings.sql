-- The notice (通报) settings of a scheme: 发文单位 and 落款.

-- name: notice_settings^
-- Returns a scheme's notice settings (issuer = 发文单位, signature = 落款, when set), if any.
SELECT issuer, signature, ts FROM notice_settings WHERE scheme = $scheme;

-- name: save_notice_settings!
-- Records (or replaces) a scheme's 发文单位 and 落款.
INSERT INTO notice_settings VALUES ($scheme, $issuer, $signature, now()::TIMESTAMP)
ON CONFLICT (scheme) DO UPDATE SET issuer = excluded.issuer, signature = excluded.signature, ts = excluded.ts;

-- name: has_notice_settings$
-- Returns 1 when the store has the notice_settings table (0: a store made before it, opened read-only).
SELECT count(*) AS n FROM duckdb_tables()
WHERE database_name = current_database() AND table_name = 'notice_settings';
