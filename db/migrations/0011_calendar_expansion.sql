-- When a calendar's events were last expanded into busy time. A feed that
-- answers 304 Not Modified keeps the busy time of that expansion, which
-- reaches only as far as the booking horizon did then: once it is a day
-- old, the next sync reads the feed in full again (no If-None-Match), so
-- the busy time keeps up with the horizon.
ALTER TABLE calendar_syncs ADD COLUMN expanded_at timestamptz;
UPDATE calendar_syncs SET expanded_at = synced_at;
