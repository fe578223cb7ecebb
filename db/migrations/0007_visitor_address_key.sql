-- The per-address cap on visitor e-mails counted each exact address, so
-- victim+1@…, victim+2@… and v.i.c.t.i.m@… each got a fresh quota, and
-- booking reminders and cancellations were not counted at all (issue 16
-- item 3). The cap now counts by a key: the address in lower case, without
-- its sub-address tag (from the first "+" of the local part) and without
-- the local part's dots. The address itself is still stored and mailed as
-- typed; only the count is by key. A few real people share a key (a.b@ and
-- ab@ at a provider that tells dots apart): for a flood guard of a few
-- e-mails a day, counting them together is the safe side.
-- (split_part and replace, not a regular expression: the key is computed
-- for every lead on the form post's path, and a regexp_replace cost the
-- insert statement about a tenth of its speed in bench/run.)
CREATE FUNCTION visitor_address_key(address text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN replace(split_part(lower(split_part(address, '@', 1)), '+', 1), '.', '') || '@' ||
           lower(split_part(address, '@', 2));

-- Built before the old one is dropped: the cap never goes without an index.
CREATE INDEX jobs_visitor_emails_by_key ON jobs (visitor_address_key(recipient), created_at)
    WHERE template IN ('estimate_confirmation', 'newsletter_confirmation', 'booking_confirmation',
                       'booking_reminder', 'booking_cancellation');

-- Every e-mail a visitor receives, keyed. (Columns can only be added at the
-- end of a view that is replaced.)
CREATE OR REPLACE VIEW visitor_emails_last_day AS
SELECT recipient, created_at, visitor_address_key(recipient) AS address_key
FROM jobs
WHERE template IN ('estimate_confirmation', 'newsletter_confirmation', 'booking_confirmation',
                   'booking_reminder', 'booking_cancellation')
  AND created_at > now() - interval '1 day';

DROP INDEX jobs_visitor_emails;
