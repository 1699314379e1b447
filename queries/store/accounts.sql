-- Accounts (argon2 hashes, never a password), the units a town account sees, and sign-in attempts.

-- name: account^
-- Returns one account (role, hash, enabled, must change its password, demo), if it exists.
SELECT name, role, password_hash, enabled, must_change, is_demo, created_at, password_changed_at
FROM accounts WHERE name = $name;

-- name: account_units*
-- Returns the units (scheme, entity) of one account; scheme '' means the unit in every scheme.
SELECT scheme, entity FROM account_units WHERE name = $name ORDER BY scheme, entity;

-- name: account_list*
-- Returns every account without its hash: name, role, enabled, must_change, is_demo, created_at and its units
-- as one text ("洪山镇", "zichuan-2022:洪山镇").
SELECT a.name, a.role, a.enabled, a.must_change, a.is_demo, a.created_at, a.password_changed_at,
       coalesce(string_agg(CASE WHEN u.scheme = '' THEN u.entity ELSE u.scheme || ':' || u.entity END, '、'
                           ORDER BY u.scheme, u.entity), '') AS units
FROM accounts a LEFT JOIN account_units u ON u.name = a.name
GROUP BY ALL ORDER BY a.created_at, a.name;

-- name: count_accounts$
-- Returns how many accounts the store has (0 on a new store, or one made before accounts).
SELECT count(*) AS n FROM accounts;

-- name: known_entity$
-- Returns how many stored units are called $entity (in $scheme, or in any scheme when $scheme is '').
SELECT count(*) AS n FROM entities WHERE entity = $entity AND ($scheme = '' OR scheme = $scheme);

-- name: insert_account!
-- Adds one account with its password hash.
INSERT INTO accounts (name, role, password_hash, enabled, must_change, is_demo, created_at, password_changed_at)
VALUES ($name, $role, $password_hash, TRUE, $must_change, $is_demo, now()::TIMESTAMP, now()::TIMESTAMP);

-- name: insert_account_unit!
-- Binds one unit to an account.
INSERT INTO account_units VALUES ($name, $scheme, $entity);

-- name: set_password!
-- Replaces an account's password hash; must_change says whether it must be changed at the next sign-in.
UPDATE accounts SET password_hash = $password_hash, must_change = $must_change,
       password_changed_at = now()::TIMESTAMP
WHERE name = $name;

-- name: set_enabled!
-- Enables or disables an account (a disabled account cannot sign in; its history is kept).
UPDATE accounts SET enabled = $enabled WHERE name = $name;

-- name: recent_failures^
-- Returns the failed sign-ins from one client address since $since and since its last successful sign-in:
-- how many, and when the latest was.
SELECT count(*) AS n, max(ts) AS latest FROM login_attempts
WHERE client = $client AND NOT ok AND ts > $since
  AND ts > coalesce((SELECT max(ts) FROM login_attempts WHERE client = $client AND ok), TIMESTAMP '1970-01-01');

-- name: record_attempt!
-- Records one sign-in attempt from a client address (the name only when it is an account's).
INSERT INTO login_attempts VALUES ($client, $ts, $ok, $name);
