-- Read models of the audit trail (审计日志).

-- name: audit_rows*
-- Returns audit rows of a scheme and every restore (store-wide: no scheme; account and sign-in rows, also without
-- a scheme, are the 账户管理 page's), newest first, filtered by period and unit through their scope (empty = all).
SELECT a.audit_id, a.ts, a.who, a.action, a.period, a.entity, a.detail, a.why, a.via, a.declared
FROM audit a
WHERE ($scheme = '' OR a.scheme = $scheme OR (a.scheme = '' AND a.action = 'restore'))
  AND ($period = '' OR EXISTS (SELECT 1 FROM audit_scope s WHERE s.audit_id = a.audit_id AND s.period = $period))
  AND ($entity = '' OR EXISTS (SELECT 1 FROM audit_scope s WHERE s.audit_id = a.audit_id AND s.entity = $entity))
ORDER BY a.audit_id DESC
LIMIT $limit;

-- name: audit_scope_values*
-- Returns the periods and units that audit rows of a scheme touch (for the audit page's filters).
SELECT DISTINCT s.period, s.entity FROM audit_scope s JOIN audit a ON a.audit_id = s.audit_id
WHERE ($scheme = '' OR a.scheme = $scheme);
