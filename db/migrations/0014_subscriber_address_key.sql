-- A lead's detail shows the person's newsletter subscription, found by the
-- address key as their other leads are (no case, no +tag, no dots in the
-- local part): an index for that lookup.
CREATE INDEX subscribers_by_address_key ON subscribers (visitor_address_key(email));
