-- The peer's own schema (bench/peer): what a team writing the estimate form
-- on Node would create. A lead, and an e-mail queue a worker polls, with the
-- indexes such a team adds on day one: the listing's order, the worker's due
-- rows, and the foreign key's (for ON DELETE CASCADE and "this lead's
-- e-mails").
CREATE TABLE leads (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    form              text NOT NULL,
    status            text NOT NULL DEFAULT 'new',
    name              text NOT NULL,
    email             text NOT NULL,
    message           text NOT NULL,
    company           text,
    phone             text,
    budget            text,
    timeline          text,
    services          text[] NOT NULL DEFAULT '{}',
    consent_marketing boolean NOT NULL DEFAULT false,
    consent_version   text NOT NULL,
    page_url          text,
    referrer          text,
    utm_source        text,
    utm_medium        text,
    utm_campaign      text,
    utm_term          text,
    utm_content       text,
    client_address    inet,
    user_agent        text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_created_at ON leads (created_at DESC);

CREATE TABLE jobs (
    id         bigserial PRIMARY KEY,
    lead_id    uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    template   text NOT NULL,
    recipient  text NOT NULL,
    reply_to   text,
    payload    jsonb NOT NULL DEFAULT '{}',
    status     text NOT NULL DEFAULT 'queued',
    attempts   integer NOT NULL DEFAULT 0,
    run_at     timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_lead_id ON jobs (lead_id);
