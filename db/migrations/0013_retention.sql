-- Retention (SPEC §9, docs/operations.md "Retention"): once a day a worker
-- purges spam older than retention.spam_days and leads older than
-- retention.lead_days.
--
-- Work that one worker of many does now and then, one at a time: a row per
-- kind of run, claimed with a lease like an outbox job (leased_by,
-- leased_until), never by a lock held across the run. The row outlives the
-- workers, so a restart does not run it again the same day, and it says
-- when it last ran. A run is done in batches, each its own transaction,
-- which adds its counts to the row: a run taken over after a crash goes on
-- where the other stopped, and its audit entry counts both parts.
CREATE TABLE maintenance_runs (
    name         text PRIMARY KEY,
    last_run_at  timestamptz,                 -- when the last complete run finished
    started_at   timestamptz,                 -- the run under way (or interrupted); NULL when none is
    counts       jsonb NOT NULL DEFAULT '{}', -- what the run under way has done so far
    leased_by    text,
    leased_until timestamptz
);

-- Spam is purged by when it was last touched (arrival, or sales marking it
-- spam). Only spam is in this index: the daily purge finds it without
-- reading past the years of real leads that are kept.
CREATE INDEX leads_spam_by_update ON leads (updated_at, id) WHERE status = 'spam';

-- A purged lead's bookings go with it (ON DELETE CASCADE), and a lead is
-- kept while a meeting of it is still ahead: both look bookings up by lead,
-- a thousand leads a batch, which without this index is a scan of every
-- booking per lead.
CREATE INDEX bookings_by_lead ON bookings (lead_id);
