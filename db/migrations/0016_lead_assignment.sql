-- Round-robin assignment (sales.assign = "round_robin"): each new lead that
-- is not spam takes the next turn from this sequence and gets the assignee
-- at that turn (modulo their number) as its owner. A sequence hands out
-- turns without locking a row, so several serve processes and concurrent
-- group commits never wait on each other for it; a turn taken by a
-- transaction that then fails is skipped, which only shifts whose turn is
-- next.
CREATE SEQUENCE lead_assignment_turns AS bigint;

-- The owner of a new lead: the assignee whose turn it is, or NULL when there
-- are none (no turn is taken then).
CREATE FUNCTION next_assignee(assignees text[]) RETURNS text
LANGUAGE sql VOLATILE PARALLEL UNSAFE
AS $$
    SELECT CASE WHEN cardinality(assignees) > 0
                THEN assignees[1 + ((nextval('lead_assignment_turns') - 1) % cardinality(assignees))::int] END
$$;
