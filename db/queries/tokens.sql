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
