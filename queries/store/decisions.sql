-- The office's decisions on pending (待定) awards.

-- name: save_decision!
-- Records (or replaces) the office's decision on a pending award.
INSERT INTO award_decisions VALUES ($scheme, $period, $grp, $entity, $who, $why, now()::TIMESTAMP)
ON CONFLICT (scheme, period, grp) DO UPDATE SET entity = excluded.entity, who = excluded.who, why = excluded.why,
       ts = excluded.ts;
