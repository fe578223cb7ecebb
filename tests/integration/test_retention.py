"""Retention (issue 21 item 4; docs/operations.md "Retention"): the
worker purges spam older than retention.spam_days and leads older than
retention.lead_days, with everything attached to them, once a day and by
one worker at a time, and writes each purge to the audit log with its
counts. Rows are aged by writing their times in the past."""

import json
import tempfile
import unittest
import uuid
from datetime import datetime, timedelta, timezone

import psycopg2

from harness import Database, Worker, require_environment, wait_until


def lead(db, status="new", age_days=0, changed_days=None, email=None, form="estimate"):
    """A lead that came in `age_days` ago and was last changed
    `changed_days` ago (by default when it came in)."""
    lead_id = str(uuid.uuid4())
    changed = age_days if changed_days is None else changed_days
    db.query("INSERT INTO leads (id, form, status, name, email, consent_version, created_at, updated_at) "
             "VALUES (%s, %s, %s, 'Retained', %s, 'v1', now() - make_interval(days => %s), "
             "now() - make_interval(days => %s))",
             (lead_id, form, status, email or f"{lead_id}@example.com", age_days, changed))
    return lead_id


def attach_everything(db, lead_id, meeting_days_ago=35):
    """What a lead collects: its history, an e-mail with its delivery
    attempt, a booking (a meeting `meeting_days_ago` days ago; negative:
    ahead) with its reminder, and the meeting written into a host's
    calendar. The booking's id."""
    db.query("INSERT INTO lead_events (lead_id, actor, field, old_value, new_value) "
             "VALUES (%s, 'sales', 'status', 'new', 'spam')", (lead_id,))
    job = db.scalar("INSERT INTO jobs (template, recipient, payload, lead_id, status, sent_at) "
                    "VALUES ('lead_notification', 'sales@studio.example', '{}', %s, 'sent', now()) RETURNING id",
                    (lead_id,))
    db.query("INSERT INTO job_attempts (job_id, attempt, worker, started_at, outcome) "
             "VALUES (%s, 1, 'w', now(), 'sent')", (job,))
    booking_id = str(uuid.uuid4())
    db.query("INSERT INTO bookings (id, lead_id, starts_at, ends_at, blocked, visitor_timezone, host_id) "
             "SELECT %s, %s, s, s + interval '30 minutes', tstzrange(s, s + interval '45 minutes'), "
             "'Europe/Berlin', 'ana' FROM (SELECT now() - make_interval(days => %s) AS s) t",
             (booking_id, lead_id, meeting_days_ago))
    db.query("INSERT INTO jobs (template, recipient, payload, lead_id, booking_id, status) "
             "VALUES ('booking_reminder', 'visitor@example.com', '{}', %s, %s, 'sent')", (lead_id, booking_id))
    db.query("INSERT INTO jobs (kind, template, recipient, payload, booking_id, status) "
             "VALUES ('calendar', 'calendar_put', 'ana', %s, %s, 'sent')",
             (json.dumps({"booking_id": booking_id, "host": "ana", "uid": f"{booking_id}@studio.example"}),
              booking_id))
    return booking_id


def newsletter_spam(db, age_days):
    spam_id = str(uuid.uuid4())
    db.query("INSERT INTO newsletter_spam (id, email, spam_reason, created_at) "
             "VALUES (%s, %s, 'honeypot', now() - make_interval(days => %s))",
             (spam_id, f"bot-{spam_id}@example.com", age_days))
    return spam_id


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class RetentionTest(unittest.TestCase):
    def setUp(self):
        require_environment(self)
        self.db = Database()
        self.addCleanup(self.db.drop)
        self.outbox = tempfile.mkdtemp(prefix="leadgate-retention-outbox-")
        self.workers = []

    def tearDown(self):
        for worker in self.workers:
            if worker.process.poll() is None:
                self.assertEqual(worker.stop(), 0, "exit code after SIGTERM")

    def start_worker(self, spam_days=30, lead_days=0):
        worker = Worker(self.db.url, extra_env={
            "LEADGATE_MAIL_URL": f"file://{self.outbox}",
            "LEADGATE_RETENTION_SPAM_DAYS": str(spam_days),
            "LEADGATE_RETENTION_LEAD_DAYS": str(lead_days),
        })
        self.workers.append(worker)
        return worker

    def wait_for_check(self, worker):
        """The worker's first retention check: its purge, or that none was due."""
        return wait_until(lambda: worker.events("retention_purged") or worker.events("retention_not_due"), 30,
                          lambda: f"a retention check; the worker logged {worker.log()[-5:]}")[0]

    def exists(self, table, row_id):
        return self.db.scalar(f"SELECT count(*) FROM {table} WHERE id = %s", (row_id,)) == 1

    def audit_entries(self):
        return [details for (details,) in self.db.query(
            "SELECT details FROM audit_log WHERE action = 'retention.purge' AND actor = 'worker' ORDER BY id")]

    def test_old_spam_goes_with_what_is_attached_and_younger_and_real_leads_stay(self):
        old_spam = lead(self.db, "spam", age_days=40)
        booking = attach_everything(self.db, old_spam)
        old_spam_consultation = lead(self.db, "spam", age_days=31, form="consultation")
        young_spam = lead(self.db, "spam", age_days=29)
        # Came in long ago, marked spam by sales two days ago: it can still be released.
        recently_marked = lead(self.db, "spam", age_days=200, changed_days=2)
        real_leads = [lead(self.db, status, age_days=400) for status in ("new", "won", "lost")]
        # Spam whose visitor still has a meeting ahead is kept until it is over.
        meeting_ahead = lead(self.db, "spam", age_days=40)
        attach_everything(self.db, meeting_ahead, meeting_days_ago=-3)
        old_bot = newsletter_spam(self.db, age_days=31)
        young_bot = newsletter_spam(self.db, age_days=29)

        worker = self.start_worker(spam_days=30, lead_days=0)
        purged = wait_until(lambda: worker.events("retention_purged"), 30, "the purge")[0]

        for gone in (old_spam, old_spam_consultation):
            self.assertFalse(self.exists("leads", gone))
        self.assertFalse(self.exists("bookings", booking))
        for table in ("lead_events", "jobs", "bookings"):
            self.assertEqual(self.db.scalar(f"SELECT count(*) FROM {table} WHERE lead_id = %s", (old_spam,)), 0,
                             table)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs WHERE booking_id = %s", (booking,)), 0)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM job_attempts a "
                                        "WHERE NOT EXISTS (SELECT FROM jobs j WHERE j.id = a.job_id)"), 0)
        # (The calendar delete queued below may already have had an attempt
        # of the worker's calendar lane: only the leads' own attempts count.)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM job_attempts a JOIN jobs j ON j.id = a.job_id "
                                        "WHERE j.template <> 'calendar_delete'"), 1, "the kept lead's attempt")
        # The meeting written into Ana's calendar names the visitor: a delete
        # of it is queued, as the erasure does, tied to no booking.
        removal = self.db.query("SELECT recipient, payload->>'uid', booking_id FROM jobs "
                                "WHERE template = 'calendar_delete'")
        self.assertEqual(removal, [("ana", f"{booking}@studio.example", None)])

        for kept in (young_spam, recently_marked, meeting_ahead, *real_leads):
            self.assertTrue(self.exists("leads", kept), kept)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM bookings WHERE lead_id = %s", (meeting_ahead,)), 1)
        self.assertFalse(self.exists("newsletter_spam", old_bot))
        self.assertTrue(self.exists("newsletter_spam", young_bot))

        [entry] = self.audit_entries()
        self.assertEqual((entry["spam_leads"], entry["leads"], entry["bookings"], entry["newsletter_spam"]),
                         (2, 0, 1, 1))
        self.assertIsNone(entry["cutoffs"]["leads"])
        expected = datetime.now(timezone.utc) - timedelta(days=30)
        self.assertLess(abs(instant(entry["cutoffs"]["spam"]) - expected), timedelta(minutes=5))
        for key in ("spam_leads", "leads", "bookings", "newsletter_spam"):
            self.assertEqual(purged[key], entry[key], f"the log line's {key}")
        self.assertIsNotNone(self.db.scalar("SELECT last_run_at FROM maintenance_runs WHERE name = 'retention'"))

    def test_lead_days_purges_old_leads_of_any_status_in_batches(self):
        # More than two batches of a thousand.
        self.db.query("INSERT INTO leads (id, form, status, name, email, consent_version, created_at, updated_at) "
                      "SELECT gen_random_uuid(), 'estimate', (ARRAY['new', 'contacted', 'won', 'lost'])[mod(g, 4) + 1], "
                      "'Old', 'old' || g || '@example.com', 'v1', now() - interval '400 days', "
                      "now() - interval '1 day' FROM generate_series(1, 2500) g")
        old_won = lead(self.db, "won", age_days=366)
        booking = attach_everything(self.db, old_won, meeting_days_ago=360)
        old_spam_touched_lately = lead(self.db, "spam", age_days=500, changed_days=1)
        younger = [lead(self.db, status, age_days=300) for status in ("new", "qualified", "won")]

        worker = self.start_worker(spam_days=30, lead_days=365)
        wait_until(lambda: worker.events("retention_purged"), 60, "the purge")

        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads WHERE created_at < now() - interval '365 days'"),
                         0)
        for gone in (old_won, old_spam_touched_lately):
            self.assertFalse(self.exists("leads", gone))
        self.assertFalse(self.exists("bookings", booking))
        for kept in younger:
            self.assertTrue(self.exists("leads", kept))
        [entry] = self.audit_entries()
        self.assertEqual((entry["spam_leads"], entry["leads"], entry["bookings"]), (0, 2502, 1))
        expected = datetime.now(timezone.utc) - timedelta(days=365)
        self.assertLess(abs(instant(entry["cutoffs"]["leads"]) - expected), timedelta(minutes=5))

    def test_two_workers_started_together_purge_once(self):
        old_spam = [lead(self.db, "spam", age_days=45) for _ in range(3)]
        # The test holds the run's row, so that both workers' claims meet on
        # it, waiting, and are let go at the same instant.
        self.db.query("INSERT INTO maintenance_runs (name) VALUES ('retention')")
        holder = psycopg2.connect(self.db.url)
        self.addCleanup(holder.close)
        holder.cursor().execute("SELECT * FROM maintenance_runs WHERE name = 'retention' FOR UPDATE")
        first = self.start_worker()
        second = self.start_worker()
        wait_until(lambda: self.db.scalar("SELECT count(*) FROM pg_stat_activity "
                                          "WHERE datname = current_database() AND wait_event_type = 'Lock'") == 2,
                   30, "both workers' claims to wait on the run's row")
        holder.commit()
        checks = [self.wait_for_check(worker) for worker in (first, second)]

        self.assertEqual(sorted(check["event"] for check in checks), ["retention_not_due", "retention_purged"])
        [entry] = self.audit_entries()
        self.assertEqual(entry["spam_leads"], 3)
        for gone in old_spam:
            self.assertFalse(self.exists("leads", gone))

    def test_a_second_start_the_same_day_does_not_purge_again(self):
        lead(self.db, "spam", age_days=45)
        first = self.start_worker()
        wait_until(lambda: first.events("retention_purged"), 30, "the first purge")
        self.assertEqual(first.stop(), 0)

        # Old spam that arrived (by the test's hand) after today's purge.
        late = lead(self.db, "spam", age_days=45)
        second = self.start_worker()
        check = self.wait_for_check(second)

        self.assertEqual(check["event"], "retention_not_due")
        last_run = self.db.scalar("SELECT last_run_at FROM maintenance_runs WHERE name = 'retention'")
        self.assertEqual(instant(check["last_run_at"]), last_run.replace(microsecond=0))
        self.assertTrue(self.exists("leads", late), "purged once a day, not once a start")
        self.assertEqual(len(self.audit_entries()), 1)

    def test_a_run_a_crashed_worker_left_is_finished_by_the_next_with_both_counts(self):
        # A worker started a run an hour ago, purged five spam leads with a
        # booking and died (its lease ran out).
        self.db.query("INSERT INTO maintenance_runs (name, last_run_at, started_at, counts, leased_by, leased_until) "
                      "VALUES ('retention', now() - interval '25 hours', now() - interval '1 hour', "
                      "'{\"spam_leads\": 5, \"bookings\": 1}', 'gone-worker', now() - interval '1 minute')")
        # Its cut-offs are counted back from its start, an hour ago.
        before_cutoff = lead(self.db, "spam", age_days=30, changed_days=None)
        self.db.query("UPDATE leads SET updated_at = now() - interval '30 days 2 hours' WHERE id = %s",
                      (before_cutoff,))
        after_cutoff = lead(self.db, "spam", age_days=30)
        self.db.query("UPDATE leads SET updated_at = now() - interval '30 days 30 minutes' WHERE id = %s",
                      (after_cutoff,))

        worker = self.start_worker()
        wait_until(lambda: worker.events("retention_purged"), 30, "the run to be finished")

        self.assertFalse(self.exists("leads", before_cutoff))
        self.assertTrue(self.exists("leads", after_cutoff))
        [entry] = self.audit_entries()
        self.assertEqual((entry["spam_leads"], entry["bookings"]), (6, 1))
        self.assertEqual(self.db.query("SELECT started_at, counts, leased_by FROM maintenance_runs"),
                         [(None, {}, None)])

    def test_nothing_is_purged_when_both_periods_are_zero(self):
        old_spam = lead(self.db, "spam", age_days=4000)
        old_bot = newsletter_spam(self.db, age_days=4000)
        worker = self.start_worker(spam_days=0, lead_days=0)
        wait_until(lambda: worker.events("retention_off"), 30, "retention to say it is off")
        self.assertTrue(self.exists("leads", old_spam))
        self.assertTrue(self.exists("newsletter_spam", old_bot))
        self.assertEqual(self.audit_entries(), [])


if __name__ == "__main__":
    unittest.main()
