-- Fewer index entries per lead (issue 23): every entry is written by the
-- form post and read by nothing that needs it to be fast.
--
-- leads_by_email (lower(email)): privacy requests now find a person's leads
-- by leads_by_address_key, which every spelling of an address shares, and
-- compare the address exactly after (db/queries/privacy.sql).
DROP INDEX leads_by_email;

-- leads_by_form_status: the list filters by form and status while walking
-- leads_newest (newest first, 50 a page), which finds a page of a common
-- status quickly at a million leads (bench/RESULTS.md); the dashboard
-- counts a range of days, by leads_newest too. A status sales set (won,
-- lost, …) may be rare, and a walk would read far to fill a page: those
-- have an index that a new lead, arriving as new or spam, takes no entry in.
DROP INDEX leads_by_form_status;
CREATE INDEX leads_by_worked_status ON leads (status, created_at DESC, id DESC) WHERE status NOT IN ('new', 'spam');

-- jobs_by_status (status, id) held every job, sent ones included. What
-- needs a status quickly: the metrics' queued and dead counts (queued ones
-- are in jobs_due_by_kind) and the admin's list of dead or cancelled jobs.
-- A job enters this index only when it fails for good or is cancelled,
-- never when it is queued. (Built in the migration's transaction: on a large
-- outbox that holds up new jobs, and so form posts, for a second or so per
-- million jobs.)
DROP INDEX jobs_by_status;
CREATE INDEX jobs_dead_or_cancelled ON jobs (status, id) WHERE status IN ('dead', 'cancelled');
