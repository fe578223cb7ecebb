-- name: insert-api-token
INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, $2, $3) RETURNING id;

-- name: list-api-tokens
SELECT id, name, role, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce(to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       revoked_at IS NOT NULL
FROM api_tokens
ORDER BY id;

-- name: revoke-api-token
UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id;

-- name: find-api-token
-- $1 the SHA-256 of a presented token. Also notes its use, at most once a
-- minute, so that a busy script does not write on every request.
WITH found AS (
    SELECT id, name, role, token_hash FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL
), touched AS (
    UPDATE api_tokens SET last_used_at = now()
    WHERE id IN (SELECT id FROM found) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
)
SELECT name, role, token_hash FROM found;

-- name: start-admin-session
-- $1 the SHA-256 of a new session id, $2 that of the token signed in with,
-- $3 the session's lifetime in seconds. Nothing for an unknown or revoked
-- token. Sessions that have expired are cleared on the way (sign-ins are
-- rare, so this costs nothing and keeps the table small).
WITH expired AS (
    DELETE FROM admin_sessions WHERE expires_at < now()
), token AS (
    SELECT id, name, role FROM api_tokens WHERE token_hash = $2 AND revoked_at IS NULL
), started AS (
    INSERT INTO admin_sessions (id_hash, token_id, expires_at)
    SELECT $1, id, now() + make_interval(secs => $3) FROM token
)
SELECT name, role FROM token;

-- name: find-admin-session
-- $1 the SHA-256 of a session id: its holder while the session has not
-- expired and its token is not revoked.
SELECT t.name, t.role
FROM admin_sessions s JOIN api_tokens t ON t.id = s.token_id
WHERE s.id_hash = $1 AND s.expires_at > now() AND t.revoked_at IS NULL;

-- name: end-admin-session
DELETE FROM admin_sessions WHERE id_hash = $1;
