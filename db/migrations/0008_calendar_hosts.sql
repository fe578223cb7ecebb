-- Hosts and their calendars (booking.hosts). A booking belongs to one host;
-- bookings made before hosts existed belong to the implicit host "business"
-- (the one leadgate has when booking.hosts is empty).
--
-- btree_gist lets the exclusion constraint compare host ids with = next to
-- ranges with &&. It is a trusted extension: the database's owner may
-- create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The default stays: a server of the previous version, still running during
-- a rolling upgrade, books without naming a host.
ALTER TABLE bookings ADD COLUMN host_id text NOT NULL DEFAULT 'business';
-- One host cannot be in two meetings (with their buffers) at once; two hosts
-- can.
ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
    EXCLUDE USING gist (host_id WITH =, blocked WITH &&) WHERE (status = 'confirmed');
-- The round robin counts each host's meetings booked in the last 30 days.
CREATE INDEX bookings_by_host_created ON bookings (host_id, created_at) WHERE status = 'confirmed';

CREATE OR REPLACE VIEW booking_details AS
SELECT b.id, b.lead_id, b.status, b.starts_at, b.ends_at, b.visitor_timezone, b.sequence, b.created_at,
       b.cancelled_at, l.name, l.email, l.company, l.phone, l.message AS topic, b.host_id
FROM bookings b
JOIN leads l ON l.id = b.lead_id;

-- One row per calendar of a host, keyed by its URL without credentials: when
-- it last synced successfully (slots are offered only while every calendar
-- of a host is fresh), the feed's ETag, the last error, and the lease a
-- worker holds while it syncs it (so two workers never sync one calendar at
-- the same time).
CREATE TABLE calendar_syncs (
    host_id      text NOT NULL,
    calendar     text NOT NULL,
    synced_at    timestamptz,
    attempted_at timestamptz,
    etag         text,
    last_error   text,
    leased_until timestamptz,
    leased_by    text,
    PRIMARY KEY (host_id, calendar)
);

-- The busy time a calendar held at its last successful sync, replaced as a
-- whole by the next one.
CREATE TABLE busy_times (
    host_id  text NOT NULL,
    calendar text NOT NULL,
    during   tstzrange NOT NULL,
    FOREIGN KEY (host_id, calendar) REFERENCES calendar_syncs (host_id, calendar) ON DELETE CASCADE
);
CREATE INDEX busy_times_by_host ON busy_times USING gist (host_id, during);
CREATE INDEX busy_times_by_calendar ON busy_times (host_id, calendar);
