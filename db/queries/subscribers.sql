-- name: lock-subscriber
-- $1 address, $2 cool-down in minutes. The subscriber, locked for the rest
-- of this signup, and whether a confirmation went out within the cool-down;
-- nothing for a new address.
SELECT id, state, coalesce(last_confirmation_sent_at > now() - make_interval(mins => $2), false)
FROM subscribers
WHERE lower(email) = lower($1)
FOR UPDATE;

-- name: insert-subscriber
-- Nothing when a concurrent signup of the same address got there first.
INSERT INTO subscribers (id, email, name, consent_version, last_confirmation_sent_at, page_url, referrer,
                         utm_source, utm_medium, utm_campaign, utm_term, utm_content)
VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT ((lower(email))) DO NOTHING
RETURNING id;

-- name: refresh-subscriber
-- A new signup of a pending or unsubscribed address: pending again, with a
-- new confirmation on its way.
UPDATE subscribers
SET state = 'pending', last_confirmation_sent_at = now(), consent_version = $2, name = coalesce($3, name),
    updated_at = now()
WHERE id = $1;

-- name: insert-subscriber-tokens
-- $1 subscriber, $2 and $3 the SHA-256 of the confirm and unsubscribe
-- tokens, $4 hours the confirm token works.
INSERT INTO subscriber_tokens (token_hash, subscriber_id, purpose, expires_at)
VALUES ($2, $1, 'confirm', now() + make_interval(hours => $4)),
       ($3, $1, 'unsubscribe', NULL);

-- name: queue-newsletter-confirmation
INSERT INTO jobs (template, recipient, payload, subscriber_id)
VALUES ('newsletter_confirmation', $2, $3::jsonb, $1);

-- name: record-consent
-- $1 subscriber, $2 form, $3 action (signup, confirm, unsubscribe), $4 the
-- consent text's version, $5 the client address.
INSERT INTO consent_records (subscriber_id, form, action, consent_version, client_address)
VALUES ($1, $2, $3, $4, $5::inet);

-- name: find-subscriber-token
-- $1 token hash: its purpose, whether it still works, and the subscriber's state.
SELECT t.subscriber_id, t.purpose,
       t.used_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()),
       s.state
FROM subscriber_tokens t
JOIN subscribers s ON s.id = t.subscriber_id
WHERE t.token_hash = $1;

-- name: use-confirm-token
-- Spends a confirm token that still works; returns its subscriber.
UPDATE subscriber_tokens SET used_at = now()
WHERE token_hash = $1 AND purpose = 'confirm' AND used_at IS NULL AND expires_at > now()
RETURNING subscriber_id;

-- name: confirm-subscriber
UPDATE subscribers SET state = 'confirmed', confirmed_at = now(), updated_at = now()
WHERE id = $1 AND state = 'pending'
RETURNING consent_version;

-- name: unsubscribe-subscriber
-- Unsubscribed, and confirmation links still out there stop working (an old
-- confirmation e-mail must not subscribe the address again).
WITH changed AS (
    UPDATE subscribers SET state = 'unsubscribed', unsubscribed_at = now(), updated_at = now()
    WHERE id = $1 AND state <> 'unsubscribed'
    RETURNING id, consent_version
), spent AS (
    UPDATE subscriber_tokens SET used_at = now()
    WHERE subscriber_id IN (SELECT id FROM changed) AND purpose = 'confirm' AND used_at IS NULL
)
SELECT consent_version FROM changed;
