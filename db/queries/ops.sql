-- name: schema-table-exists
-- Asked first: before the first migration the table is missing, and a
-- statement naming it could not even be prepared.
SELECT to_regclass('schema_migrations') IS NOT NULL;

-- name: schema-version
SELECT coalesce(max(version), 0) FROM schema_migrations;

-- name: queue-stats
-- Only queued and dead rows are counted: sent ones grow without bound and
-- would make every scrape slower. Each count is a query of its own, so
-- that each reads its partial index (jobs_due_by_kind for queued jobs,
-- jobs_dead_or_cancelled for dead ones) and never the table.
SELECT (SELECT count(*) FROM jobs WHERE status = 'queued'),
       (SELECT count(*) FROM jobs WHERE status = 'dead'),
       coalesce((SELECT extract(epoch FROM now() - min(run_at)) FROM jobs WHERE status = 'queued' AND run_at <= now()),
                0);
