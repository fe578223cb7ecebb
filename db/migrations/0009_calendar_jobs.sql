-- Write-back (booking.hosts write_to): a booked meeting is put into its
-- host's CalDAV collection, and deleted from it when cancelled, by outbox
-- jobs of a third kind. A server of the previous version, still running
-- during a rolling upgrade, neither queues nor claims them (it claims by
-- kind), so they wait for a worker of this version.
ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('email', 'webhook', 'calendar'));

-- The ETag the host's calendar gave the meeting's resource when leadgate
-- last wrote it: the next write sends it as If-Match, so that it replaces
-- that version only. NULL: not written yet (the first write sends
-- If-None-Match: *), deleted, or the server named none.
ALTER TABLE bookings ADD COLUMN calendar_etag text;
