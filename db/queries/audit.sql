-- name: insert-audit
-- $1 who (a token's name), $2 what, $3 details as JSON.
INSERT INTO audit_log (actor, action, details) VALUES ($1, $2, $3::jsonb);
