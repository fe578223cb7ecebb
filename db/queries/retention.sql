-- name: claim-maintenance-run
-- (Retention, SPEC §9: the worker's daily purge of old spam and old leads,
-- one worker at a time; db/migrations/0013_retention.sql, store/retention.hpp.)
-- Run $1 for worker $2, leased for $3 seconds: the run under way if its
-- holder is gone (a crashed or stopped worker: it goes on where that one
-- stopped), else a new one if the last finished at least $4 seconds ago.
-- No row: not due, or another worker holds it. Returns when the run started
-- (Unix seconds): what it purges is counted back from then, so a run taken
-- over purges what the first holder would have.
INSERT INTO maintenance_runs AS m (name, started_at, leased_by, leased_until)
VALUES ($1, now(), $2, now() + make_interval(secs => $3))
ON CONFLICT (name) DO UPDATE
SET started_at = coalesce(m.started_at, now()), leased_by = $2, leased_until = now() + make_interval(secs => $3)
WHERE (m.leased_until IS NULL OR m.leased_until < now())
  AND (m.started_at IS NOT NULL OR m.last_run_at IS NULL OR m.last_run_at <= now() - make_interval(secs => $4))
RETURNING floor(extract(epoch FROM started_at))::bigint;

-- name: maintenance-run-progress
-- Lease holder $2 of run $1 adds $4 (a JSON object of counts) to the run's
-- counts and keeps its lease $3 seconds more, in the transaction of the
-- batch that did the work. No row: the lease was lost, and the transaction
-- rolls back, so what a run counts is exactly what it removed.
UPDATE maintenance_runs m
SET leased_until = now() + make_interval(secs => $3),
    counts = (SELECT coalesce(jsonb_object_agg(key, coalesce((m.counts->>key)::bigint, 0)
                                                    + coalesce(($4::jsonb->>key)::bigint, 0)), '{}')
              FROM jsonb_object_keys(m.counts || $4::jsonb) AS key)
WHERE name = $1 AND leased_by = $2 AND leased_until > now()
RETURNING name;

-- name: finish-maintenance-run
-- Lease holder $2 ends run $1: it is the last run from now on. Returns its
-- counts (JSON) and when it started (Unix seconds); no row: the lease was
-- lost, and the run is another worker's to finish.
WITH run AS (
    SELECT counts, started_at FROM maintenance_runs
    WHERE name = $1 AND leased_by = $2 AND leased_until > now()
    FOR UPDATE
)
UPDATE maintenance_runs m
SET last_run_at = now(), started_at = NULL, counts = '{}', leased_by = NULL, leased_until = NULL
FROM run
WHERE m.name = $1
RETURNING run.counts::text, floor(extract(epoch FROM run.started_at))::bigint;

-- name: release-maintenance-run
-- Worker $2 hands run $1 back unfinished (it is stopping, or a batch
-- failed): the next claim, by any worker, goes on with it.
UPDATE maintenance_runs SET leased_by = NULL, leased_until = NULL
WHERE name = $1 AND leased_by = $2;

-- name: maintenance-run-status
-- Run $1: when the last one finished (Unix seconds, NULL: never) and who
-- holds the one under way (NULL: nobody).
SELECT floor(extract(epoch FROM last_run_at))::bigint, CASE WHEN leased_until > now() THEN leased_by END
FROM maintenance_runs
WHERE name = $1;

-- name: purge-lock-timeout
-- A batch that would wait for a row lock (a lead being edited, a job being
-- claimed) gives up after a while rather than make others queue behind it;
-- the run is tried again within the hour. Local to the batch's transaction.
SELECT set_config('lock_timeout', '5s', true);

-- fragment: no-meeting-ahead
-- A lead `l` is kept while a confirmed meeting of it is still ahead: its
-- visitor holds links to it, and its host expects them.
  AND NOT EXISTS (SELECT FROM bookings b WHERE b.lead_id = l.id AND b.status = 'confirmed' AND b.ends_at > now())

-- name: pick-spam-leads
-- Up to $2 spam leads nobody has changed since $1 (Unix seconds): the
-- arrival of a lead flagged on its way in, or sales marking it spam, so a
-- lead marked spam by mistake can be released for the whole retention
-- period. Locked for the purge; a lead locked by someone else (sales
-- editing it) is skipped, for the next run. FOR NO KEY UPDATE, not FOR
-- UPDATE: a row that refers to the lead and is being written (the worker
-- indexing it for search, an e-mail queued for it) holds a key-share lock
-- on it, which would make the lead skipped; the delete waits for that
-- writer instead, briefly, and takes its row along.
SELECT l.id::text
FROM leads l
WHERE l.status = 'spam' AND l.updated_at < to_timestamp($1)
  -- include: no-meeting-ahead
ORDER BY l.updated_at, l.id
LIMIT $2
FOR NO KEY UPDATE OF l SKIP LOCKED;

-- name: pick-old-leads
-- Up to $2 leads of any status that came in before $1 (Unix seconds), as
-- pick-spam-leads.
SELECT l.id::text
FROM leads l
WHERE l.created_at < to_timestamp($1)
  -- include: no-meeting-ahead
ORDER BY l.created_at, l.id
LIMIT $2
FOR NO KEY UPDATE OF l SKIP LOCKED;

-- name: purge-leads
-- Deletes leads $1 (uuid[], picked and locked above) with everything
-- attached, as the erasure does (privacy.sql): their history, bookings,
-- e-mails, webhooks, calendar writes and delivery attempts go by ON DELETE
-- CASCADE, and a meeting write-back may have put into a host's calendar is
-- deleted from it. Returns the leads and bookings that went.
WITH lead_rows AS (
    DELETE FROM leads WHERE id = ANY ($1::uuid[]) RETURNING id
), booking_rows AS (
    SELECT id FROM bookings WHERE lead_id IN (SELECT id FROM lead_rows)
), calendar_removals AS (
    -- include: calendar-removals
)
SELECT (SELECT count(*) FROM lead_rows), (SELECT count(*) FROM booking_rows);

-- name: purge-newsletter-spam
-- Deletes up to $2 bots' newsletter signups that came in before $1 (Unix
-- seconds); nothing refers to them. Returns how many went.
WITH doomed AS (
    SELECT id FROM newsletter_spam
    WHERE created_at < to_timestamp($1)
    ORDER BY created_at, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
), gone AS (
    DELETE FROM newsletter_spam WHERE id IN (SELECT id FROM doomed) RETURNING id
)
SELECT count(*) FROM gone;
