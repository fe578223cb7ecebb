-- name: oldest-open-transaction
-- When the oldest transaction still open in this database began (a
-- client's, not autovacuum's; other roles' only with pg_read_all_stats or
-- the same role): NULL when none is. index-lead-search takes it as $3, read
-- in this statement of its own, before that statement's snapshot: a
-- transaction open now is either in this answer or committed before the
-- batch reads leads. Also how many seconds ago, for the worker's warning.
SELECT min(a.xact_start), extract(epoch FROM clock_timestamp() - min(a.xact_start))::bigint
FROM pg_stat_activity a
WHERE a.datname = current_database() AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid();

-- name: index-lead-search
-- The worker's next batch for search (migration 0017): up to $1 leads after
-- the cursor, in the order of leads_newest, that came in at least $2
-- seconds ago and before $3 (oldest-open-transaction's answer; NULL: no
-- bound), copied into lead_search, and the cursor moved past the last of
-- them, in one transaction. Returns how many; no row when another worker
-- holds the cursor (it is doing this batch).
-- Why $2 and $3: a lead's created_at is when its transaction began, and the
-- cursor must not pass a lead whose transaction has not committed yet: that
-- lead would never be indexed, and search would not find it. So a batch
-- stops before the start of every transaction that was open when it began
-- ($3), and $2 seconds before now in any case (all the bound there is when
-- the worker may not see the other roles' transactions). The transactions
-- that insert leads last milliseconds; one left open (a psql session, a
-- long export) holds indexing back until it ends, and searches read the
-- leads after the cursor directly meanwhile.
WITH progress AS (
    SELECT after_created_at, after_id FROM lead_search_progress FOR UPDATE SKIP LOCKED
), batch AS (
    SELECT l.id, l.created_at, lead_search_text(l.name, l.email, l.company, l.message) AS text
    FROM leads l, progress p
    WHERE (l.created_at, l.id) > (p.after_created_at, p.after_id)
      AND l.created_at < least(now() - make_interval(secs => $2), $3::timestamptz)
    ORDER BY l.created_at, l.id
    LIMIT $1
), added AS (
    INSERT INTO lead_search (lead_id, text) SELECT id, text FROM batch
), moved AS (
    UPDATE lead_search_progress SET after_created_at = last.created_at, after_id = last.id
    FROM (SELECT created_at, id FROM batch ORDER BY created_at DESC, id DESC LIMIT 1) AS last
)
SELECT (SELECT count(*) FROM batch)::int FROM progress;

-- name: hold-lead-search
-- Taken by a transaction that deletes leads (retention, erasure) before it
-- deletes them: the worker's indexing skips its rounds until that
-- transaction ends (it takes this row SKIP LOCKED). Without it the two
-- could deadlock: a batch being indexed holds a key-share lock on each lead
-- it has written (the foreign key), the delete waits for one of those,
-- while the batch waits to check a lead the delete has already removed.
SELECT FROM lead_search_progress FOR UPDATE;
