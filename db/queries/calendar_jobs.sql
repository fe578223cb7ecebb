-- name: queue-calendar-write
-- A write of booking $4's event into host $2's calendar: $1 "calendar_put"
-- or "calendar_delete", $3 the payload (booking_id, host, uid, ics), in the
-- booking's own transaction. The host's write_to URL (and its credentials)
-- is never stored: the worker finds it in its configuration by the host id.
INSERT INTO jobs (kind, template, recipient, payload, booking_id)
VALUES ('calendar', $1, $2, $3::jsonb, $4::uuid);

-- name: claim-calendar-jobs
-- claim-jobs for the calendar lane ($1 worker, $2 how many, $3 lease
-- seconds), with the order of one booking's writes kept: a job is taken
-- only when no older calendar job of its booking is still queued (being
-- written, or waiting to be retried), so a put never overtakes the put
-- before it, nor a delete the put it deletes. Also returns the ETag stored
-- for the booking's resource (for If-Match) and whether a newer write of
-- the booking was already made (an old job queued again by hand must not
-- undo it).
WITH due AS (
    SELECT id FROM jobs
    WHERE status = 'queued' AND kind = 'calendar' AND run_at <= now()
      AND (leased_until IS NULL OR leased_until < now())
      AND NOT EXISTS (SELECT 1 FROM jobs older
                      WHERE older.booking_id = jobs.booking_id AND older.kind = 'calendar'
                        AND older.status = 'queued' AND older.id < jobs.id)
    ORDER BY run_at, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE jobs
SET leased_until = now() + make_interval(secs => $3), leased_by = $1, attempts = jobs.attempts + 1
FROM due
WHERE jobs.id = due.id
RETURNING jobs.id, jobs.kind, jobs.template, jobs.recipient, jobs.reply_to, jobs.payload::text, jobs.attempts,
          jobs.message_id, extract(epoch FROM jobs.created_at)::float8, extract(epoch FROM now())::float8,
          (SELECT b.calendar_etag FROM bookings b WHERE b.id = jobs.booking_id),
          EXISTS (SELECT 1 FROM jobs newer
                  WHERE newer.booking_id = jobs.booking_id AND newer.kind = 'calendar'
                    AND newer.status = 'sent' AND newer.id > jobs.id);

-- name: calendar-job-sent
-- job-sent for a write that changed the booking's resource, and its ETag
-- $5 (NULL after a delete, or when the server named none) kept on the
-- booking in the same statement: only the lease holder records either.
-- As in job-sent, a link with a token (payload->'secret') goes once sent.
WITH done AS (
    UPDATE jobs SET status = 'sent', sent_at = now(), leased_until = NULL, last_error = NULL,
                    payload = payload - 'secret'
    WHERE id = $1 AND leased_by = $2 AND status = 'queued'
    RETURNING id, attempts, booking_id
), stored AS (
    UPDATE bookings SET calendar_etag = $5
    FROM done
    WHERE bookings.id = done.booking_id
)
INSERT INTO job_attempts (job_id, attempt, worker, started_at, outcome, detail)
SELECT id, attempts, $2, to_timestamp($3), 'sent', $4 FROM done;
