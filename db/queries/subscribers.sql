-- name: insert-newsletter-spam
-- A bot's signup, kept apart from subscribers: $13 its spam score, $14 the
-- reasons (a text[] literal) and $4 the first of them.
INSERT INTO newsletter_spam (id, email, name, spam_reason, page_url, referrer, utm_source, utm_medium,
                             utm_campaign, utm_term, utm_content, client_address, spam_score, spam_reasons)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::text[]);

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
-- $12 and $13: the signup's spam score and reasons, below the threshold.
INSERT INTO subscribers (id, email, name, consent_version, last_confirmation_sent_at, page_url, referrer,
                         utm_source, utm_medium, utm_campaign, utm_term, utm_content, spam_score, spam_reasons)
VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8, $9, $10, $11, $12, $13::text[])
ON CONFLICT ((lower(email))) DO NOTHING
RETURNING id;

-- name: refresh-subscriber
-- A new signup of a pending or unsubscribed address: pending again, with a
-- new confirmation on its way.
UPDATE subscribers
SET state = 'pending', last_confirmation_sent_at = now(), consent_version = $2, name = coalesce($3, name),
    spam_score = $4, spam_reasons = $5::text[], updated_at = now()
WHERE id = $1;

-- name: insert-subscriber-tokens
-- $1 subscriber, $2 and $3 the SHA-256 of the confirm and unsubscribe
-- tokens, $4 hours the confirm token works.
INSERT INTO subscriber_tokens (token_hash, subscriber_id, purpose, expires_at)
VALUES ($2, $1, 'confirm', now() + make_interval(hours => $4)),
       ($3, $1, 'unsubscribe', NULL);

-- name: queue-newsletter-confirmation
-- Not when the address has had $4 visitor e-mails in a day already.
INSERT INTO jobs (template, recipient, payload, subscriber_id)
SELECT 'newsletter_confirmation', $2, $3::jsonb, $1
WHERE (SELECT count(*) FROM visitor_emails_last_day v WHERE v.address_key = visitor_address_key($2)) < $4;

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
-- Also returns the subscriber as the subscriber.confirmed webhook tells it.
UPDATE subscribers SET state = 'confirmed', confirmed_at = now(), updated_at = now()
WHERE id = $1 AND state = 'pending'
RETURNING consent_version,
          json_build_object('id', id, 'email', email, 'name', name, 'confirmed_at', confirmed_at,
                            'consent_version', consent_version)::text;

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

-- fragment: subscriber-filter
-- Which subscribers sales asked for (list-subscribers and export-subscribers,
-- on subscriber_listing): $1 state (NULL: every state but spam), $2 and $3 a
-- range of creation dates (UTC, inclusive), $4 a LIKE pattern matched
-- against e-mail and name, NULL for "any".
-- The spam_reason line says again what the state filter says, in a form
-- that prunes: in each branch of the view spam_reason is either a constant
-- (NULL for subscribers) or never NULL (bot signups), so PostgreSQL turns
-- the line into a one-time check per branch and never opens the branch that
-- cannot match. Without it a generic plan for state=spam walks every
-- subscriber to find none.
(CASE WHEN $1::text IS NULL THEN state <> 'spam' ELSE state = $1 END)
  AND (spam_reason IS NOT NULL) = ($1::text IS NOT DISTINCT FROM 'spam')
  AND ($2::date IS NULL OR created_at >= $2::date)
  AND ($3::date IS NULL OR created_at < $3::date + 1)
  AND ($4::text IS NULL OR email ILIKE $4 OR name ILIKE $4)

-- name: list-subscribers
-- Newest first: $1-$4 the subscriber-filter, then the keyset cursor ($5
-- microseconds, $6 id) when given and $7 how many. (Every listing query ends
-- with these three parameters: store/listing.cpp.) Each row comes back as
-- its JSON object (the view's columns), built here so the service does not
-- take it apart and put it together again.
SELECT to_jsonb(s)::text,
       (extract(epoch FROM s.created_at) * 1000000)::bigint,
       s.id
FROM subscriber_listing s
WHERE
  -- include: subscriber-filter
  AND ($5::bigint IS NULL OR (created_at, id) < (timestamptz 'epoch' + $5 * interval '1 microsecond', $6::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $7;

-- name: export-subscribers
-- The rows of an export, oldest first, for a server-side cursor. $1-$4 the
-- subscriber-filter. The column names are the CSV header.
SELECT id, email, name, state, spam_reason, consent_version,
       to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
       to_char(confirmed_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS confirmed_at,
       to_char(unsubscribed_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS unsubscribed_at,
       page_url, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content
FROM subscriber_listing
WHERE
  -- include: subscriber-filter
ORDER BY created_at, id;

-- name: get-subscriber
-- One subscriber (a bot's signup too, in state spam) with its consent
-- records, oldest first, as one JSON object; nothing for an unknown id.
SELECT json_build_object(
           'subscriber', to_jsonb(s),
           'consent_records', (SELECT coalesce(json_agg(to_jsonb(c) - 'subscriber_id' ORDER BY c.id), '[]')
                               FROM consent_records c WHERE c.subscriber_id = s.id))::text
FROM subscriber_listing s
WHERE s.id = $1::uuid;
