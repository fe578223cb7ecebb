-- name: subject-records
-- Everything held about one address (case-insensitive), as one JSON object.
-- Leads are found by their address key (leads_by_address_key), which every
-- spelling of the address shares, then compared exactly.
SELECT json_build_object(
    'email', $1::text,
    'erased_before', EXISTS (SELECT 1 FROM erasure_tombstones WHERE email_hash = $2),
    'leads', (SELECT coalesce(json_agg(to_jsonb(l) - 'message_digest' - 'notices_queued' ORDER BY l.created_at), '[]')
              FROM leads l
              WHERE visitor_address_key(l.email) = visitor_address_key($1) AND lower(l.email) = lower($1)),
    'lead_history', (SELECT coalesce(json_agg(to_jsonb(e) ORDER BY e.id), '[]') FROM lead_events e
                     JOIN leads l ON l.id = e.lead_id
                     WHERE visitor_address_key(l.email) = visitor_address_key($1) AND lower(l.email) = lower($1)),
    'bookings', (SELECT coalesce(json_agg(to_jsonb(d) ORDER BY d.starts_at), '[]') FROM booking_details d
                 WHERE visitor_address_key(d.email) = visitor_address_key($1) AND lower(d.email) = lower($1)),
    'subscriber', (SELECT to_jsonb(s) FROM subscribers s WHERE lower(s.email) = lower($1)),
    'newsletter_spam', (SELECT coalesce(json_agg(to_jsonb(n) ORDER BY n.created_at), '[]') FROM newsletter_spam n
                        WHERE lower(n.email) = lower($1)),
    'consent_records', (SELECT coalesce(json_agg(to_jsonb(c) ORDER BY c.id), '[]') FROM consent_records c
                        JOIN subscribers s ON s.id = c.subscriber_id WHERE lower(s.email) = lower($1)),
    'emails', (SELECT coalesce(json_agg(json_build_object('id', j.id, 'template', j.template, 'status', j.status,
                                                         'created_at', j.created_at, 'sent_at', j.sent_at)
                                        ORDER BY j.id), '[]')
               FROM jobs j
               WHERE lower(j.recipient) = lower($1) OR lower(j.reply_to) = lower($1)
                  OR j.lead_id IN (SELECT id FROM leads
                                   WHERE visitor_address_key(email) = visitor_address_key($1)
                                     AND lower(email) = lower($1))
                  OR j.subscriber_id IN (SELECT id FROM subscribers WHERE lower(email) = lower($1)))
)::text;

-- fragment: calendar-removals
-- The meetings of the bookings in `booking_rows` (a CTE of the statement)
-- that write-back may have put into their hosts' calendars, where they name
-- the visitor: a delete of each is queued, tied to no booking so that it
-- outlives the booking's removal (its payload holds only the host and the
-- UID). Used by the erasure and by the retention purge (retention.sql).
    INSERT INTO jobs (kind, template, recipient, payload)
    SELECT DISTINCT ON (j.booking_id) 'calendar', 'calendar_delete', j.recipient,
           jsonb_build_object('host', j.recipient, 'uid', j.payload->>'uid')
    FROM jobs j
    -- Whatever the put's status: one in flight, or accepted by a server that
    -- then timed out, may have written it; a delete of nothing is done.
    WHERE j.kind = 'calendar' AND j.template = 'calendar_put'
      AND j.booking_id IN (SELECT id FROM booking_rows)
    ORDER BY j.booking_id, j.id DESC

-- name: erase-subject
-- Erases the address from every table; deleting leads and subscribers
-- cascades to their bookings, history, tokens, consent records and e-mails.
-- Only a hash of the address is kept, as a tombstone. Returns what went.
-- A meeting already written into a host's calendar (write-back) names the
-- visitor there: a delete of it is queued, tied to no booking so that it
-- outlives the erasure (its payload holds only the host and the UID).
WITH lead_rows AS (
    DELETE FROM leads WHERE visitor_address_key(email) = visitor_address_key($1) AND lower(email) = lower($1)
    RETURNING id
), booking_rows AS (
    SELECT id FROM bookings WHERE lead_id IN (SELECT id FROM lead_rows)
), calendar_removals AS (
    -- include: calendar-removals
), subscriber_rows AS (
    DELETE FROM subscribers WHERE lower(email) = lower($1) RETURNING id
), spam_rows AS (
    DELETE FROM newsletter_spam WHERE lower(email) = lower($1) RETURNING id
), job_rows AS (
    DELETE FROM jobs
    WHERE lower(recipient) = lower($1) OR lower(reply_to) = lower($1)
       OR lead_id IN (SELECT id FROM lead_rows) OR subscriber_id IN (SELECT id FROM subscriber_rows)
    RETURNING id
), tombstone AS (
    INSERT INTO erasure_tombstones (email_hash) VALUES ($2) ON CONFLICT (email_hash) DO UPDATE SET erased_at = now()
)
SELECT (SELECT count(*) FROM lead_rows), (SELECT count(*) FROM booking_rows),
       (SELECT count(*) FROM subscriber_rows), (SELECT count(*) FROM job_rows), (SELECT count(*) FROM spam_rows);

-- name: list-audit
-- Newest first; $1-$2 keyset cursor, $3 limit.
SELECT to_jsonb(a)::text, (extract(epoch FROM a.created_at) * 1000000)::bigint, a.id::text
FROM audit_log a
WHERE ($1::bigint IS NULL OR (a.created_at, a.id) < (timestamptz 'epoch' + $1 * interval '1 microsecond', $2::bigint))
ORDER BY a.created_at DESC, a.id DESC
LIMIT $3;
