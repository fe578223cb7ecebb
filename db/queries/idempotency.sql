-- name: claim-idempotency-key
-- Returns a row when this request may proceed: the key is new, or its first
-- use is older than 24 hours. A concurrent first use makes this wait for that
-- transaction, then return nothing.
INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (scope, key) DO UPDATE
    SET request_hash = excluded.request_hash,
        response_status = excluded.response_status,
        response_body = excluded.response_body,
        created_at = now()
    WHERE idempotency_keys.created_at < now() - interval '24 hours'
RETURNING 1;

-- name: find-idempotency-key
SELECT request_hash, response_status, response_body
FROM idempotency_keys
WHERE scope = $1 AND key = $2;
