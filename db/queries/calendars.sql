-- name: ensure-calendar-sync
-- A row for each configured calendar ($1 host ids, $2 calendar keys, pairwise),
-- so that a calendar never synced shows as never synced; and none for a
-- calendar no longer configured (a host or calendar removed, or a key
-- shown differently since), whose busy time goes with it: nothing reads
-- them, and an old key may hold what a URL should not show. (While workers
-- of two configurations run at once, each forgets the other's calendars
-- when it starts; the next sync of each brings them back.)
WITH configured AS (
    SELECT * FROM unnest($1::text[], $2::text[]) AS c(host_id, calendar)
), forgotten AS (
    DELETE FROM calendar_syncs s
    WHERE NOT EXISTS (SELECT FROM configured c WHERE c.host_id = s.host_id AND c.calendar = s.calendar)
)
INSERT INTO calendar_syncs (host_id, calendar)
SELECT host_id, calendar FROM configured
ON CONFLICT DO NOTHING;

-- name: lease-calendar-sync
-- Takes calendar ($1 host, $2 key) for worker $3 for $4 seconds, if it is
-- due (not attempted in the last $5 seconds) and no other worker holds it.
-- Returns the ETag of its last successful sync, for If-None-Match, but only
-- while the busy time of the last full read reaches far enough (expanded
-- within a day; a sync reads two days past the horizon): a feed unchanged
-- for weeks must still be expanded as the horizon moves on.
UPDATE calendar_syncs
SET leased_until = now() + make_interval(secs => $4), leased_by = $3, attempted_at = now()
WHERE host_id = $1 AND calendar = $2
  AND (leased_until IS NULL OR leased_until < now())
  AND (attempted_at IS NULL OR attempted_at <= now() - make_interval(secs => $5))
RETURNING CASE WHEN expanded_at > now() - interval '1 day' THEN etag END;

-- name: calendar-synced
-- A successful sync by lease holder $3 ($4 the feed's new ETag, or NULL;
-- $5 whether the busy time was expanded anew, false after a 304),
-- in the transaction that replaces the calendar's busy time. No row: the
-- lease was lost, and the transaction rolls back.
UPDATE calendar_syncs
SET synced_at = now(), etag = $4, last_error = NULL, leased_until = NULL, leased_by = NULL,
    expanded_at = CASE WHEN $5::boolean THEN now() ELSE expanded_at END
WHERE host_id = $1 AND calendar = $2 AND leased_by = $3 AND leased_until > now()
RETURNING host_id;

-- name: clear-busy-times
DELETE FROM busy_times WHERE host_id = $1 AND calendar = $2;

-- name: insert-busy-times
-- $3 starts and $4 ends (Unix seconds), pairwise.
INSERT INTO busy_times (host_id, calendar, during)
SELECT $1, $2, tstzrange(to_timestamp(s), to_timestamp(e), '[)')
FROM unnest($3::bigint[], $4::bigint[]) AS t(s, e);

-- name: calendar-sync-failed
-- A failed sync by lease holder $3, with why ($4). Returns how long ago the
-- last successful sync was (NULL: never).
UPDATE calendar_syncs
SET last_error = $4, leased_until = NULL, leased_by = NULL
WHERE host_id = $1 AND calendar = $2 AND leased_by = $3
RETURNING extract(epoch FROM now() - synced_at)::bigint;

-- name: calendar-sync-ages
-- Seconds since each calendar of hosts $1 last synced (NULL: never).
SELECT host_id, calendar, extract(epoch FROM now() - synced_at)::bigint
FROM calendar_syncs
WHERE host_id = ANY($1::text[]);

-- name: busy-between
-- What keeps hosts $3 (host ids) busy in [$1, $2) (Unix seconds): their
-- confirmed meetings, and the busy time of their configured calendars ($4
-- host ids and $5 calendar keys, pairwise; a calendar no longer configured
-- keeps nobody busy). $6: a booking whose own meeting does not count (the
-- one being rescheduled), or NULL. Meetings of the implicit host
-- "business" (booked before hosts were configured, or by a server of the
-- previous version during an upgrade) come back too: they keep every host
-- busy.
SELECT host_id, extract(epoch FROM starts_at)::bigint, extract(epoch FROM ends_at)::bigint
FROM bookings
WHERE status = 'confirmed' AND (host_id = ANY($3::text[]) OR host_id = 'business')
  AND starts_at < to_timestamp($2) AND ends_at > to_timestamp($1)
  AND ($6::uuid IS NULL OR id <> $6::uuid)
UNION ALL
SELECT b.host_id, extract(epoch FROM lower(b.during))::bigint, extract(epoch FROM upper(b.during))::bigint
FROM busy_times b
JOIN unnest($4::text[], $5::text[]) AS configured(host_id, calendar)
  ON configured.host_id = b.host_id AND configured.calendar = b.calendar
WHERE b.during && tstzrange(to_timestamp($1), to_timestamp($2), '[)');

-- name: recent-bookings-by-host
-- Meetings booked in the last 30 days per host ($1 host ids): the round
-- robin gives a booking without a named host to the free host with fewest.
SELECT h.host_id, count(b.id)
FROM unnest($1::text[]) AS h(host_id)
LEFT JOIN bookings b ON b.host_id = h.host_id AND b.status = 'confirmed' AND b.created_at > now() - interval '30 days'
GROUP BY h.host_id;

-- name: host-booking-ids
-- The confirmed meetings of host $1 not over more than a day ago: their
-- events in the host's own calendars (write-back) are this very booking,
-- not busy time of its own.
SELECT id::text FROM bookings
WHERE host_id = $1 AND status = 'confirmed' AND ends_at > now() - interval '1 day';
