-- fragment: stats-range
-- The dashboard's figures (docs/sales-api.md, "Dashboard"). Every query
-- takes the range as $1, the first day, and $2, the last day (YYYY-MM-DD,
-- both included); those that count take $3, the business zone
-- (booking.timezone) in which those days begin and end; those that group
-- take the group, 'day' or 'week' (weeks start on Monday), last.
WITH range AS (
    SELECT ($1::date)::timestamp AT TIME ZONE $3 AS starts,
           ($2::date + 1)::timestamp AT TIME ZONE $3 AS ends
), ranged AS (
    SELECT l.*
    FROM leads l, range r
    WHERE l.created_at >= r.starts AND l.created_at < r.ends
)

-- name: stats-periods
-- The first day of every day or week ($3) that the range touches, with
-- leads or not: a chart has a place for each.
SELECT to_char(period, 'YYYY-MM-DD')
FROM generate_series(date_trunc($3, ($1::date)::timestamp), ($2::date)::timestamp, ('1 ' || $3)::interval) AS period
ORDER BY period;

-- name: stats-leads
-- Leads that are not spam, by the day or week they came in (in the business
-- zone), form and source: utm_source, else the referrer's host, else
-- "direct".
-- include: stats-range
SELECT to_char(date_trunc($4, created_at AT TIME ZONE $3), 'YYYY-MM-DD') AS period,
       form,
       COALESCE(NULLIF(btrim(utm_source), ''),
                lower(substring(referrer FROM '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?([^/?#:]+)')),
                'direct') AS source,
       count(*)
FROM ranged
WHERE status <> 'spam'
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;

-- name: stats-funnel
-- The leads that came in within the range, by their status now.
-- include: stats-range
SELECT status, count(*)
FROM ranged
GROUP BY status;

-- name: stats-first-status-change
-- Of the leads that came in within the range, how many have had their status
-- changed by sales, and the median time from the lead to its first change,
-- in seconds (NULL when none has).
-- include: stats-range
SELECT count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first.changed_at - l.created_at)::float8)
FROM ranged l
CROSS JOIN LATERAL (
    SELECT min(e.created_at) AS changed_at
    FROM lead_events e
    WHERE e.lead_id = l.id AND e.field = 'status'
) first
WHERE first.changed_at IS NOT NULL;

-- name: stats-bookings
-- Meetings that start within the range: held (confirmed and not recorded as
-- a no-show), cancelled, and no-show.
-- include: stats-range
SELECT count(*) FILTER (WHERE b.status = 'confirmed' AND b.outcome IS DISTINCT FROM 'no_show'),
       count(*) FILTER (WHERE b.status = 'cancelled'),
       count(*) FILTER (WHERE b.status = 'confirmed' AND b.outcome = 'no_show')
FROM bookings b, range r
WHERE b.starts_at >= r.starts AND b.starts_at < r.ends;
