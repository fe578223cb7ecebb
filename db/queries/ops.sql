-- name: schema-table-exists
-- Asked first: before the first migration the table is missing, and a
-- statement naming it could not even be prepared.
SELECT to_regclass('schema_migrations') IS NOT NULL;

-- name: schema-version
SELECT coalesce(max(version), 0) FROM schema_migrations;

-- name: queue-stats
-- Only queued and dead rows are counted: sent ones grow without bound and
-- would make every scrape slower.
SELECT count(*) FILTER (WHERE status = 'queued'),
       count(*) FILTER (WHERE status = 'dead'),
       coalesce(extract(epoch FROM now() - min(run_at) FILTER (WHERE status = 'queued' AND run_at <= now())), 0)
FROM jobs
WHERE status IN ('queued', 'dead');
