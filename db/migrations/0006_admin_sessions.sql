-- Sessions of the admin page, kept on the server (issue 16 item 5). Before,
-- the session cookie was the API token itself: a stolen cookie was a bearer
-- credential until the token was revoked. Now the cookie holds a random id,
-- stored here only as its SHA-256; a session ends at expires_at, at
-- sign-out, and with its token (the lookup joins api_tokens, so a revoked
-- token's sessions end at once; deleting a token deletes them).
CREATE TABLE admin_sessions (
    id_hash    text PRIMARY KEY,
    token_id   bigint NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at);
