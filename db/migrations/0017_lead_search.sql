-- Search at scale: the lead list's `q` is matched against one text of the
-- lead's name, e-mail, company and message, answered by a pg_trgm trigram
-- index. The index is on a table of its own that the worker fills in
-- batches, not on leads: a trigram index on leads cost the form post about
-- 30 % of its throughput (each lead adds some hundred trigrams to it), and
-- the form post must not pay for search. A lead is searchable from its
-- first moment all the same: the list reads the leads after the worker's
-- cursor directly (db/queries/leads.sql, lead-fresh-match).
--
-- pg_trgm is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The fields joined by line breaks: q is one line (the API refuses control
-- characters), so a match never spans two fields. A missing company is
-- empty, not a NULL that would blank the whole text.
CREATE FUNCTION lead_search_text(name text, email text, company text, message text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN name || E'\n' || email || E'\n' || coalesce(company, '') || E'\n' || message;

-- Deleting a lead (erasure, retention) deletes its text with it.
CREATE TABLE lead_search (
    lead_id uuid PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,
    text text NOT NULL
);
CREATE INDEX lead_search_trigrams ON lead_search USING gin (text gin_trgm_ops);

-- How far the worker has indexed, in the order of leads_newest: every lead
-- up to (after_created_at, after_id) is in lead_search. One row; a worker
-- locks it while it indexes a batch, so two workers never index the same
-- leads.
CREATE TABLE lead_search_progress (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    after_created_at timestamptz NOT NULL DEFAULT '-infinity',
    after_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000'
);
INSERT INTO lead_search_progress DEFAULT VALUES;
