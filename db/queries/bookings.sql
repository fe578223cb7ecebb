-- name: insert-consultation-lead
-- $19 the spam score the service computed and $18 its reasons (a text[]
-- literal); as insert-estimates, the statement adds `duplicate` ($22 points)
-- when another address sent the same topic ($20, its digest) within a day,
-- and a lead whose score reaches $21 is spam (then it is stored flagged, and
-- nothing else is); one that is not takes the next of $23, the assignees'
-- names, as its owner (see insert-estimates). Returns the status.
WITH same_text AS MATERIALIZED (
    SELECT EXISTS (SELECT FROM leads seen
                   WHERE seen.message_digest = decode($20, 'hex')
                     AND seen.created_at > now() - interval '1 day'
                     AND visitor_address_key(seen.email) <> visitor_address_key($3)) AS duplicate
), scored AS MATERIALIZED (
    -- Materialized: read several times below, the duplicate search once.
    SELECT LEAST(100, $19 + CASE WHEN duplicate THEN $22 ELSE 0 END) AS spam_score,
           $18::text[] || CASE WHEN duplicate THEN '{duplicate}'::text[] ELSE '{}' END AS spam_reasons
    FROM same_text
)
INSERT INTO leads (id, form, status, spam_reason, spam_score, spam_reasons, message_digest, notices_queued, owner,
                   name, email, message, company, phone, consent_marketing, consent_version, page_url, referrer,
                   utm_source, utm_medium, utm_campaign, utm_term, utm_content, client_address, user_agent)
SELECT $1, 'consultation', CASE WHEN spam_score >= $21 THEN 'spam' ELSE 'new' END,
       CASE WHEN spam_score >= $21 THEN spam_reasons[1] END, spam_score, spam_reasons, decode($20, 'hex'),
       spam_score < $21, CASE WHEN spam_score < $21 THEN next_assignee($23::text[]) END,
       $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::inet, $17
FROM scored
RETURNING status;

-- name: insert-booking
-- The blocked range is the meeting plus the buffer after it: the exclusion
-- constraint bookings_no_overlap refuses a second confirmed booking of host
-- $8 whose blocked range overlaps ($6 buffer minutes). $9: the visitor named
-- the host (a reschedule then keeps it).
INSERT INTO bookings (id, lead_id, starts_at, ends_at, blocked, visitor_timezone, cancel_token_hash, host_id,
                      host_requested)
VALUES ($1, $2, to_timestamp($3), to_timestamp($4),
        tstzrange(to_timestamp($3), to_timestamp($4) + make_interval(mins => $6), '[)'), $5, $7, $8, $9);

-- name: queue-booking-email
-- $1 booking, $2 lead, $3 template, $4 recipient, $5 reply-to, $6 payload,
-- $7 when it is due (Unix seconds; NULL: now). A visitor's confirmation only
-- while the address (by its key) has had fewer than $8 visitor e-mails in a
-- day; the reminder (queued after it, in the same transaction) and a later
-- cancellation only if the confirmation went: the cap must not be dodged a
-- day later. Reminders and cancellations count towards the cap too.
INSERT INTO jobs (template, recipient, reply_to, payload, lead_id, booking_id, run_at)
SELECT $3, $4, $5, $6::jsonb, $2, $1, coalesce(to_timestamp($7), now())
WHERE CASE $3::text
        WHEN 'booking_confirmation' THEN
            (SELECT count(*) FROM visitor_emails_last_day v WHERE v.address_key = visitor_address_key($4)) < $8
        WHEN 'booking_reminder' THEN
            EXISTS (SELECT 1 FROM jobs j WHERE j.booking_id = $1 AND j.template = 'booking_confirmation')
        WHEN 'booking_cancellation' THEN
            EXISTS (SELECT 1 FROM jobs j WHERE j.booking_id = $1 AND j.template = 'booking_confirmation')
        WHEN 'booking_rescheduled' THEN
            EXISTS (SELECT 1 FROM jobs j WHERE j.booking_id = $1 AND j.template = 'booking_confirmation')
        ELSE true
      END;

-- name: find-booking-by-token
-- $1: the hash of the booking's link token. The booking's row stays locked
-- to the end of the transaction: a cancel and a move that meet wait for
-- each other, and each makes its e-mails and calendar write from the
-- booking as the other left it.
SELECT d.id, d.lead_id, d.name, d.email, extract(epoch FROM d.starts_at)::bigint,
       extract(epoch FROM d.ends_at)::bigint, d.visitor_timezone, d.status, d.sequence, d.host_id,
       d.host_requested
FROM booking_details d
JOIN bookings b ON b.id = d.id
WHERE b.cancel_token_hash = $1
FOR UPDATE OF b;

-- name: find-booking-by-id
-- As find-booking-by-token, by the booking's id (sales), locked alike.
SELECT d.id, d.lead_id, d.name, d.email, extract(epoch FROM d.starts_at)::bigint,
       extract(epoch FROM d.ends_at)::bigint, d.visitor_timezone, d.status, d.sequence, d.host_id,
       d.host_requested
FROM booking_details d
JOIN bookings b ON b.id = d.id
WHERE d.id = $1::uuid
FOR UPDATE OF b;

-- name: booking-detail
-- One booking as the sales API shows it.
SELECT to_jsonb(d)::text FROM booking_details d WHERE d.id = $1::uuid;

-- name: reschedule-booking
-- Moves confirmed booking $1 to [$2, $3) (Unix seconds) with host $5 and
-- $4 buffer minutes after it, under the same exclusion constraint as a new
-- booking (the row's own old range is not a conflict: it is replaced), and
-- drops the reminder that has not gone out yet (the caller queues a new
-- one). Returns the invitation's new SEQUENCE; no row when the booking is
-- no longer confirmed.
WITH moved AS (
    UPDATE bookings
    SET starts_at = to_timestamp($2), ends_at = to_timestamp($3),
        blocked = tstzrange(to_timestamp($2), to_timestamp($3) + make_interval(mins => $4), '[)'),
        host_id = $5, sequence = sequence + 1, updated_at = now()
    WHERE id = $1 AND status = 'confirmed'
    RETURNING id, sequence
), reminder AS (
    UPDATE jobs SET status = 'cancelled'
    WHERE booking_id IN (SELECT id FROM moved) AND template = 'booking_reminder' AND status = 'queued'
      -- One a worker is sending now goes out, and only it may record that.
      AND (leased_until IS NULL OR leased_until < now())
)
SELECT sequence FROM moved;

-- name: replace-booking-token
-- A new link token (its hash $2) for booking $1: sales moved the meeting,
-- and the e-mail that tells the visitor carries links with it.
UPDATE bookings SET cancel_token_hash = $2, updated_at = now() WHERE id = $1;

-- name: set-booking-outcome
-- Records $2 (attended, no_show) on booking $1. Returns the outcome it had
-- before, the status and whether the meeting has started; no row for an
-- unknown id. Only a confirmed meeting that has started changes.
WITH old AS (
    SELECT id, outcome, status, starts_at <= now() AS started FROM bookings WHERE id = $1::uuid FOR UPDATE
), changed AS (
    UPDATE bookings b SET outcome = $2, updated_at = now()
    FROM old WHERE b.id = old.id AND old.status = 'confirmed' AND old.started
)
SELECT old.outcome, old.status, old.started FROM old;

-- name: cancel-booking
-- Frees the slot at once (only confirmed bookings block), and drops a
-- reminder that has not gone out yet.
WITH cancelled AS (
    UPDATE bookings SET status = 'cancelled', sequence = sequence + 1, cancelled_at = now(), updated_at = now()
    WHERE id = $1 AND status = 'confirmed'
    RETURNING id, sequence
), reminder AS (
    UPDATE jobs SET status = 'cancelled'
    WHERE booking_id IN (SELECT id FROM cancelled) AND template = 'booking_reminder' AND status = 'queued'
)
SELECT sequence FROM cancelled;

-- name: list-bookings-upcoming
-- Meetings not yet over, soonest first; $1 and $2 a range of meeting dates
-- (UTC, inclusive), NULL for any; $3-$4 keyset cursor (starts_at micros,
-- id), $5 limit.
SELECT to_jsonb(d)::text, (extract(epoch FROM d.starts_at) * 1000000)::bigint, d.id
FROM booking_details d
WHERE d.ends_at > now()
  AND ($1::date IS NULL OR d.starts_at >= $1::date)
  AND ($2::date IS NULL OR d.starts_at < $2::date + 1)
  AND ($3::bigint IS NULL OR (d.starts_at, d.id) > (timestamptz 'epoch' + $3 * interval '1 microsecond', $4::uuid))
ORDER BY d.starts_at, d.id
LIMIT $5;

-- name: list-bookings-past
-- Meetings that are over, latest first; parameters as above.
SELECT to_jsonb(d)::text, (extract(epoch FROM d.starts_at) * 1000000)::bigint, d.id
FROM booking_details d
WHERE d.ends_at <= now()
  AND ($1::date IS NULL OR d.starts_at >= $1::date)
  AND ($2::date IS NULL OR d.starts_at < $2::date + 1)
  AND ($3::bigint IS NULL OR (d.starts_at, d.id) < (timestamptz 'epoch' + $3 * interval '1 microsecond', $4::uuid))
ORDER BY d.starts_at DESC, d.id DESC
LIMIT $5;

-- name: count-active-bookings
-- Upcoming confirmed meetings of one person: by $1, an e-mail address
-- (compared by its visitor_address_key), and by $2, a client address
-- (compared by its network: an IPv4 address itself, an IPv6 address's /64,
-- as the rate limits key clients). Few rows: only meetings not yet over.
SELECT count(*) FILTER (WHERE visitor_address_key(l.email) = visitor_address_key($1)),
       count(*) FILTER (WHERE l.client_address IS NOT NULL
                          AND network(set_masklen(l.client_address, CASE family(l.client_address) WHEN 4 THEN 32 ELSE 64 END))
                            = network(set_masklen($2::inet, CASE family($2::inet) WHEN 4 THEN 32 ELSE 64 END)))
FROM bookings b JOIN leads l ON l.id = b.lead_id
WHERE b.status = 'confirmed' AND b.ends_at > now();
