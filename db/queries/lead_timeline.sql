-- name: lead-timeline
-- A lead's timeline for its page on the admin page (docs/sales-api.md,
-- "Admin page"), newest first: when it was received, its history (status
-- changes, notes, what a release queued or a spam mark dropped, owners),
-- each e-mail and webhook queued for it with its delivery state, and its
-- bookings. Read only, by lead id: jobs_by_lead, lead_events_by_lead and
-- bookings_by_lead. Times are shown to the minute in the business's zone
-- ($2, booking.timezone). Things done in one transaction share one time;
-- among them, the later step comes first (received, then history, then the
-- jobs it queued, then bookings), and within a kind the newer row.
SELECT coalesce(jsonb_agg(entry || jsonb_build_object('when', to_char(at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'))
                          ORDER BY at DESC, step DESC, tie DESC), '[]')::text
FROM (
    SELECT l.created_at AS at, 0 AS step, 0::bigint AS tie,
           jsonb_build_object('kind', 'received', 'form', l.form) AS entry
    FROM leads l
    WHERE l.id = $1::uuid
    UNION ALL
    SELECT e.created_at, 1, e.id,
           jsonb_build_object('kind', e.field, 'old', e.old_value, 'new', e.new_value, 'actor', e.actor)
    FROM lead_events e
    WHERE e.lead_id = $1::uuid
    UNION ALL
    -- A job's last error can be a whole server answer: its first line, cut.
    SELECT j.created_at, 2, j.id,
           jsonb_build_object('kind', j.kind, 'template', j.template, 'recipient', j.recipient, 'status', j.status,
                              'attempts', j.attempts,
                              'sent_at', to_char(j.sent_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),
                              'last_error', left(split_part(j.last_error, E'\n', 1), 160))
    FROM jobs j
    WHERE j.lead_id = $1::uuid AND j.kind IN ('email', 'webhook')
    UNION ALL
    SELECT b.created_at, 3, extract(epoch FROM b.starts_at)::bigint,
           jsonb_build_object('kind', 'booking', 'start', to_char(b.starts_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),
                              'status', b.status, 'outcome', b.outcome)
    FROM bookings b
    WHERE b.lead_id = $1::uuid
) AS timeline;
