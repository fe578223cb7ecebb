-- Spam becomes a score (issue 21): every lead and newsletter signup carries
-- spam_score (0-100) and spam_reasons (the signals that made it up), and is
-- spam at or above forms.spam_threshold. The single spam_reason stays for
-- clients that read it: the first reason of a lead that is spam.

ALTER TABLE leads
    DROP CONSTRAINT leads_spam_reason_check,
    ADD COLUMN spam_score smallint NOT NULL DEFAULT 0 CHECK (spam_score BETWEEN 0 AND 100),
    ADD COLUMN spam_reasons text[] NOT NULL DEFAULT '{}',
    -- SHA-256 of the normalised free text (domain/spam_score.hpp), for the
    -- `duplicate` signal: the same text from another address within a day.
    ADD COLUMN message_digest bytea,
    -- Whether its confirmation, notification and webhook were queued: at
    -- once for a lead that is not spam, at its first release for one that
    -- was. Releasing twice must not queue them twice.
    ADD COLUMN notices_queued boolean NOT NULL DEFAULT true;

-- Part one's spam was certain (a honeypot, a fill time): full marks.
UPDATE leads SET spam_score = 100, spam_reasons = ARRAY[spam_reason], notices_queued = false
WHERE spam_reason IS NOT NULL;
-- A lead sales marked spam (no spam_reason) had its notices when it came
-- in: it keeps notices_queued, and releasing it sends nothing again.

CREATE INDEX leads_by_message_digest ON leads (message_digest, created_at) WHERE message_digest IS NOT NULL;
-- A person's submissions, linked by the address key (no case, no +tag, no
-- dots in the local part): the lead detail lists them, the notification
-- counts them.
CREATE INDEX leads_by_address_key ON leads (visitor_address_key(email), created_at);

ALTER TABLE newsletter_spam
    ADD COLUMN spam_score smallint NOT NULL DEFAULT 100 CHECK (spam_score BETWEEN 0 AND 100),
    ADD COLUMN spam_reasons text[] NOT NULL DEFAULT '{}';
UPDATE newsletter_spam SET spam_reasons = ARRAY[spam_reason];

-- A real subscriber's latest signup may carry signals below the threshold
-- (a throwaway address): sales see them.
ALTER TABLE subscribers
    ADD COLUMN spam_score smallint NOT NULL DEFAULT 0 CHECK (spam_score BETWEEN 0 AND 100),
    ADD COLUMN spam_reasons text[] NOT NULL DEFAULT '{}';

-- Listed with their scores. (Columns can only be added at the end of a view
-- that is replaced.)
CREATE OR REPLACE VIEW subscriber_listing AS
SELECT id, email, name, state, NULL::text AS spam_reason, consent_version, created_at, confirmed_at,
       unsubscribed_at, page_url, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content,
       spam_score, spam_reasons
FROM subscribers
UNION ALL
SELECT id, email, name, 'spam', spam_reason, NULL, created_at, NULL, NULL, page_url, referrer, utm_source,
       utm_medium, utm_campaign, utm_term, utm_content, spam_score, spam_reasons
FROM newsletter_spam;

-- A lead's history records releases and the e-mails dropped when it is
-- marked spam.
ALTER TABLE lead_events DROP CONSTRAINT lead_events_field_check;
ALTER TABLE lead_events ADD CONSTRAINT lead_events_field_check CHECK (field IN ('status', 'note', 'notices'));
