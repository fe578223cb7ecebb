-- name: notify-jobs
-- Sent after commits that queued outbox jobs; workers LISTEN on "jobs".
SELECT pg_notify('jobs', '');

-- name: claim-jobs
-- Takes up to $2 due jobs of kind $4 ('email' or 'webhook': a worker runs a
-- lane for each, so a webhook never waits for e-mails paced to the mail
-- provider's rate) for worker $1 and leases them for $3 seconds. SKIP LOCKED
-- lets any number of workers claim at once without waiting on each other;
-- the lease (not an open transaction) is what keeps other workers away while
-- the message is sent, and what lets them take the job over if this worker
-- dies. Counting the attempt at claim time means a
-- message that crashes its worker still ends up dead, not retried forever.
-- (Calendar writes are claimed by claim-calendar-jobs, which keeps the
-- writes of one booking in order.)
WITH due AS (
    SELECT id FROM jobs
    WHERE status = 'queued' AND kind = $4 AND run_at <= now()
      AND (leased_until IS NULL OR leased_until < now())
    ORDER BY run_at, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE jobs
SET leased_until = now() + make_interval(secs => $3), leased_by = $1, attempts = jobs.attempts + 1
FROM due
WHERE jobs.id = due.id
RETURNING jobs.id, jobs.kind, jobs.template, jobs.recipient, jobs.reply_to,
          -- A lead notification renders the lead as it is now (insert-estimates
          -- stores no copy of it).
          -- "Has written before": the same person's earlier leads (by address
          -- key), counted now.
          (CASE WHEN jobs.template = 'lead_notification' AND jobs.lead_id IS NOT NULL
                THEN jobs.payload || coalesce((
                    SELECT to_jsonb(l) || jsonb_build_object(
                        'earlier_leads', CASE WHEN earlier.count > 0 THEN earlier.count::text ELSE '' END,
                        'earlier_last_on', coalesce(to_char(earlier.last_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ''))
                    FROM leads l,
                         LATERAL (SELECT count(*) AS count, max(e.created_at) AS last_at FROM leads e
                                  WHERE visitor_address_key(e.email) = visitor_address_key(l.email)
                                    AND e.created_at < l.created_at AND e.status <> 'spam') AS earlier
                    WHERE l.id = jobs.lead_id), '{}')
                ELSE jobs.payload END)::text,
          jobs.attempts,
          jobs.message_id, extract(epoch FROM jobs.created_at)::float8, extract(epoch FROM now())::float8,
          -- Who owns the lead an e-mail is about: the owner, if an assignee,
          -- gets the sales notification (mail/addressing.hpp).
          (SELECT l.owner FROM leads l WHERE l.id = jobs.lead_id AND jobs.kind = 'email');

-- name: job-sent
-- $1 job, $2 worker, $3 when the attempt started (Unix seconds), $4 detail.
-- Only the worker holding the lease records the outcome.
-- Links with tokens (payload->'secret') are removed once they are sent.
WITH done AS (
    UPDATE jobs SET status = 'sent', sent_at = now(), leased_until = NULL, last_error = NULL,
                    payload = payload - 'secret'
    WHERE id = $1 AND leased_by = $2 AND status = 'queued'
    RETURNING id, attempts
)
INSERT INTO job_attempts (job_id, attempt, worker, started_at, outcome, detail)
SELECT id, attempts, $2, to_timestamp($3), 'sent', $4 FROM done;

-- name: job-retry
-- As job-sent, and $5: seconds until the next attempt.
WITH done AS (
    UPDATE jobs SET run_at = now() + make_interval(secs => $5), leased_until = NULL, last_error = $4
    WHERE id = $1 AND leased_by = $2 AND status = 'queued'
    RETURNING id, attempts
)
INSERT INTO job_attempts (job_id, attempt, worker, started_at, outcome, detail)
SELECT id, attempts, $2, to_timestamp($3), 'retry', $4 FROM done;

-- name: job-dead
WITH done AS (
    UPDATE jobs SET status = 'dead', leased_until = NULL, last_error = $4
    WHERE id = $1 AND leased_by = $2 AND status = 'queued'
    RETURNING id, attempts
)
INSERT INTO job_attempts (job_id, attempt, worker, started_at, outcome, detail)
SELECT id, attempts, $2, to_timestamp($3), 'dead', $4 FROM done;

-- name: release-jobs
-- Hands claimed jobs back unsent (shutdown, or the mail server went away
-- mid-batch): due again at once, and the claim does not count as an attempt.
UPDATE jobs SET leased_until = NULL, attempts = attempts - 1
WHERE id = ANY($1::bigint[]) AND leased_by = $2 AND status = 'queued';

-- name: list-jobs
-- $1 status or NULL for all, $2 how many, newest first.
SELECT id, status, template, recipient, attempts, to_char(run_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), last_error
FROM jobs
WHERE $1::text IS NULL OR status = $1
ORDER BY id DESC
LIMIT $2;

-- name: retry-job
-- Queues a dead job to be sent at once with a fresh attempt count, or brings
-- forward one waiting after a failed attempt (the mail server is fixed).
-- Nothing else: a job that has not failed keeps its time (a booking reminder
-- is due when it is due), and a job a worker holds right now stays its own,
-- since clearing the lease would let a second worker send it as well.
UPDATE jobs SET status = 'queued', run_at = now(), attempts = 0, leased_until = NULL
WHERE id = $1
  AND (status = 'dead'
       OR (status = 'queued' AND last_error IS NOT NULL AND (leased_until IS NULL OR leased_until < now())))
RETURNING id;

-- name: retry-dead-jobs
UPDATE jobs SET status = 'queued', run_at = now(), attempts = 0, leased_until = NULL
WHERE status = 'dead'
RETURNING id;

-- name: queue-webhooks
-- One webhook job per target URL in $2 (a JSON array; none when empty) for
-- event $1 with data $3, in the transaction of the record it is about.
INSERT INTO jobs (kind, template, recipient, payload, lead_id, subscriber_id, booking_id)
SELECT 'webhook', $1, target, $3::jsonb, $4::uuid, $5::uuid, $6::uuid
FROM jsonb_array_elements_text($2::jsonb) AS target;
