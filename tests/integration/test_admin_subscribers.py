"""Sales' view of the newsletter: bearer tokens, keyset pagination and the
streamed CSV export (docs/sales-api.md; issue 4)."""

import csv
import hashlib
import io
import json
import unittest

from harness import ServiceTest, named_query, run_leadgate


def insert_subscribers(db, rows):
    """rows: (email, name, state, created_at SQL expression). Each test keeps
    to a date range of its own, since they share one database."""
    for email, name, state, created in rows:
        db.query("INSERT INTO subscribers (id, email, name, state, consent_version, created_at) "
                 f"VALUES (gen_random_uuid(), %s, %s, %s, '1', {created})", (email, name, state))


class AdminSubscribersTest(ServiceTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        environment = {"LEADGATE_DATABASE_URL": cls.db.url}
        cls.sales = run_leadgate(["token", "create", "--name", "Ana (sales)", "--role", "sales"], environment).stdout.strip()
        cls.admin = run_leadgate(["token", "create", "--name", "Ops", "--role", "admin"], environment).stdout.strip()
        revoked = run_leadgate(["token", "create", "--name", "Gone", "--role", "admin"], environment).stdout.strip()
        token_id = cls.db.scalar("SELECT id FROM api_tokens WHERE name = 'Gone'")
        assert run_leadgate(["token", "revoke", str(token_id)], environment).returncode == 0
        cls.revoked = revoked
        # 23 subscribers, several sharing one created_at: the id breaks ties.
        rows = [(f"s{i:02d}@example.com", f"Person {i}", ("pending", "confirmed", "unsubscribed")[i % 3],
                 f"timestamptz '2026-11-{1 + i // 4:02d} 12:00:00+00'") for i in range(23)]
        insert_subscribers(cls.db, rows)

    def get(self, path, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.server.get(path, headers)

    def test_tokens_are_printed_once_and_stored_hashed(self):
        self.assertRegex(self.sales, r"^lg_[0-9a-f]{48}$")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM api_tokens WHERE token_hash = %s", (self.sales,)), 0)
        stored = hashlib.sha256(self.sales.encode()).hexdigest()
        self.assertEqual(self.db.scalar("SELECT count(*) FROM api_tokens WHERE token_hash = %s", (stored,)), 1)
        listing = run_leadgate(["token", "list"], {"LEADGATE_DATABASE_URL": self.db.url}).stdout
        self.assertIn("Ana (sales)", listing)
        self.assertNotIn(self.sales, listing)

    def test_requests_without_a_valid_token_get_401(self):
        for token in (None, "nonsense", "lg_" + "0" * 48, self.revoked):
            with self.subTest(token=token):
                reply = self.get("/v1/admin/subscribers", token)
                self.assertEqual(reply.status, 401)
                self.assertEqual(reply.headers["www-authenticate"], 'Bearer realm="leadgate"')
                self.assertEqual(reply.headers["content-type"], "application/problem+json")
        raw = self.server.get("/v1/admin/subscribers", {"Authorization": "Basic " + self.sales})
        self.assertEqual(raw.status, 401)

    def test_sales_and_admin_tokens_may_list(self):
        for token in (self.sales, self.admin):
            self.assertEqual(self.get("/v1/admin/subscribers", token).status, 200)
        self.assertIsNotNone(self.db.scalar("SELECT last_used_at FROM api_tokens WHERE name = 'Ana (sales)'"))

    def test_pagination_sees_every_subscriber_exactly_once_newest_first(self):
        seen, cursor, pages = [], None, 0
        while True:
            path = "/v1/admin/subscribers?limit=5&to=2026-11-30" + (f"&cursor={cursor}" if cursor else "")
            page = self.get(path, self.sales).json()
            seen += page["items"]
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(pages, 5)
        self.assertEqual(len(seen), 23)
        self.assertEqual(len({item["id"] for item in seen}), 23)
        keys = [(item["created_at"], item["id"]) for item in seen]
        self.assertEqual(keys, sorted(keys, reverse=True))

    def test_filters_by_state_and_date(self):
        items = self.get("/v1/admin/subscribers?state=confirmed&limit=500&to=2026-11-30", self.sales).json()["items"]
        self.assertEqual({item["state"] for item in items}, {"confirmed"})
        self.assertEqual(len(items), 8)
        dated = self.get("/v1/admin/subscribers?from=2026-11-02&to=2026-11-03&limit=500", self.sales).json()["items"]
        self.assertEqual(len(dated), 8)

    def test_search_matches_address_and_name_literally(self):
        insert_subscribers(self.db, [("findme@example.com", "Zed Searchable", "confirmed", "timestamptz '2026-12-10 12:00:00+00'"),
                                     ("percent@example.com", "100% real", "pending", "timestamptz '2026-12-10 12:00:00+00'")])
        def emails(path):
            reply = self.get(path, self.sales)
            self.assertEqual(reply.status, 200, reply.body)
            return [item["email"] for item in reply.json()["items"]]
        self.assertEqual(emails("/v1/admin/subscribers?q=SEARCHABLE"), ["findme@example.com"])
        self.assertEqual(emails("/v1/admin/subscribers?q=findme%40"), ["findme@example.com"])
        self.assertEqual(emails("/v1/admin/subscribers?q=0%25"), ["percent@example.com"], "% is a character, not a wildcard")
        self.assertEqual(emails("/v1/admin/subscribers?q=f_ndme"), [], "_ is a character, not a wildcard")
        export = self.get("/v1/admin/subscribers/export.csv?q=searchable", self.sales)
        self.assertEqual([row["email"] for row in csv.DictReader(io.StringIO(export.text, newline=""))],
                         ["findme@example.com"])
        # The audit log keeps that there was a search, not its text: it is often
        # a person's name or address, and erasure does not reach the audit log.
        audited = lambda: self.db.query("SELECT details->'filters' FROM audit_log WHERE action = 'export' "
                                        "AND details->'filters' ? 'q'")
        self.server.wait_until(audited, "the export's audit entry")  # written when the download ends
        self.assertEqual(audited(), [({"q": True, "format": "csv"},)])
        reply = self.get("/v1/admin/subscribers?q=" + "x" * 201, self.sales)
        self.assertEqual((reply.status, reply.json()["errors"][0]["field"]), (422, "q"))

    def test_one_subscriber_with_its_consent_records(self):
        email = "detail@example.com"
        self.assertEqual(self.server.post_json("/v1/forms/newsletter", {"email": email, "name": "Dee"}).status, 202)
        # Out of the date ranges the other tests count.
        self.db.query("UPDATE subscribers SET created_at = '2026-12-10 12:00Z' WHERE email = %s", (email,))
        subscriber_id = self.db.scalar("SELECT id FROM subscribers WHERE email = %s", (email,))
        reply = self.get(f"/v1/admin/subscribers/{subscriber_id}", self.sales)
        self.assertEqual(reply.status, 200, reply.body)
        detail = reply.json()
        self.assertEqual((detail["subscriber"]["email"], detail["subscriber"]["name"], detail["subscriber"]["state"]),
                         (email, "Dee", "pending"))
        self.assertEqual([(c["form"], c["action"]) for c in detail["consent_records"]], [("newsletter", "signup")])
        for missing in ("00000000-0000-7000-8000-000000000000", "not-an-id"):
            reply = self.get(f"/v1/admin/subscribers/{missing}", self.sales)
            self.assertEqual((reply.status, reply.headers["content-type"]), (404, "application/problem+json"))
        self.assertEqual(self.get(f"/v1/admin/subscribers/{subscriber_id}").status, 401)

    def test_a_bots_signup_is_kept_flagged_apart_from_the_list(self):
        bot = "bot-signup@example.com"
        post = {"email": bot, "name": "Cheap pills", "_gotcha": "x", "utm_source": "spam"}
        for _ in range(2):  # a retry with the same key replays the answer and stores nothing more
            reply = self.server.post_json("/v1/forms/newsletter", post, {"Idempotency-Key": "bot-key-1"})
            self.assertEqual((reply.status, reply.json()), (202, {"status": "pending_confirmation"}))
        self.assertEqual(self.db.scalar("SELECT count(*) FROM newsletter_spam WHERE email = %s", (bot,)), 1)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM subscribers WHERE email = %s", (bot,)), 0)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs WHERE recipient = %s", (bot,)), 0)

        listed = self.get("/v1/admin/subscribers?q=bot-signup", self.sales).json()["items"]
        self.assertEqual(listed, [], "spam is listed only when asked for")
        flagged = self.get("/v1/admin/subscribers?state=spam", self.sales).json()["items"]
        self.assertEqual([(item["email"], item["name"], item["state"], item["spam_reason"], item["utm_source"])
                          for item in flagged], [(bot, "Cheap pills", "spam", "honeypot", "spam")])
        detail = self.get(f"/v1/admin/subscribers/{flagged[0]['id']}", self.sales).json()
        self.assertEqual((detail["subscriber"]["state"], detail["consent_records"]), ("spam", []))
        export = self.get("/v1/admin/subscribers/export.csv?state=spam", self.sales)
        rows = list(csv.DictReader(io.StringIO(export.body.decode("utf-8"), newline="")))
        self.assertEqual([(row["email"], row["state"], row["spam_reason"]) for row in rows],
                         [(bot, "spam", "honeypot")])

    def test_listing_spam_does_not_walk_the_subscribers(self):
        # The service's prepared statements may run on a generic plan, which
        # knows no state. Asking for spam must still never open the
        # subscribers' half of the listing, or it reads every subscriber to
        # find none; and the default listing must never open the spam half.
        for state, unopened in (("'spam'", "subscribers"), ("NULL", "newsletter_spam")):
            with self.subTest(state=state):
                plan = self.db.query(
                    "SET plan_cache_mode = force_generic_plan; "
                    f"PREPARE listing AS {named_query('subscribers.sql', 'list-subscribers')}; "
                    f"EXPLAIN (ANALYZE, COSTS OFF) EXECUTE listing({state}, NULL, NULL, NULL, NULL, NULL, 50)")
                scans = [row[0] for row in plan if f" on {unopened} " in row[0] or row[0].endswith(f" on {unopened}")]
                self.assertTrue(scans, "\n".join(row[0] for row in plan))
                self.assertTrue(all("(never executed)" in scan for scan in scans), "\n".join(row[0] for row in plan))

    def test_bad_parameters_get_422_naming_them(self):
        for query, field in (("state=gone", "state"), ("limit=0", "limit"), ("limit=501", "limit"),
                             ("cursor=abc", "cursor"), ("from=2026-13-01", "from")):
            reply = self.get("/v1/admin/subscribers?" + query, self.sales)
            self.assertEqual(reply.status, 422, query)
            self.assertEqual(reply.json()["errors"][0]["field"], field)

    def test_export_is_streamed_csv_that_a_csv_reader_round_trips(self):
        hostile = [("comma@example.com", 'Smith, "Jr"'), ("newline@example.com", "two\nlines"),
                   ("utf8@example.com", "Zoë Ånström 東京"), ("formula@example.com", "=HYPERLINK(\"x\")"),
                   ("plus@example.com", "+49 30"), ("minus@example.com", "-2"), ("at@example.com", "@SUM(A1)"),
                   ("tab@example.com", "\tTab"), ("cr@example.com", "\rCR")]
        insert_subscribers(self.db, [(email, name, "pending", "timestamptz '2026-12-24 12:00:00+00'")
                                     for email, name in hostile])
        reply = self.get("/v1/admin/subscribers/export.csv?from=2026-12-24&to=2026-12-24", self.sales)
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.headers["transfer-encoding"], "chunked")
        self.assertTrue(reply.headers["content-type"].startswith("text/csv"))
        self.assertIn(b"\r\n", reply.body)
        rows = list(csv.DictReader(io.StringIO(reply.body.decode("utf-8"), newline="")))
        names = {row["email"]: row["name"] for row in rows}
        self.assertEqual(len(rows), len(hostile))
        self.assertEqual(names["comma@example.com"], 'Smith, "Jr"')
        self.assertEqual(names["newline@example.com"], "two\nlines")
        self.assertEqual(names["utf8@example.com"], "Zoë Ånström 東京")
        for email, name in hostile[3:]:
            self.assertEqual(names[email], "'" + name, "a formula cell was not neutralised")

        # Audit entries are written when a download ends, asynchronously: wait
        # for this export's own entry rather than read whichever came last.
        entry = lambda: self.db.query(
            "SELECT actor, details->>'resource', (details->>'rows')::int, details->'filters' FROM audit_log "
            "WHERE action = 'export' AND details->'filters'->>'from' = '2026-12-24'")
        self.server.wait_until(entry, "the export's audit entry")
        audit = entry()
        self.assertEqual(audit, [("Ana (sales)", "subscribers", len(hostile), {"from": "2026-12-24", "to": "2026-12-24", "format": "csv"})])

    def test_format_json_exports_one_json_object_per_line(self):
        reply = self.get("/v1/admin/subscribers/export.csv?format=json&to=2026-11-30", self.sales)
        self.assertEqual(reply.headers["content-type"], "application/x-ndjson")
        lines = [json.loads(line) for line in reply.text.splitlines()]
        self.assertEqual(sorted(line["email"] for line in lines), [f"s{i:02d}@example.com" for i in range(23)])
        created = [line["created_at"] for line in lines]
        self.assertEqual(created, sorted(created), "exports run oldest first")

    def test_a_large_export_arrives_whole(self):
        self.db.query("INSERT INTO subscribers (id, email, state, consent_version, created_at) "
                      "SELECT gen_random_uuid(), 'bulk' || g || '@example.com', 'confirmed', '1', "
                      "timestamptz '2027-01-01 00:00:00+00' + g * interval '1 second' FROM generate_series(1, 20000) g")
        reply = self.get("/v1/admin/subscribers/export.csv?from=2027-01-01", self.admin)
        rows = list(csv.reader(io.StringIO(reply.body.decode("utf-8"), newline="")))
        self.assertEqual(len(rows), 20001)
        self.assertEqual(rows[1][1], "bulk1@example.com")
        self.assertEqual(rows[-1][1], "bulk20000@example.com")


if __name__ == "__main__":
    unittest.main()
