"""Privacy (subject access, erasure, audit) and webhooks to CRMs
(docs/sales-api.md, "Privacy"; docs/email-and-webhooks.md, "Webhooks";
issue 6)."""

import hashlib
import hmac
import http.server
import json
import threading
import time
import unittest

from admin_api import bearer, create_token
from harness import free_port, wait_until
from mail_services import MailServiceTest

SECRET = "a-long-webhook-secret-0123456789"


class Receiver:
    """A CRM's webhook endpoint on loopback: checks every signature, keeps
    what it accepted; can be switched off (connection refused) and on."""

    def __init__(self, port):
        self.port = port
        self.accepted = []
        self.bad_signatures = 0
        self.answers = {}     # e-mail address -> statuses to answer, in turn, before accepting
        self.deliveries = []  # (record id, X-Leadgate-Delivery, status answered)
        self.lock = threading.Lock()
        self.server = None

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                parts = dict(item.split("=", 1) for item in self.headers["X-Leadgate-Signature"].split(","))
                expected = hmac.new(SECRET.encode(), (parts["t"] + ".").encode() + body, hashlib.sha256).hexdigest()
                fresh = abs(time.time() - int(parts["t"])) < 300
                with receiver.lock:
                    if not (hmac.compare_digest(expected, parts["v1"]) and fresh):
                        receiver.bad_signatures += 1
                        self.send_response(401)
                        self.end_headers()
                        return
                    event = json.loads(body)
                    if receiver.answers.get(event["data"].get("email")):
                        status = receiver.answers[event["data"]["email"]].pop(0)
                    else:
                        receiver.accepted.append((self.headers["X-Leadgate-Event"], event))
                        status = 204
                    receiver.deliveries.append((event["data"]["id"], self.headers["X-Leadgate-Delivery"], status))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, event, about, timeout=20):
        """The accepted `event` whose data has id `about`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [data for name, data in self.accepted if name == event and data["data"]["id"] == about]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"{event} for {about} did not arrive; accepted: {self.accepted}")


class WebhookServices(MailServiceTest):
    """A CRM's receiver as a webhook target of serve and worker."""

    @classmethod
    def setUpClass(cls):
        cls.receiver = Receiver(free_port())
        cls.receiver.start()
        cls.addClassCleanup(cls.receiver.stop)
        cls.environment = {"LEADGATE_WEBHOOKS_TARGETS": '[{url = "http://127.0.0.1:%d/hooks", secret = "%s", '
                                                        'events = ["lead.created", "subscriber.confirmed"]}]'
                                                        % (cls.receiver.port, SECRET)}
        super().setUpClass()

    def post_lead(self, email, **fields):
        reply = self.server.post_json("/v1/forms/estimate", {"name": "Erin Subject", "email": email,
                                                             "message": "Please forget me later.", **fields})
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()["id"]


class WebhookPacingTest(WebhookServices):
    mail = {"per_second": 0.5}  # e-mails 2 s apart: wide margins on a busy machine

    def test_webhooks_have_a_lane_of_their_own_unpaced_and_not_counted_as_emails(self):
        posted = time.monotonic()
        leads = [self.post_lead(f"paced-{n}@example.com") for n in range(3)]
        for lead_id in leads:
            self.receiver.wait_for("lead.created", lead_id)
        # In one queue with the e-mails, the third lead's webhook would have
        # waited for the first two leads' four e-mails, 2 s apart: 6 s at least.
        self.assertLess(time.monotonic() - posted, 4, "a webhook waited behind e-mails paced to mail.per_second")
        self.worker.wait_until(lambda: self.db.scalar("SELECT count(*) FROM job_attempts") == 9, "nine attempts")
        emails = [row[0] for row in self.db.query(
            "SELECT extract(epoch FROM a.started_at)::float8 FROM job_attempts a JOIN jobs j ON j.id = a.job_id "
            "WHERE j.kind = 'email' ORDER BY a.started_at")]
        # Each attempt's own start (not its batch's claim): e-mails 2 s apart.
        gaps = [later - earlier for earlier, later in zip(emails, emails[1:])]
        self.assertTrue(len(gaps) == 5 and all(gap >= 1.8 for gap in gaps), f"e-mails are paced: {emails}")
        metrics = self.worker.get("/metrics").text
        self.assertIn('leadgate_emails_total{outcome="sent"} 6\n', metrics)
        self.assertIn('leadgate_webhooks_total{outcome="sent"} 3\n', metrics)


class PrivacyAndWebhooksTest(WebhookServices):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = create_token(cls.db, "Privacy officer", "admin")
        cls.sales = create_token(cls.db, "Sales", "sales")

    def test_lead_created_reaches_the_crm_signed(self):
        lead_id = self.post_lead("crm@example.com", company="Acme")
        event = self.receiver.wait_for("lead.created", lead_id)
        self.assertEqual((event["event"], event["data"]["email"], event["data"]["company"]),
                         ("lead.created", "crm@example.com", "Acme"))
        self.assertNotIn("client_address", event["data"])
        self.assertEqual(self.receiver.bad_signatures, 0)

    def test_a_receiver_that_is_down_for_a_while_gets_every_event(self):
        self.receiver.stop()
        try:
            lead_id = self.post_lead("while-down@example.com")
            failed_attempts = lambda: self.db.scalar(
                "SELECT count(*) FROM job_attempts a JOIN jobs j ON j.id = a.job_id "
                "WHERE j.kind = 'webhook' AND j.lead_id = %s AND a.outcome = 'retry'", (lead_id,))
            wait_until(failed_attempts, 20, "a failed delivery while the receiver is down")
            self.assertGreater(failed_attempts(), 0)
        finally:
            self.receiver.start()
        self.receiver.wait_for("lead.created", lead_id, timeout=30)

    def test_busy_answers_are_retried_under_one_delivery_id_and_a_refusal_is_final(self):
        with self.receiver.lock:
            self.receiver.answers["retried@example.com"] = [503, 429, 408]
            self.receiver.answers["refused@example.com"] = [400]
        lead_id = self.post_lead("retried@example.com")
        self.receiver.wait_for("lead.created", lead_id, timeout=30)
        with self.receiver.lock:
            tries = [(delivery, status) for about, delivery, status in self.receiver.deliveries if about == lead_id]
        self.assertEqual([status for _, status in tries], [503, 429, 408, 204])
        self.assertEqual(len({delivery for delivery, _ in tries}), 1, "a retry carries the same X-Leadgate-Delivery")

        refused = self.post_lead("refused@example.com")
        self.worker.wait_until(lambda: self.db.scalar(
            "SELECT status FROM jobs WHERE kind = 'webhook' AND lead_id = %s", (refused,)) == "dead", "a dead webhook")
        self.assertEqual(self.db.scalar("SELECT attempts FROM jobs WHERE kind = 'webhook' AND lead_id = %s",
                                        (refused,)), 1)

    def test_a_confirmed_subscriber_reaches_the_crm(self):
        self.server.post_json("/v1/forms/newsletter", {"email": "hooked@example.com"})
        confirmation = self.smtp.wait_for(1, "hooked@example.com")[0].message.get_body(("plain",)).get_content()
        url = next(word for word in confirmation.split() if "/v1/newsletter/confirm?token=" in word)
        self.assertEqual(self.server.request("POST", url[url.index("/v1/"):]).status, 303)
        subscriber = self.db.scalar("SELECT id::text FROM subscribers WHERE email = 'hooked@example.com'")
        event = self.receiver.wait_for("subscriber.confirmed", subscriber)
        self.assertEqual(event["data"]["email"], "hooked@example.com")

    def test_spam_sends_no_webhook(self):
        self.post_lead("bot-hook@example.com", _gotcha="x")
        # Jobs are queued in the lead's own transaction: none now means none ever.
        lead = self.db.scalar("SELECT id::text FROM leads WHERE email = 'bot-hook@example.com' AND status = 'spam'")
        self.assertIsNotNone(lead, "the spam lead was not stored")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs WHERE kind = 'webhook' AND lead_id = %s", (lead,)), 0)

    def test_subject_access_returns_everything_held_and_erasure_removes_it_everywhere(self):
        email = "Erin.Subject@example.com"
        first = self.post_lead(email)
        self.post_lead(email.lower(), company="Second lead")
        self.server.post_json("/v1/forms/newsletter", {"email": email})
        self.server.post_json("/v1/forms/newsletter", {"email": email, "_gotcha": "x"})  # a bot used the address too
        changed = self.server.request("PATCH", f"/v1/admin/leads/{first}", '{"status": "contacted"}',
                                      {**bearer(self.sales), "Content-Type": "application/json"})
        self.assertEqual(changed.status, 200, changed.body)
        # A consultation booked by the same person (the booking form is tested elsewhere).
        self.db.query("INSERT INTO bookings (id, lead_id, starts_at, ends_at, blocked, visitor_timezone) "
                      "VALUES (gen_random_uuid(), %s, '2031-03-03 10:00Z', '2031-03-03 10:30Z', "
                      "tstzrange('2031-03-03 10:00Z', '2031-03-03 10:45Z'), 'Europe/Berlin')", (first,))
        # The worker sends the subject's e-mails and webhooks before the
        # erasure (the subject's jobs list them either way).
        wait_until(lambda: self.db.scalar(
            "SELECT count(*) FROM jobs WHERE status = 'queued' AND (lower(recipient) = lower(%s) "
            "OR lower(reply_to) = lower(%s) OR lead_id IN (SELECT id FROM leads WHERE lower(email) = lower(%s)))",
            (email, email, email)) == 0, 20, "the subject's e-mails and webhooks to be sent")

        records = self.server.get(f"/v1/admin/subjects?email={email.lower()}", bearer(self.admin))
        self.assertEqual(records.status, 200, records.body)
        held = records.json()
        self.assertEqual(len(held["leads"]), 2)
        self.assertEqual(held["subscriber"]["state"], "pending")
        self.assertEqual([spam["spam_reason"] for spam in held["newsletter_spam"]], ["honeypot"])
        self.assertGreaterEqual(len(held["consent_records"]), 1)
        self.assertEqual([(e["field"], e["new_value"]) for e in held["lead_history"]], [("status", "contacted")])
        self.assertEqual([b["starts_at"][:16] for b in held["bookings"]], ["2031-03-03T10:00"])
        self.assertGreaterEqual(len(held["emails"]), 4)
        self.assertFalse(held["erased_before"])
        self.assertEqual(self.server.get(f"/v1/admin/subjects?email={email}", bearer(self.sales)).status, 403)

        erased = self.server.request("DELETE", f"/v1/admin/subjects?email={email}", headers=bearer(self.admin))
        self.assertEqual(erased.status, 200, erased.body)
        counts = erased.json()["erased"]
        self.assertEqual((counts["leads"], counts["subscribers"], counts["newsletter_spam"]), (2, 1, 1))
        for table in ("lead_events", "bookings"):
            self.assertEqual(self.db.scalar(f"SELECT count(*) FROM {table} WHERE lead_id = %s", (first,)), 0, table)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM consent_records WHERE subscriber_id = %s",
                                        (held["subscriber"]["id"],)), 0)
        for table, column in (("leads", "email"), ("subscribers", "email"), ("newsletter_spam", "email"),
                              ("jobs", "recipient"), ("jobs", "reply_to")):
            self.assertEqual(self.db.scalar(f"SELECT count(*) FROM {table} WHERE lower({column}) = lower(%s)",
                                            (email,)), 0, table)
        dump = self.db.query("SELECT string_agg(t::text, ' ') FROM (SELECT * FROM jobs) t")[0][0] or ""
        dump += self.db.query("SELECT string_agg(a::text, ' ') FROM audit_log a")[0][0] or ""
        self.assertNotIn(email.lower(), dump.lower(), "the address survived somewhere")
        digest = hashlib.sha256(email.lower().encode()).hexdigest()
        self.assertEqual(self.db.scalar("SELECT count(*) FROM erasure_tombstones WHERE email_hash = %s", (digest,)), 1)
        again = self.server.get(f"/v1/admin/subjects?email={email}", bearer(self.admin)).json()
        self.assertEqual((again["leads"], again["subscriber"], again["erased_before"]), ([], None, True))

        audit = self.server.get("/v1/admin/audit", bearer(self.admin))
        self.assertEqual(audit.status, 200)
        entry = next(item for item in audit.json()["items"] if item["action"] == "erase")
        self.assertEqual((entry["actor"], entry["details"]["email_sha256"]), ("Privacy officer", digest))
        self.assertEqual(self.server.get("/v1/admin/audit", bearer(self.sales)).status, 403)

    def test_an_internationalised_address_is_found_in_either_form(self):
        # Stored in its ASCII form (docs/api-behaviour.md, "Fields", E-mail
        # addresses); an admin may type either.
        lead = self.post_lead("erin@b\u00fccher-subject.example")
        for typed in ("erin@b%C3%BCcher-subject.example", "erin@xn--bcher-subject-wob.example"):
            with self.subTest(typed=typed):
                held = self.server.get(f"/v1/admin/subjects?email={typed}", bearer(self.admin)).json()
                self.assertEqual([item["id"] for item in held["leads"]], [lead])

    def test_a_bad_address_is_refused(self):
        reply = self.server.get("/v1/admin/subjects?email=nope", bearer(self.admin))
        self.assertEqual(reply.status, 422)


if __name__ == "__main__":
    unittest.main()
