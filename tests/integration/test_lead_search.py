"""The lead list's q at scale (docs/sales-api.md, "Lists"; issue 22 item 5):
q finds a lead by any part of its name, e-mail, company or message in any
case, with % and _ taken literally, whether the worker has indexed it into
lead_search yet or not (db/migrations/0017); PostgreSQL answers it from the
trigram index when the table is large, for the list and the export alike;
a q shorter than three characters is a 422."""

import re
import uuid


from admin_api import bearer, create_token
from harness import ServiceTest, connect, named_query, wait_until

# The worker's statement with no delay: everything stored is indexed.
BATCH, NO_DELAY = 1000, 0


class LeadSearchTest(ServiceTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales = create_token(cls.db, "Ana (sales)", "sales")
        for email, fields in [
                ("zq.lookup@example.org", {"name": "Zoë Quintana-Brightwater", "company": "Fjordlight 50%_Off Ltd",
                                           "message": "We need a Heliotrope planner for our shops."}),
                ("plain@example.org", {"name": "Bo Plain", "message": "A website with a Marigold theme."}),
        ]:
            reply = cls.server.post_json("/v1/forms/estimate", {"email": email, **fields})
            assert reply.status == 201, reply.body

    def emails(self, q, path="/v1/admin/leads"):
        reply = self.server.get(f"{path}?q={q}", bearer(self.sales))
        self.assertEqual(reply.status, 200, reply.body)
        if path.endswith("export.csv"):
            return {re.search(r"[\w.]+@example\.org", line).group(0) for line in reply.text.splitlines()[1:]}
        return {item["email"] for item in reply.json()["items"]}

    def index_everything(self):
        self.db.run_named("search.sql", "index-lead-search", BATCH, NO_DELAY, None)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads l WHERE NOT EXISTS "
                                        "(SELECT FROM lead_search s WHERE s.lead_id = l.id)"), 0)

    def unindex_everything(self):
        self.db.query("DELETE FROM lead_search")
        self.db.query("UPDATE lead_search_progress SET after_created_at = '-infinity', "
                      "after_id = '00000000-0000-0000-0000-000000000000'")

    def each_state(self):
        """The same assertions before the worker indexed the leads (found in
        leads itself) and after (found in lead_search), in the list and in
        the export."""
        for state in ("not indexed", "indexed"):
            if state == "indexed":
                self.index_everything()
            else:
                self.unindex_everything()
            for path in ("/v1/admin/leads", "/v1/admin/leads/export.csv"):
                with self.subTest(state=state, path=path):
                    yield lambda q, path=path: self.emails(q, path)

    def test_q_finds_any_part_of_each_field_in_any_case(self):
        found = {"zq.lookup@example.org"}
        for emails in self.each_state():
            self.assertEqual(emails("quintana-BRIGHT"), found, "name")
            self.assertEqual(emails("ZQ.Lookup%40EXAMPLE"), found, "e-mail")
            self.assertEqual(emails("fjordLIGHT"), found, "company")
            self.assertEqual(emails("heliotrope%20PLANNER"), found, "message")
            self.assertEqual(emails("marigold"), {"plain@example.org"}, "a lead without a company")
            self.assertEqual(emails("zo%C3%AB%20quin"), found, "non-ASCII letters")

    def test_percent_and_underscore_are_literal(self):
        for emails in self.each_state():
            self.assertEqual(emails("50%25_off"), {"zq.lookup@example.org"})
            self.assertEqual(emails("5%25off"), set(), "% is not a wildcard")
            self.assertEqual(emails("50__off"), set(), "_ is not a wildcard")
            self.assertEqual(emails("%25_O"), {"zq.lookup@example.org"})

    def test_a_match_does_not_span_two_fields(self):
        for emails in self.each_state():
            self.assertEqual(emails("Brightwater%20zq.lookup"), set())
            self.assertEqual(emails("Ltd%20We%20need"), set())

    def test_a_q_shorter_than_three_characters_is_a_422_naming_q(self):
        for q in ("ab", "%C3%BC1"):
            reply = self.server.get(f"/v1/admin/leads?q={q}", bearer(self.sales))
            self.assertEqual(reply.status, 422, reply.body)
            self.assertEqual([error["field"] for error in reply.json()["errors"]], ["q"])
        self.assertEqual(self.emails("Bo%20"), {"plain@example.org"}, "three characters with a space")

    def test_an_erased_lead_leaves_no_text_behind(self):
        reply = self.server.post_json("/v1/forms/estimate", {"email": "erase.me@example.org", "name": "Erin Erasable",
                                                             "message": "Please forget the Tamarind project."})
        self.assertEqual(reply.status, 201, reply.body)
        self.index_everything()
        self.assertEqual(self.db.scalar("SELECT count(*) FROM lead_search WHERE text ILIKE '%%tamarind%%'"), 1)
        admin = create_token(self.db, "Admin", "admin")
        erased = self.server.request("DELETE", "/v1/admin/subjects?email=erase.me@example.org", headers=bearer(admin))
        self.assertEqual(erased.status, 200, erased.body)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM lead_search WHERE text ILIKE '%%tamarind%%'"), 0)


class SearchIndexingTest(ServiceTest):
    """The worker's statement (db/queries/search.sql, index-lead-search)."""

    def lead(self, name, age_seconds, created_at=None):
        lead_id = str(uuid.uuid4())
        self.db.query("INSERT INTO leads (id, form, status, name, email, message, consent_version, created_at) "
                      "VALUES (%s, 'estimate', 'new', %s, %s, 'A request', '1', "
                      "coalesce(%s::timestamptz, now() - %s * interval '1 second'))",
                      (lead_id, name, f"{name.lower()}@example.com", created_at, age_seconds))
        return lead_id

    def indexed_names(self):
        return {row[0].split("\n")[0] for row in self.db.query("SELECT text FROM lead_search")}

    def index(self, batch, delay):
        """The worker's round: the oldest open transaction, then the batch."""
        oldest_open = self.db.run_named("search.sql", "oldest-open-transaction")[0][0]
        rows = self.db.run_named("search.sql", "index-lead-search", batch, delay, oldest_open)
        return rows[0][0] if rows else None

    def test_a_lead_is_indexed_once_older_than_the_delay_and_the_cursor_never_skips_a_tie(self):
        self.db.query("DELETE FROM leads")
        self.lead("Old", 600)
        self.lead("Recent", 5)
        self.assertEqual(self.index(100, 60), 1)
        self.assertEqual(self.indexed_names(), {"Old"})
        self.assertEqual(self.index(100, 60), 0, "nothing more is old enough")
        # Five leads of one group commit share their created_at: batches of
        # two go through them by (created_at, id) and miss none.
        shared = self.db.scalar("SELECT now() - interval '300 seconds'")
        names = [f"Tie{n}" for n in range(5)]
        for name in names:
            self.lead(name, 0, shared)
        self.assertEqual([self.index(2, 60) for _ in range(4)], [2, 2, 1, 0])
        self.assertEqual(self.indexed_names(), {"Old", *names})
        self.assertEqual(self.index(100, 0), 1)
        self.assertEqual(self.indexed_names(), {"Old", "Recent", *names})

    def test_the_cursor_waits_for_a_transaction_still_storing_a_lead(self):
        """A lead's created_at is its transaction's start: a lead stored by a
        transaction that began earlier but commits later must still be
        indexed, however long that transaction takes."""
        self.db.query("DELETE FROM leads")
        with connect(self.db.url) as slow:
            cursor = slow.cursor()
            cursor.execute("BEGIN")
            cursor.execute("SELECT now()")  # the transaction (and its leads' created_at) starts here
            self.lead("Later", 0)  # begins and commits after the slow one began
            cursor.execute("INSERT INTO leads (id, form, status, name, email, message, consent_version) "
                           "VALUES (%s, 'estimate', 'new', 'Slow', 'slow@example.com', 'A request', '1')",
                           (str(uuid.uuid4()),))
            self.assertEqual(self.index(100, 0), 0, "nothing after the open transaction's start")
            cursor.execute("COMMIT")
        self.assertEqual(self.index(100, 0), 2)
        self.assertEqual(self.indexed_names(), {"Slow", "Later"})

    def test_a_second_worker_skips_the_batch_another_is_indexing(self):
        self.lead("Waiting", 0)
        with connect(self.db.url) as holder:
            cursor = holder.cursor()
            cursor.execute("BEGIN")
            cursor.execute("SELECT FROM lead_search_progress FOR UPDATE")
            self.assertIsNone(self.index(100, 0), "no row: the other worker has the cursor")
            cursor.execute("ROLLBACK")
        self.assertGreaterEqual(self.index(100, 0), 1)


class LeadSearchAtScaleTest(ServiceTest):
    """A class of its own: the index's scan count must not include the
    searches of the tests above. One pooled connection, so the statements
    run on one session, where a prepared statement would go generic."""

    server_env = {"LEADGATE_DATABASE_POOL_SIZE": "1"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales = create_token(cls.db, "Ana (sales)", "sales")
        cls.db.query("INSERT INTO leads (id, form, status, name, email, message, company, consent_version, created_at) "
                     "SELECT gen_random_uuid(), 'estimate', (ARRAY['new','contacted','won','lost'])[1 + mod(g, 4)], "
                     "'Person ' || g, 'person' || g || '@example.com', "
                     "'We need a website, reference ' || md5(g::text) || "
                     "CASE WHEN g = 777 THEN ' and a Heliotrope planner' ELSE '' END, "
                     "CASE WHEN mod(g, 3) = 0 THEN NULL ELSE 'Company ' || mod(g, 500) END, '1', "
                     "now() - g * interval '1 minute' FROM generate_series(1, 20000) g")
        cls.db.run_named("search.sql", "index-lead-search", 100000, NO_DELAY, None)
        # As autovacuum would: VACUUM moves the index's pending list (where
        # new rows' trigrams wait) into the index proper; the planner counts
        # a long pending list as slow.
        cls.db.query("VACUUM ANALYZE leads")
        cls.db.query("VACUUM ANALYZE lead_search")

    def emails(self, q):
        reply = self.server.get("/v1/admin/leads?q=" + q, bearer(self.sales))
        self.assertEqual(reply.status, 200, reply.body)
        return {item["email"] for item in reply.json()["items"]}

    def test_the_list_and_the_export_use_the_trigram_index_at_scale(self):
        for name in ["list-leads-matching", "export-leads-matching"]:
            with self.subTest(name):
                plan = self.plan(name, "%heliotrope%")
                self.assertIn("lead_search_trigrams", plan)
                self.assertNotIn("Seq Scan on leads", plan)
        # What serve does: after other filters (which would have turned a
        # prepared statement into a generic plan), q still reads the index.
        # (No other search before it: the index's scan count, which
        # PostgreSQL updates a moment later, must be this search's alone.)
        for path in ["/v1/admin/leads", "/v1/admin/leads?status=won", "/v1/admin/leads?from=2026-01-01"] * 5:
            self.assertEqual(self.server.get(path, bearer(self.sales)).status, 200)
        scans = self.index_scans()
        self.assertEqual(self.emails("heliotrope"), {"person777@example.com"})
        wait_until(lambda: self.index_scans() > scans, 20, "a scan of lead_search_trigrams (pg_stat_user_indexes)")

    def index_scans(self):
        return self.db.scalar("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'lead_search_trigrams'")

    def plan(self, name, pattern):
        """EXPLAIN of a named statement with q given and every other
        parameter NULL (the limit 50), planned for those values as serve
        has them planned (sent with its parameters, not prepared)."""
        sql = named_query("leads.sql", name)
        count = max(int(number) for number in re.findall(r"\$(\d+)", sql))
        values = ["NULL"] * count
        values[5] = "'" + pattern + "'"
        if name.startswith("list-leads"):
            values[-1] = "50"
        for number in range(count, 0, -1):  # $10 before $1
            sql = sql.replace(f"${number}", values[number - 1])
        return "\n".join(row[0] for row in self.db.query("EXPLAIN " + sql.replace("%", "%%")))
