"""`leadgate worker`: every accepted lead's two e-mails reach a real SMTP
server, correct to a MIME parser, through outages, rejections and crashes
(docs/email-and-webhooks.md; issue 3)."""

import re
import time
import unittest

from harness import Database, Server, Worker, free_port, require_environment, run_leadgate, wait_until
from mail_services import worker_env
from smtp_server import SmtpServer, self_signed_certificate as smtp_certificate

LEAD = {
    "name": "Zoë Ånström",
    "email": "zoe@example.com",
    "message": "Please build us a shop. SECRET-FREE-TEXT",
    "company": "Ånström & Co",
    "services": ["web_app"],
}


def queue_jobs(db, count, prefix):
    db.query("INSERT INTO jobs (template, recipient, payload) "
             "SELECT 'estimate_confirmation', %s || g || '@example.com', "
             "jsonb_build_object('name', 'Bulk ' || g, 'lead_id', g::text) FROM generate_series(1, %s) g",
             (prefix, count))
    return {row[0] for row in db.query("SELECT message_id FROM jobs WHERE recipient LIKE %s", (prefix + "%",))}


def message_ids(messages):
    return [m.message["Message-ID"].strip("<>").split("@")[0] for m in messages]


class WorkerTest(unittest.TestCase):
    def setUp(self):
        require_environment(self)
        self.db = Database()
        self.addCleanup(self.db.drop)
        self.smtp_port = free_port()
        self.processes = []

    def tearDown(self):
        for process in self.processes:
            if process.process.poll() is None:
                self.assertEqual(process.stop(), 0, "exit code after SIGTERM")

    def start_smtp(self, delay=0.0):
        smtp = SmtpServer(self.smtp_port, delay)
        self.addCleanup(smtp.stop)
        return smtp

    def start(self, kind, **env):
        process = kind(self.db.url, extra_env=worker_env(self.smtp_port, **env))
        self.processes.append(process)
        return process

    def job_statuses(self):
        return dict(self.db.query("SELECT status, count(*) FROM jobs GROUP BY status"))

    def wait_for_status(self, expected, timeout=20):
        wait_until(lambda: self.job_statuses() == expected, timeout,
                   lambda: f"jobs {expected}; they are {self.job_statuses()}")

    def test_an_estimate_sends_both_emails_correct_to_a_mime_parser(self):
        smtp = self.start_smtp()
        server = self.start(Server)
        worker = self.start(Worker)
        reply = server.post_json("/v1/forms/estimate", LEAD)
        self.assertEqual(reply.status, 201)
        lead_id = reply.json()["id"]

        confirmation = smtp.wait_for(1, "zoe@example.com")[0]
        notification = smtp.wait_for(1, "sales@studio.example")[0]
        for received in (confirmation, notification):
            message = received.message
            self.assertEqual(message.get_content_type(), "multipart/alternative")
            self.assertEqual(str(message["From"]), "Studio Nørd <hello@studio.example>")
            self.assertEqual(received.mail_from, "hello@studio.example")
            self.assertIsNotNone(message["Date"].datetime)
            self.assertRegex(message["Message-ID"], r"^<[0-9a-f-]{36}@studio\.example>$")
            self.assertEqual(message["Auto-Submitted"], "auto-generated")
            self.assertEqual([part.get_content_type() for part in message.iter_parts()],
                             ["text/plain", "text/html"])

        self.assertEqual(str(confirmation.message["To"]), "zoe@example.com")
        self.assertIsNone(confirmation.message["Reply-To"])
        text = confirmation.message.get_body(("plain",)).get_content()
        self.assertIn("Hi Zoë Ånström", text)
        self.assertIn(lead_id, text)
        self.assertNotIn("SECRET-FREE-TEXT", confirmation.content.decode("ascii"), "visitor e-mails never quote the message")

        self.assertEqual(str(notification.message["Subject"]), "New estimate request: Zoë Ånström (Ånström & Co)")
        self.assertEqual(str(notification.message["Reply-To"]), "zoe@example.com")
        self.assertIn("Please build us a shop. SECRET-FREE-TEXT", notification.message.get_body(("plain",)).get_content())
        html = notification.message.get_body(("html",)).get_content()
        self.assertIn("Ånström &amp; Co", html)

        stored = {row[0] for row in self.db.query("SELECT message_id FROM jobs WHERE lead_id = %s", (lead_id,))}
        self.assertEqual(set(message_ids([confirmation, notification])), stored)
        self.wait_for_status({"sent": 2})
        self.assertEqual(self.db.scalar("SELECT count(*) FROM job_attempts WHERE outcome = 'sent'"), 2)
        metrics = worker.get("/metrics").text
        self.assertIn('leadgate_emails_total{outcome="sent"} 2', metrics)
        self.assertIn("leadgate_email_queue_seconds_count 2", metrics)

    def test_a_renamed_lead_column_makes_the_notification_dead_naming_it_not_blank(self):
        # The lead notification renders the lead row as it is when sent
        # (claim-jobs): a migration renaming a column it shows must not mail
        # sales a notification with a blank where the company was.
        smtp = self.start_smtp()
        server = self.start(Server)
        self.assertEqual(server.post_json("/v1/forms/estimate", LEAD).status, 201)
        self.db.query("ALTER TABLE leads RENAME COLUMN company TO company_name")
        self.start(Worker)
        smtp.wait_for(1, "zoe@example.com")
        self.wait_for_status({"sent": 1, "dead": 1})
        template, error = self.db.query("SELECT template, last_error FROM jobs WHERE status = 'dead'")[0]
        self.assertEqual(template, "lead_notification")
        self.assertIn('lead_notification payload: "company" is missing', error)
        self.assertEqual(smtp.received("sales@studio.example"), [])

    def test_an_internationalised_domain_travels_in_its_ascii_form(self):
        # Headers and the SMTP envelope carry ASCII: bücher.example is mailed,
        # stored and shown to sales as xn--bcher-kva.example.
        smtp = self.start_smtp()
        server = self.start(Server)
        self.start(Worker)
        self.assertEqual(server.post_json("/v1/forms/estimate", {**LEAD, "email": "ana@B\u00fccher.example"}).status, 201)
        self.assertEqual(self.db.scalar("SELECT email FROM leads"), "ana@xn--bcher-kva.example")
        confirmation = smtp.wait_for(1, "ana@xn--bcher-kva.example")[0]
        self.assertEqual(str(confirmation.message["To"]), "ana@xn--bcher-kva.example")
        notification = smtp.wait_for(1, "sales@studio.example")[0]
        self.assertEqual(str(notification.message["Reply-To"]), "ana@xn--bcher-kva.example")
        confirmation.content.decode("ascii")  # every header and body line is ASCII

    def test_a_new_job_is_sent_within_a_moment_of_its_commit(self):
        smtp = self.start_smtp()
        server = self.start(Server)
        self.start(Worker)
        # Each estimate comes right after the worker recorded the last ones
        # and found the queue empty: polling alone (every second) would find
        # it about a second later, three times in a row.
        for attempt in range(1, 4):
            self.wait_for_status({"sent": 2 * (attempt - 1)} if attempt > 1 else {})
            started = time.monotonic()
            server.post_json("/v1/forms/estimate", LEAD)
            smtp.wait_for(2 * attempt)
            self.assertLess(time.monotonic() - started, 0.5, "the worker waited for its poll, not the NOTIFY")

    def test_every_email_is_delivered_after_the_mail_server_comes_back(self):
        server = self.start(Server)
        worker = self.start(Worker)
        self.assertIn('leadgate_emails_total{outcome="failed"} 0\n', worker.get("/metrics").text)
        for number in range(3):
            self.assertEqual(server.post_json("/v1/forms/estimate", {**LEAD, "email": f"down{number}@example.com"}).status,
                             201)
        wait_until(lambda: self.db.scalar("SELECT count(*) FROM job_attempts WHERE outcome = 'retry'"), 20,
                   "a failed attempt on record")
        self.assertGreater(self.db.scalar("SELECT count(*) FROM job_attempts WHERE outcome = 'retry'"), 0)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs WHERE status = 'sent'"), 0)
        failed = re.search(r'^leadgate_emails_total\{outcome="failed"\} (\d+)$', worker.get("/metrics").text, re.M)
        self.assertGreater(int(failed.group(1)), 0, 'e-mails failed (leadgate_emails_total{outcome="failed"})')
        smtp = self.start_smtp()
        smtp.wait_for(6, timeout=30)
        self.wait_for_status({"sent": 6})

    def test_a_temporary_refusal_is_retried_until_delivered(self):
        smtp = self.start_smtp()
        smtp.script("busy@example.com", ["451 4.3.0 Mailbox busy, try later", "452 4.2.2 Over quota, try later"])
        queue_jobs(self.db, 1, "busy")
        self.db.query("UPDATE jobs SET recipient = 'busy@example.com'")
        self.start(Worker)
        smtp.wait_for(1, "busy@example.com", timeout=30)
        self.wait_for_status({"sent": 1})
        outcomes = [row[0] for row in self.db.query("SELECT outcome FROM job_attempts ORDER BY attempt")]
        self.assertEqual(outcomes, ["retry", "retry", "sent"])

    def test_a_permanent_refusal_is_dead_visible_and_can_be_retried(self):
        smtp = self.start_smtp()
        smtp.always("nobody@example.com", "550 5.1.1 No such user here")
        queue_jobs(self.db, 1, "nobody")
        self.db.query("UPDATE jobs SET recipient = 'nobody@example.com'")
        self.start(Worker)
        self.wait_for_status({"dead": 1})
        job_id, error = self.db.query("SELECT id, last_error FROM jobs")[0]
        self.assertIn("550", error)
        environment = {"LEADGATE_DATABASE_URL": self.db.url}
        listing = run_leadgate(["jobs", "list", "--status", "dead"], environment)
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn("nobody@example.com", listing.stdout)
        self.assertIn("550", listing.stdout)

        smtp.accept("nobody@example.com")
        retried = run_leadgate(["jobs", "retry", str(job_id)], environment)
        self.assertEqual(retried.returncode, 0, retried.stderr)
        smtp.wait_for(1, "nobody@example.com")
        self.wait_for_status({"sent": 1})

    def test_too_many_temporary_failures_make_a_job_dead(self):
        smtp = self.start_smtp()
        smtp.always("full@example.com", "452 4.2.2 Mailbox full")
        queue_jobs(self.db, 1, "full")
        self.db.query("UPDATE jobs SET recipient = 'full@example.com'")
        self.start(Worker, max_attempts=2)
        self.wait_for_status({"dead": 1})
        self.assertEqual(self.db.scalar("SELECT attempts FROM jobs"), 2)
        retried = run_leadgate(["jobs", "retry", "--all-dead"], {"LEADGATE_DATABASE_URL": self.db.url})
        self.assertIn("queued 1 job", retried.stdout)

    def test_jobs_of_a_killed_worker_are_all_delivered_after_their_lease(self):
        smtp = self.start_smtp(delay=0.1)
        expected = queue_jobs(self.db, 20, "crash")
        first = self.start(Worker, lease_seconds=2, batch_size=10)
        smtp.wait_for(3)
        first.kill()
        held = self.db.scalar("SELECT count(*) FROM jobs WHERE status = 'queued' AND leased_until > now()")
        self.assertGreater(held, 0, "the killed worker held no job: the test proves nothing")
        self.start(Worker, lease_seconds=2)
        wait_until(lambda: set(message_ids(smtp.received())) == expected, 40,
                   lambda: f"all 20 messages; {len(set(message_ids(smtp.received())) & expected)} arrived")
        self.assertEqual(set(message_ids(smtp.received())), expected)
        self.wait_for_status({"sent": 20})

    def test_a_second_worker_with_the_same_configuration_runs_and_sends_without_metrics(self):
        # One configuration, one host, two workers. The second
        # cannot have the metrics port; it must still send.
        smtp = self.start_smtp()
        first = self.start(Worker)
        second = Worker(self.db.url, extra_env={**worker_env(self.smtp_port),
                                                "LEADGATE_WORKER_LISTEN": f"127.0.0.1:{first.port}"})
        self.processes.append(second)
        off = second.events("metrics_off")
        self.assertEqual(len(off), 1, second.lines)
        self.assertEqual(off[0]["key"], "worker.listen", "the message names the key it is about")
        self.assertIsNone(second.address)
        self.assertEqual(first.stop(), 0)
        expected = queue_jobs(self.db, 3, "second")
        self.db.query("NOTIFY jobs")
        smtp.wait_for(3)
        self.assertEqual(set(message_ids(smtp.received())), expected, "the second worker sent them all alone")

    def test_two_live_workers_never_send_a_job_twice(self):
        smtp = self.start_smtp()
        self.start(Worker, batch_size=5)
        self.start(Worker, batch_size=5)
        # Queued once both are waiting, and announced as serve announces its
        # commits: both wake at once and claim side by side. (Queued before
        # the second started, the first could send them all alone.)
        expected = queue_jobs(self.db, 120, "pair")
        self.db.query("NOTIFY jobs")
        smtp.wait_for(120, timeout=60)
        self.wait_for_status({"sent": 120})
        self.assertEqual(self.db.scalar("SELECT max(attempts) FROM jobs"), 1, "a job was claimed twice")
        # Once stopped, neither can send anything more: what arrived is all
        # that ever will.
        for worker in self.processes:
            self.assertEqual(worker.stop(), 0)
        sent = message_ids(smtp.received())
        self.assertEqual(len(sent), len(set(sent)), "a message was sent twice")
        self.assertEqual(set(sent), expected)
        workers = self.db.scalar("SELECT count(DISTINCT worker) FROM job_attempts")
        self.assertEqual(workers, 2, "one worker did all the work: the test proves nothing")

    def test_sigterm_finishes_the_current_message_and_hands_back_the_rest(self):
        smtp = self.start_smtp(delay=0.5)
        queue_jobs(self.db, 10, "term")
        worker = self.start(Worker, batch_size=10)
        smtp.wait_for(1)
        self.assertEqual(worker.stop(timeout=15), 0)
        delivered = len(smtp.received())
        statuses = self.job_statuses()
        self.assertEqual(statuses.get("sent", 0), delivered)
        self.assertEqual(statuses.get("queued", 0), 10 - delivered)
        leased = self.db.scalar("SELECT count(*) FROM jobs WHERE status = 'queued' AND leased_until IS NOT NULL")
        self.assertEqual(leased, 0, "unsent jobs were not handed back")
        self.assertEqual(self.db.scalar("SELECT max(attempts) FROM jobs WHERE status = 'queued'"), 0)


class TemplateCheckTest(unittest.TestCase):
    def setUp(self):
        require_environment(self)

    def test_render_prints_a_template_with_data(self):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".json") as data:
            data.write('{"name": "Ana", "lead_id": "L-1"}')
            data.flush()
            result = run_leadgate(["render", "estimate_confirmation", "--data", data.name], {})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Subject: We received your project request", result.stdout)
        self.assertIn("Hi Ana,", result.stdout)
        self.assertIn("L-1", result.stdout)

    def test_a_missing_template_part_fails_worker_start_up(self):
        import os
        import shutil
        import tempfile
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        shutil.copytree(os.path.join(os.environ.get("LEADGATE_ROOT", "."), "templates"), directory + "/templates")
        os.unlink(directory + "/templates/email/lead_notification.html.mustache")
        result = run_leadgate(["worker"], {"LEADGATE_DATABASE_URL": "postgresql:///unused",
                                          "LEADGATE_PATHS_TEMPLATES": directory + "/templates",
                                          "LEADGATE_WORKER_LISTEN": "127.0.0.1:0"}, timeout=20)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("lead_notification.html.mustache", result.stderr)


class TransportTest(unittest.TestCase):
    """smtp:// with STARTTLS and AUTH, smtps://, one connection for many
    messages, and mail.per_second pacing, against a real aiosmtpd."""

    @classmethod
    def setUpClass(cls):
        require_environment(cls)
        cls.certificate = smtp_certificate()

    def setUp(self):
        self.db = Database()
        self.addCleanup(self.db.drop)
        self.port = free_port()

    def run_worker(self, url, count, **env):
        expected = queue_jobs(self.db, count, "t")
        environment = worker_env(self.port, **env)
        environment["LEADGATE_MAIL_URL"] = url
        worker = Worker(self.db.url, extra_env=environment)
        self.addCleanup(lambda: self.assertEqual(worker.stop(), 0))
        return expected

    def wait_for_attempts(self, count, timeout=20):
        """Until the worker has recorded `count` attempts (of any outcome)."""
        attempts = lambda: self.db.scalar("SELECT count(*) FROM job_attempts")
        wait_until(lambda: attempts() >= count, timeout, lambda: f"{count} attempts on record; {attempts()} are")

    def test_starttls_and_auth_are_used_when_the_server_asks(self):
        smtp = SmtpServer(self.port, tls="starttls", certificate=self.certificate, login=("mailer", "s3cret:pw"))
        self.addCleanup(smtp.stop)
        self.run_worker(f"smtp://mailer:s3cret%3Apw@127.0.0.1:{self.port}", 2, ca_file=self.certificate[0])
        received = smtp.wait_for(2)
        self.assertTrue(all(r.encrypted for r in received))
        self.assertEqual({r.authenticated_as for r in received}, {"mailer"})

    def test_a_password_is_never_sent_to_a_server_without_starttls(self):
        smtp = SmtpServer(self.port, login=("mailer", "s3cret"))  # AUTH offered in clear text
        self.addCleanup(smtp.stop)
        self.run_worker(f"smtp://mailer:s3cret@127.0.0.1:{self.port}", 1)
        # The worker did try: an attempt is on record (else this test could
        # pass with no worker at all).
        self.wait_for_attempts(1)
        self.assertEqual(smtp.received(), [])
        self.assertEqual(smtp.logins(), [], "the password went out unencrypted")
        self.assertEqual(self.db.scalar("SELECT status FROM jobs"), "queued", "a configuration error kept the job")

    def test_implicit_tls_with_smtps(self):
        smtp = SmtpServer(self.port, tls="implicit", certificate=self.certificate)
        self.addCleanup(smtp.stop)
        self.run_worker(f"smtps://127.0.0.1:{self.port}", 1, ca_file=self.certificate[0])
        self.assertTrue(smtp.wait_for(1)[0].encrypted)

    def test_an_untrusted_certificate_is_refused_and_the_jobs_wait(self):
        smtp = SmtpServer(self.port, tls="implicit", certificate=self.certificate)
        self.addCleanup(smtp.stop)
        self.run_worker(f"smtps://127.0.0.1:{self.port}", 1)  # no ca_file: the system's CAs
        self.wait_for_attempts(1)  # it tried, and failed
        self.assertEqual(smtp.received(), [])
        self.assertEqual(self.db.scalar("SELECT status FROM jobs"), "queued")

    def test_wrong_credentials_do_not_kill_the_jobs(self):
        smtp = SmtpServer(self.port, tls="starttls", certificate=self.certificate, login=("mailer", "right"))
        self.addCleanup(smtp.stop)
        self.run_worker(f"smtp://mailer:wrong@127.0.0.1:{self.port}", 2, max_attempts=2, ca_file=self.certificate[0],
                        timeout_seconds=1)
        # Three attempts at two jobs: one job at least has had max_attempts,
        # so a job the refusals counted against would be dead now.
        self.wait_for_attempts(3)
        self.assertEqual(smtp.received(), [])
        self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs WHERE status = 'dead'"), 0,
                         f"a configuration error must not throw messages away: "
                         f"{self.db.query('SELECT outcome, detail FROM job_attempts')}")

    def test_one_connection_carries_many_messages(self):
        smtp = SmtpServer(self.port)
        self.addCleanup(smtp.stop)
        self.run_worker(f"smtp://127.0.0.1:{self.port}", 25)
        received = smtp.wait_for(25)
        self.assertEqual(len({r.connection for r in received}), 1)

    def test_sending_is_paced_to_per_second(self):
        smtp = SmtpServer(self.port)
        self.addCleanup(smtp.stop)
        started = time.monotonic()
        self.run_worker(f"smtp://127.0.0.1:{self.port}", 10, per_second=5)
        smtp.wait_for(10)
        self.assertGreater(time.monotonic() - started, 1.7)


if __name__ == "__main__":
    unittest.main()
