-- Reschedule and outcome (docs/api-behaviour.md, "Rescheduling";
-- docs/sales-api.md, "Bookings").
--
-- host_requested: the visitor named the host when booking ("book with
-- Ana"), so a reschedule keeps that host; otherwise a reschedule chooses a
-- host again, as a booking does. Bookings made before this column existed
-- read as not named: their move may go to another host, which is what a
-- booking without a named host allows.
ALTER TABLE bookings ADD COLUMN host_requested boolean NOT NULL DEFAULT false;

-- What sales recorded after the meeting; NULL until they do.
ALTER TABLE bookings ADD COLUMN outcome text CHECK (outcome IN ('attended', 'no_show'));

-- New columns at the end: CREATE OR REPLACE VIEW keeps the existing ones as
-- they were.
CREATE OR REPLACE VIEW booking_details AS
SELECT b.id, b.lead_id, b.status, b.starts_at, b.ends_at, b.visitor_timezone, b.sequence, b.created_at,
       b.cancelled_at, l.name, l.email, l.company, l.phone, l.message AS topic, b.host_id,
       b.host_requested, b.outcome
FROM bookings b
JOIN leads l ON l.id = b.lead_id;

-- The e-mail telling a visitor their meeting moved is one they receive:
-- it counts towards limits.emails_per_recipient_per_day like the others.
-- The index is built before the old one is dropped, so the cap never goes
-- without one.
CREATE INDEX jobs_visitor_emails_by_key_v2 ON jobs (visitor_address_key(recipient), created_at)
    WHERE template IN ('estimate_confirmation', 'newsletter_confirmation', 'booking_confirmation',
                       'booking_reminder', 'booking_cancellation', 'booking_rescheduled');

CREATE OR REPLACE VIEW visitor_emails_last_day AS
SELECT recipient, created_at, visitor_address_key(recipient) AS address_key
FROM jobs
WHERE template IN ('estimate_confirmation', 'newsletter_confirmation', 'booking_confirmation',
                   'booking_reminder', 'booking_cancellation', 'booking_rescheduled')
  AND created_at > now() - interval '1 day';

DROP INDEX jobs_visitor_emails_by_key;
