"""The lead list's q at scale (issue 22 item 5, SPEC §10 "Search at scale"):
q finds a lead by any part of its name, e-mail, company or message in any
case, with % and _ taken literally, and PostgreSQL answers it from the
trigram index leads_search (db/migrations/0016) when the table is large,
for the list and the export alike (one filter clause, lead-filter)."""

import re

from admin_api import bearer, create_token
from harness import ServiceTest, named_query, wait_until


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

    def emails(self, q):
        reply = self.server.get("/v1/admin/leads?q=" + q, bearer(self.sales))
        self.assertEqual(reply.status, 200, reply.body)
        return {item["email"] for item in reply.json()["items"]}

    def test_q_finds_any_part_of_each_field_in_any_case(self):
        found = {"zq.lookup@example.org"}
        self.assertEqual(self.emails("quintana-BRIGHT"), found, "name")
        self.assertEqual(self.emails("ZQ.Lookup%40EXAMPLE"), found, "e-mail")
        self.assertEqual(self.emails("fjordLIGHT"), found, "company")
        self.assertEqual(self.emails("heliotrope%20PLANNER"), found, "message")
        self.assertEqual(self.emails("marigold"), {"plain@example.org"}, "a lead without a company")
        self.assertEqual(self.emails("zo%C3%AB%20quin"), found, "non-ASCII letters")

    def test_percent_and_underscore_are_literal(self):
        self.assertEqual(self.emails("50%25_off"), {"zq.lookup@example.org"})
        self.assertEqual(self.emails("5%25off"), set(), "% is not a wildcard")
        self.assertEqual(self.emails("50__off"), set(), "_ is not a wildcard")
        self.assertEqual(self.emails("%25"), {"zq.lookup@example.org"})

    def test_a_match_does_not_span_two_fields(self):
        self.assertEqual(self.emails("Brightwater%20zq.lookup"), set())
        self.assertEqual(self.emails("Ltd%20We%20need"), set())


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
        # As autovacuum would: VACUUM moves the index's pending list (where
        # new rows' trigrams wait) into the index proper; the planner counts
        # a long pending list as slow.
        cls.db.query("VACUUM ANALYZE leads")

    def emails(self, q):
        reply = self.server.get("/v1/admin/leads?q=" + q, bearer(self.sales))
        self.assertEqual(reply.status, 200, reply.body)
        return {item["email"] for item in reply.json()["items"]}

    def test_the_list_and_the_export_use_the_trigram_index_at_scale(self):
        for name in ["list-leads", "export-leads"]:
            with self.subTest(name):
                plan = self.plan(name, "%heliotrope%")
                self.assertIn("leads_search", plan)
                self.assertNotIn("Seq Scan", plan)
        # What serve does: after other filters (which would have turned a
        # prepared statement into a generic plan, which cannot use the
        # index for a filter that may be NULL), q still reads the index.
        for path in ["/v1/admin/leads", "/v1/admin/leads?status=won", "/v1/admin/leads?from=2026-01-01"] * 5:
            self.assertEqual(self.server.get(path, bearer(self.sales)).status, 200)
        scans = self.index_scans()
        self.assertEqual(self.emails("heliotrope"), {"person777@example.com"})
        wait_until(lambda: self.index_scans() > scans, 20, "a scan of leads_search (pg_stat_user_indexes)")

    def index_scans(self):
        return self.db.scalar("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'leads_search'")

    def plan(self, name, pattern):
        """EXPLAIN of a named statement with q given and every other
        parameter NULL (the limit 50), planned for those values as serve
        has them planned (sent with its parameters, not prepared)."""
        sql = named_query("leads.sql", name)
        count = max(int(number) for number in re.findall(r"\$(\d+)", sql))
        values = ["NULL"] * count
        values[4] = "'" + pattern + "'"
        if name == "list-leads":
            values[-1] = "50"
        for number in range(count, 0, -1):  # $10 before $1
            sql = sql.replace(f"${number}", values[number - 1])
        return "\n".join(row[0] for row in self.db.query("EXPLAIN " + sql.replace("%", "%%")))
