-- What scoring reads besides the facts: the office's recorded award decisions.

-- name: decisions_of_period*
-- Returns the recorded award decisions of one period (one per group at most).
SELECT period, grp, entity FROM award_decisions WHERE scheme = $scheme AND period = $period;

-- name: decisions_of_group*
-- Returns the recorded award decision of one group in one period, if any.
SELECT period, grp, entity FROM award_decisions WHERE scheme = $scheme AND period = $period AND grp = $grp;
