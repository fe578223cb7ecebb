-- Who handles a lead (issue 22): `owner`, a salesperson's name, or none.
-- The list filters by it (owner=NAME, owner=none); changes are in the
-- lead's history.
ALTER TABLE leads ADD COLUMN owner text CHECK (char_length(owner) BETWEEN 1 AND 100);
CREATE INDEX leads_by_owner ON leads (owner, created_at DESC, id DESC) WHERE owner IS NOT NULL;

ALTER TABLE lead_events DROP CONSTRAINT lead_events_field_check;
ALTER TABLE lead_events ADD CONSTRAINT lead_events_field_check CHECK (field IN ('status', 'note', 'notices', 'owner'));
