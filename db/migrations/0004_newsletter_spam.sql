-- SPEC (abuse protection): a bot's submission is stored flagged spam and
-- mails nobody. A newsletter bot's post is not a subscriber: as one it would
-- put a stranger's address in the list, hold that address's state, or lower
-- it. So it is kept apart, one row per post, with why it was judged a bot.
-- Subject access and erasure cover it like every other table that holds an
-- address (db/queries/privacy.sql).
CREATE TABLE newsletter_spam (
    id             uuid PRIMARY KEY,
    email          text NOT NULL,
    name           text,
    spam_reason    text NOT NULL,
    page_url       text,
    referrer       text,
    utm_source     text,
    utm_medium     text,
    utm_campaign   text,
    utm_term       text,
    utm_content    text,
    client_address inet,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX newsletter_spam_newest ON newsletter_spam (created_at DESC, id DESC);
CREATE INDEX newsletter_spam_by_email ON newsletter_spam (lower(email));

-- What the admin API and page list as subscribers: the real ones, and the
-- bots' posts in state 'spam' (shown only when asked for, as with leads).
-- A filter on state reaches the spam branch as a constant comparison, which
-- PostgreSQL evaluates once: listing real subscribers does not read it.
CREATE VIEW subscriber_listing AS
SELECT id, email, name, state, NULL::text AS spam_reason, consent_version, created_at, confirmed_at,
       unsubscribed_at, page_url, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content
FROM subscribers
UNION ALL
SELECT id, email, name, 'spam', spam_reason, NULL, created_at, NULL, NULL, page_url, referrer, utm_source,
       utm_medium, utm_campaign, utm_term, utm_content
FROM newsletter_spam;
