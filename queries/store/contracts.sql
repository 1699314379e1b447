-- Contract terms per contract year (schemes with a payout rule): price and certification counts.

-- name: terms_of*
-- Returns the stored contract terms of a scheme, one row per contract year entered.
SELECT window_id, price, target, certified, staff FROM contract_terms WHERE scheme = $scheme ORDER BY window_id;

-- name: save_terms!
-- Stores (or replaces) one contract year's terms.
INSERT INTO contract_terms VALUES ($scheme, $window_id, $price, $target, $certified, $staff)
ON CONFLICT (scheme, window_id) DO UPDATE SET price = excluded.price, target = excluded.target,
    certified = excluded.certified, staff = excluded.staff;
