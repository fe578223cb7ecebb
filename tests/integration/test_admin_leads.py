"""Sales' leads API: filters, pagination, detail with history, changes,
exports over HTTP and on the command line (docs/sales-api.md; issue 6)."""

import csv
import http.client
import io
import json
import unittest

from admin_api import all_pages, bearer, create_token
from harness import SANITIZED, Response, ServiceTest, check_contract, run_leadgate, wait_until


def lead(email, **fields):
    return {"name": "Ana Example", "email": email, "message": "A project about apps and more.", **fields}


class AdminLeadsTest(ServiceTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales = create_token(cls.db, "Ana (sales)", "sales")
        cls.admin = create_token(cls.db, "Ops", "admin")
        post = cls.server.post_json
        cls.ids = {}
        for email, fields in [("first@example.com", {}), ("second@example.com", {"company": "Widgets 100% GmbH"}),
                              ("third@example.com", {"message": "=IMPORTXML(\"http://x\") please call"}),
                              ("fourth@example.com", {"services": ["api", "design"]}),
                              ("bot@example.com", {"_gotcha": "spam"})]:
            reply = post("/v1/forms/estimate", lead(email, **fields))
            assert reply.status == 201, reply.body
            cls.ids[email] = reply.json()["id"]

    def get(self, path, token=None):
        return self.server.get(path, bearer(token or self.sales))

    def patch(self, lead_id, body, token=None):
        return self.server.request("PATCH", f"/v1/admin/leads/{lead_id}", json.dumps(body),
                                   {"Content-Type": "application/json", **bearer(token or self.sales)})

    def emails(self, path):
        """Today's leads only: other tests add older ones to the same database."""
        separator = "&" if "?" in path else "?"
        return {item["email"] for item in self.get(path + separator + "from=2026-01-01").json()["items"]}

    def test_listing_hides_spam_unless_asked_and_filters(self):
        self.assertEqual(self.emails("/v1/admin/leads"),
                         {"first@example.com", "second@example.com", "third@example.com", "fourth@example.com"})
        self.assertEqual(self.emails("/v1/admin/leads?status=spam"), {"bot@example.com"})
        self.assertEqual(self.emails("/v1/admin/leads?form=consultation"), set())
        self.assertEqual(self.emails("/v1/admin/leads?q=100%25"), {"second@example.com"})
        self.assertEqual(self.emails("/v1/admin/leads?q=IMPORTxml"), {"third@example.com"})
        self.assertEqual(self.emails("/v1/admin/leads?q=___"), set(), "LIKE wildcards are literal")
        self.assertEqual(self.emails("/v1/admin/leads?to=2000-01-02"), set())
        item = self.get("/v1/admin/leads?q=fourth&from=2026-01-01").json()["items"][0]
        self.assertEqual(item["services"], ["api", "design"])
        self.assertNotIn("client_address", item)

    def test_pagination_sees_every_lead_once(self):
        self.db.query("INSERT INTO leads (id, form, name, email, message, consent_version, created_at) "
                      "SELECT gen_random_uuid(), 'estimate', 'Bulk', 'bulk' || g || '@example.com', 'message text', '1', "
                      "timestamptz '2025-06-01 10:00+00' + (g / 3) * interval '1 minute' FROM generate_series(1, 47) g")
        items, pages = all_pages(self.server, "/v1/admin/leads?limit=10&from=2025-06-01&to=2025-06-30", self.sales)
        self.assertEqual((len(items), pages), (47, 5))
        self.assertEqual(len({item["id"] for item in items}), 47)

    def test_detail_and_changes_keep_a_history_with_who_made_them(self):
        lead_id = self.ids["first@example.com"]
        detail = self.get(f"/v1/admin/leads/{lead_id}").json()
        self.assertEqual((detail["lead"]["email"], detail["lead"]["status"], detail["history"]),
                         ("first@example.com", "new", []))
        changed = self.patch(lead_id, {"status": "contacted", "note": "Called; wants a proposal"})
        self.assertEqual(changed.status, 200, changed.body)
        self.assertEqual(changed.json()["lead"]["status"], "contacted")
        self.patch(lead_id, {"status": "won"}, self.admin)
        history = self.get(f"/v1/admin/leads/{lead_id}").json()["history"]
        self.assertEqual([(h["field"], h["old"], h["new"], h["actor"]) for h in history],
                         [("status", "new", "contacted", "Ana (sales)"),
                          ("note", None, "Called; wants a proposal", "Ana (sales)"),
                          ("status", "contacted", "won", "Ops")])
        self.patch(lead_id, {"note": ""})
        self.assertIsNone(self.get(f"/v1/admin/leads/{lead_id}").json()["lead"]["note"])

    def test_bad_changes_are_refused_and_change_nothing(self):
        lead_id = self.ids["second@example.com"]
        for body, field in (({"status": "maybe"}, "status"), ({"colour": "red"}, "colour"), ({}, "status"),
                            ({"note": "x" * 5001}, "note")):
            reply = self.patch(lead_id, body)
            self.assertEqual(reply.status, 422, body)
            self.assertEqual(reply.json()["errors"][0]["field"], field)
        self.assertEqual(self.db.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)), "new")

    def test_dates_that_do_not_exist_are_refused_as_filters(self):
        for query, field in (("from=2026-02-30", "from"), ("to=2026-13-01", "to"), ("from=yesterday", "from")):
            for path in ("/v1/admin/leads", "/v1/admin/leads/export.csv"):
                with self.subTest(path=path, query=query):
                    reply = self.get(f"{path}?{query}")
                    self.assertEqual(reply.status, 422)
                    self.assertEqual(reply.json()["errors"][0]["field"], field)

    def test_a_cursor_no_listing_made_is_422_never_500(self):
        uuid = self.ids["first@example.com"]
        for path in ("/v1/admin/leads?cursor=1765000000000000.42",          # the audit log's kind of cursor
                     f"/v1/admin/leads?cursor=300000000000000000.{uuid}",    # year 11476: past PostgreSQL's arithmetic
                     f"/v1/admin/subscribers?cursor=9223372036854775807.{uuid}",
                     "/v1/admin/bookings?cursor=garbage",
                     f"/v1/admin/audit?cursor=1765000000000000.{uuid}"):
            with self.subTest(path=path):
                reply = self.get(path, self.admin)
                self.assertEqual(reply.status, 422, reply.body)
                self.assertEqual(reply.json()["errors"][0]["field"], "cursor")
        self.assertEqual(self.get("/v1/admin/audit?cursor=1765000000000000.42", self.admin).status, 200)

    def test_unknown_and_malformed_ids_are_404(self):
        for lead_id in ("00000000-0000-7000-8000-000000000000", "not-a-uuid"):
            self.assertEqual(self.get(f"/v1/admin/leads/{lead_id}").status, 404)
            self.assertEqual(self.patch(lead_id, {"status": "won"}).status, 404)

    def test_every_leads_route_wants_a_token(self):
        lead_id = self.ids["first@example.com"]
        for method, path in (("GET", "/v1/admin/leads"), ("GET", "/v1/admin/leads/export.csv"),
                             ("GET", f"/v1/admin/leads/{lead_id}"), ("PATCH", f"/v1/admin/leads/{lead_id}")):
            self.assertEqual(self.server.request(method, path, "{}", {"Content-Type": "application/json"}).status, 401)

    def test_csv_export_round_trips_and_neutralises_formulas(self):
        reply = self.get("/v1/admin/leads/export.csv?from=2026-01-01")
        rows = list(csv.DictReader(io.StringIO(reply.text, newline="")))
        by_email = {row["email"]: row for row in rows}
        self.assertNotIn("bot@example.com", by_email)
        self.assertEqual(by_email["fourth@example.com"]["services"], "api;design")
        self.assertEqual(by_email["third@example.com"]["message"], "'=IMPORTXML(\"http://x\") please call")
        self.assertEqual(by_email["second@example.com"]["company"], "Widgets 100% GmbH")
        # Audit entries are written when a download ends, asynchronously: wait
        # for this export's own entry (its filters are this test's alone)
        # rather than read whichever came last.
        entry = lambda: self.db.query(
            "SELECT actor, (details->>'rows')::int FROM audit_log WHERE action = 'export' "
            "AND details->>'resource' = 'leads' AND details->'filters' = '{\"from\": \"2026-01-01\", \"format\": \"csv\"}'")
        self.server.wait_until(entry, "the export's audit entry")
        self.assertEqual(entry(), [("Ana (sales)", len(rows))])

    def test_the_command_line_export_matches_the_http_one(self):
        environment = {"LEADGATE_DATABASE_URL": self.db.url}
        cli = run_leadgate(["export", "--from", "2026-01-01", "--status", "new"], environment)
        self.assertEqual(cli.returncode, 0, cli.stderr)
        http = self.get("/v1/admin/leads/export.csv?from=2026-01-01&status=new").text
        self.assertEqual(cli.stdout.replace("\r\n", "\n"), http.replace("\r\n", "\n"))
        ndjson = run_leadgate(["export", "--from", "2026-01-01", "--format", "json", "--q", "fourth"], environment)
        self.assertEqual([json.loads(line)["email"] for line in ndjson.stdout.splitlines()], ["fourth@example.com"])
        # A day that does not exist is refused before anything is read or audited.
        refused = run_leadgate(["export", "--from", "2026-02-30"], environment)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("YYYY-MM-DD", refused.stderr + refused.stdout)
        # So is a search shorter than the API takes (it would read every lead).
        too_short = run_leadgate(["export", "--q", "fo"], environment)
        self.assertNotEqual(too_short.returncode, 0)
        self.assertIn("expected 3 to 200 characters", too_short.stderr + too_short.stdout)
        self.assertEqual(too_short.stdout.count("@example.com"), 0)
        # Both command-line exports are audited (before the command exits),
        # and of a search only that there was one is kept, not its text.
        self.assertEqual(self.db.query("SELECT details->'filters' FROM audit_log WHERE starts_with(actor, 'cli:') "
                                       "ORDER BY id"),
                         [({"from": "2026-01-01", "status": "new", "format": "csv"},),
                          ({"from": "2026-01-01", "q": True, "format": "json"},)])

    def test_a_large_export_streams_in_bounded_memory(self):
        self.db.query("INSERT INTO leads (id, form, name, email, message, consent_version, created_at) "
                      "SELECT gen_random_uuid(), 'estimate', 'Bulk person ' || g, 'big' || g || '@example.com', "
                      "repeat('A long enough message. ', 8), '1', timestamptz '2024-01-01 00:00+00' + g * interval '1 second' "
                      "FROM generate_series(1, 200000) g")
        before = self.peak_rss_kib()
        reply = self.get("/v1/admin/leads/export.csv?from=2024-01-01&to=2024-12-31", self.admin)
        self.assertGreater(len(reply.body), 40_000_000)
        self.assertEqual(reply.body.count(b"\r\n"), 200001)
        growth = self.peak_rss_kib() - before
        if not SANITIZED:
            self.assertLess(growth, 32 * 1024, f"the server's peak memory grew by {growth} KiB for a 40+ MB export")

    def peak_rss_kib(self):
        with open(f"/proc/{self.server.process.pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

    def test_admins_see_dead_jobs_and_queue_them_again(self):
        job = self.db.scalar("SELECT id FROM jobs WHERE recipient = 'first@example.com'")
        self.db.query("UPDATE jobs SET status = 'dead', attempts = 5, last_error = '550 5.1.1 No such user' "
                      "WHERE id = %s", (job,))
        self.assertEqual(self.get("/v1/admin/jobs?status=dead").status, 403, "sales may not")
        dead = self.get("/v1/admin/jobs?status=dead", self.admin)
        self.assertEqual(dead.status, 200, dead.body)
        self.assertEqual([(item["id"], item["recipient"], item["attempts"], item["last_error"])
                          for item in dead.json()["items"]], [(job, "first@example.com", 5, "550 5.1.1 No such user")])
        self.assertEqual(self.get("/v1/admin/jobs?status=lost", self.admin).status, 422)

        self.assertEqual(self.server.request("POST", f"/v1/admin/jobs/{job}/retry", headers=bearer(self.sales)).status,
                         403)
        retried = self.server.request("POST", f"/v1/admin/jobs/{job}/retry", headers=bearer(self.admin))
        self.assertEqual((retried.status, retried.json()), (200, {"id": job, "status": "queued"}))
        self.assertEqual(self.db.query("SELECT status, attempts FROM jobs WHERE id = %s", (job,)), [("queued", 0)])
        self.server.wait_until(lambda: self.db.scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'retry_job' AND actor = 'Ops' AND details->>'job' = %s",
            (str(job),)) == 1, "the audit entry")
        for missing in ("999999999", "abc", "0"):
            reply = self.server.request("POST", f"/v1/admin/jobs/{missing}/retry", headers=bearer(self.admin))
            self.assertEqual(reply.status, 404, missing)

    def test_a_retry_never_moves_a_job_that_has_not_failed_or_that_a_worker_holds(self):
        job = self.db.scalar("SELECT id FROM jobs WHERE recipient = 'second@example.com'")
        retry = lambda: self.server.request("POST", f"/v1/admin/jobs/{job}/retry", headers=bearer(self.admin)).status
        # Not failed, due in two days (a booking reminder, say): it keeps its time.
        self.db.query("UPDATE jobs SET run_at = now() + interval '2 days' WHERE id = %s", (job,))
        self.assertEqual(retry(), 404)
        self.assertTrue(self.db.scalar("SELECT run_at > now() + interval '1 day' FROM jobs WHERE id = %s", (job,)))
        # Failed once and being sent again right now: its lease stays.
        self.db.query("UPDATE jobs SET last_error = '421 busy', attempts = 2, leased_by = 'w1', "
                      "leased_until = now() + interval '5 minutes' WHERE id = %s", (job,))
        self.assertEqual(retry(), 404)
        self.assertEqual(self.db.scalar("SELECT leased_until IS NOT NULL FROM jobs WHERE id = %s", (job,)), True)
        # Failed and waiting for its next attempt: brought forward.
        self.db.query("UPDATE jobs SET leased_until = NULL WHERE id = %s", (job,))
        self.assertEqual(retry(), 200)
        self.assertEqual(self.db.query("SELECT run_at <= now(), attempts FROM jobs WHERE id = %s", (job,)), [(True, 0)])

class ExportLimitTest(ServiceTest):
    """Each streamed export holds a database connection and a thread:
    export.max_concurrent caps them per process (issue 16 item 8)."""

    server_env = {"LEADGATE_EXPORT_MAX_CONCURRENT": "1"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = create_token(cls.db, "Ops", "admin")
        # Enough rows that an export nobody reads stays in progress: far
        # more than the producer's queue and the socket buffers hold.
        cls.db.query("INSERT INTO leads (id, form, name, email, message, consent_version) "
                     "SELECT gen_random_uuid(), 'estimate', 'Bulk person ' || g, 'big' || g || '@example.com', "
                     "repeat('A long enough message. ', 8), '1' FROM generate_series(1, 100000) g")

    def exports_audited(self):
        return self.db.scalar("SELECT count(*) FROM audit_log WHERE action = 'export'")

    def test_one_export_too_many_is_503_with_retry_after_and_head_runs_none(self):
        held = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        held.request("GET", "/v1/admin/leads/export.csv", headers=bearer(self.admin))
        first = held.getresponse()
        self.assertEqual(first.status, 200)
        check_contract("GET", "/v1/admin/leads/export.csv",
                       Response(first.status, {k.lower(): v for k, v in first.getheaders()}, None))
        first.read(1024)  # started, and left unread: the export is running
        try:
            refused = self.server.get("/v1/admin/leads/export.csv", bearer(self.admin))
            self.assertEqual(refused.status, 503, refused.body[:200])
            self.assertEqual(refused.headers["retry-after"], "30")
            self.assertEqual(self.server.get("/v1/admin/subscribers/export.csv", bearer(self.admin)).status, 503,
                             "the cap counts every kind of export")
            head = self.server.request("HEAD", "/v1/admin/leads/export.csv", None, bearer(self.admin))
            self.assertEqual(head.status, 200, "HEAD runs no export, so the cap does not apply to it")
            self.assertTrue(head.headers["content-type"].startswith("text/csv"))
            self.assertEqual(head.body, b"")
        finally:
            held.close()
        # The first export's place comes back when its client goes away.
        wait_until(lambda: self.exports_audited() == 1, 20, "the abandoned export's audit entry")
        self.assertEqual(self.db.scalar("SELECT details->>'completed' FROM audit_log WHERE action = 'export'"), "false")
        again = self.server.get("/v1/admin/leads/export.csv?from=2000-01-01&to=2000-01-02", bearer(self.admin))
        self.assertEqual(again.status, 200, again.body[:200])
        wait_until(lambda: self.exports_audited() == 2, 20, "the second export's audit entry: HEAD wrote none")


if __name__ == "__main__":
    unittest.main()
