-- name: notify-jobs
-- Sent after commits that queued outbox jobs; workers LISTEN on "jobs".
SELECT pg_notify('jobs', '');
