-- Search at scale (issue 22 item 5, SPEC §10): the lead list's `q` matched
-- name, e-mail, company and message with four ILIKE '%q%', which no index
-- can answer, so every search read the whole table. Now one trigram index
-- answers it: q is matched against one text made of the four fields, the
-- same expression in the index and in the filter (db/queries/leads.sql,
-- lead-filter), and pg_trgm's GIN operator class answers LIKE and ILIKE
-- with any wildcards inside (its trigrams are case-folded).
--
-- pg_trgm is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The fields joined by line breaks: q is one line (the API refuses control
-- characters), so a match never spans two fields. A missing company is
-- empty, not a NULL that would blank the whole text. Inlined by the planner
-- in both places, so the filter and the index expression are the same.
CREATE FUNCTION lead_search_text(name text, email text, company text, message text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN name || E'\n' || email || E'\n' || coalesce(company, '') || E'\n' || message;

-- Default fastupdate: a form post adds its trigrams to the index's pending
-- list, merged in bulk by autovacuum (or by an insert once the list passes
-- gin_pending_list_limit). The cheapest setting tried, and still the form
-- post's dearest part: about a quarter of its throughput (bench/RESULTS.md,
-- "search at scale", with what would pay it back).
-- Built inside the migration's transaction, not CONCURRENTLY: form posts
-- wait while it builds (about a minute per million leads on the bench VM).
CREATE INDEX leads_search ON leads USING gin (lead_search_text(name, email, company, message) gin_trgm_ops);
