"""The newsletter: double opt-in and one-click unsubscribe, followed through
the links in the e-mails a real SMTP server receives (docs/api-behaviour.md,
"Newsletter"; issue 4)."""

import base64
import hashlib
import re
import unittest

from harness import path_of, wait_until
from mail_services import MailServiceTest

PENDING = {"status": "pending_confirmation"}


def links(received):
    """(confirm URL, unsubscribe URL) from the text part of an e-mail."""
    text = received.message.get_body(("plain",)).get_content()
    confirm = re.search(r"(http://\S+/v1/newsletter/confirm\?token=[0-9a-f]+)", text).group(1)
    unsubscribe = re.search(r"(http://\S+/v1/newsletter/unsubscribe\?token=[0-9a-f]+)", text).group(1)
    return confirm, unsubscribe


class NewsletterTest(MailServiceTest):
    # Behind a proxy on loopback, as in deploy/compose.yaml: consent records
    # must name the visitor, not the proxy.
    environment = {"LEADGATE_HTTP_TRUSTED_PROXIES": "127.0.0.1/32"}

    def sign_up(self, email, headers=None, **fields):
        return self.server.post_json("/v1/forms/newsletter", {"email": email, **fields}, headers)

    def state(self, email):
        rows = self.db.query("SELECT state FROM subscribers WHERE email = %s", (email,))
        return rows[0][0] if rows else None

    def consents(self, email):
        return [row[0] for row in self.db.query(
            "SELECT c.action FROM consent_records c JOIN subscribers s ON s.id = c.subscriber_id "
            "WHERE s.email = %s ORDER BY c.id", (email,))]

    def confirmations_queued(self, email):
        return self.db.scalar("SELECT count(*) FROM jobs WHERE template = 'newsletter_confirmation' "
                              "AND recipient = %s", (email,))

    def signed_up_and_mailed(self, email, headers=None, **fields):
        reply = self.sign_up(email, headers, **fields)
        self.assertEqual((reply.status, reply.json()), (202, PENDING))
        return self.smtp.wait_for(1, email)[-1]

    def test_the_whole_journey_from_signup_to_confirmed_to_unsubscribed(self):
        email = "journey@example.com"
        visitor = {"X-Forwarded-For": "198.51.100.23"}
        received = self.signed_up_and_mailed(email, visitor, name="Visit cheap watches today",
                                             page_url="https://site.example/")
        message = received.message
        self.assertEqual(str(message["Subject"]), "Please confirm your newsletter subscription")
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        confirm_url, unsubscribe_url = links(received)
        self.assertEqual(message["List-Unsubscribe"], f"<{unsubscribe_url}>")
        self.assertNotIn("cheap watches", received.content.decode("ascii", "replace"))
        self.assertEqual(self.state(email), "pending")

        page = self.server.get(path_of(confirm_url))
        self.assertEqual(page.status, 200)
        self.assertIn(f'action="{confirm_url}"', page.text)
        # Its one line of script (it submits the form) runs because the
        # policy names its hash, and no other script could.
        script = re.search(r"<script>(.*?)</script>", page.text, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        self.assertIn(f"script-src 'sha256-{digest}'", page.headers["content-security-policy"])
        self.assertEqual(self.state(email), "pending", "a GET changed the state")

        confirmed = self.server.request("POST", path_of(confirm_url), headers=visitor)
        self.assertEqual(confirmed.status, 303)
        self.assertTrue(confirmed.headers["location"].endswith("/newsletter/confirmed"))
        self.assertEqual(self.server.get("/newsletter/confirmed").status, 200)
        self.assertEqual(self.state(email), "confirmed")

        self.assertEqual(self.server.get(path_of(unsubscribe_url)).status, 200)
        self.assertEqual(self.state(email), "confirmed", "a GET changed the state")
        one_click = self.server.request("POST", path_of(unsubscribe_url), "List-Unsubscribe=One-Click",
                                        {"Content-Type": "application/x-www-form-urlencoded", **visitor})
        self.assertEqual(one_click.status, 200)
        self.assertEqual(self.state(email), "unsubscribed")
        self.assertEqual(self.consents(email), ["signup", "confirm", "unsubscribe"])
        addresses = self.db.query(
            "SELECT DISTINCT host(c.client_address), c.consent_version FROM consent_records c "
            "JOIN subscribers s ON s.id = c.subscriber_id WHERE s.email = %s", (email,))
        self.assertEqual(addresses, [("198.51.100.23", "1")], "each consent names the visitor, not the proxy")

    def test_tokens_are_stored_hashed_and_scrubbed_from_the_outbox_once_sent(self):
        email = "secret@example.com"
        confirm_url, unsubscribe_url = links(self.signed_up_and_mailed(email))
        # The worker records the outcome (and scrubs the links) after the sink accepts.
        wait_until(lambda: self.db.scalar("SELECT status FROM jobs WHERE recipient = %s", (email,)) == "sent", 20,
                   "the confirmation recorded as sent")
        for url in (confirm_url, unsubscribe_url):
            token = url.rsplit("=", 1)[1]
            self.assertGreaterEqual(len(token) * 4, 128)
            dump = self.db.query("SELECT string_agg(t::text, ' ') FROM subscriber_tokens t")[0][0]
            dump += self.db.query("SELECT string_agg(j::text, ' ') FROM jobs j")[0][0]
            self.assertNotIn(token, dump)

    def test_a_confirm_link_works_once(self):
        email = "once@example.com"
        confirm_url, _ = links(self.signed_up_and_mailed(email))
        self.assertEqual(self.server.request("POST", path_of(confirm_url)).status, 303)
        again = self.server.request("POST", path_of(confirm_url))
        self.assertEqual(again.status, 303, "a second click on a used link still lands on the confirmed page")
        self.assertEqual(self.consents(email), ["signup", "confirm"])

    def test_an_old_confirm_link_cannot_resubscribe_after_unsubscribing(self):
        email = "old-link@example.com"
        confirm_url, unsubscribe_url = links(self.signed_up_and_mailed(email))
        self.server.request("POST", path_of(unsubscribe_url))
        self.assertEqual(self.state(email), "unsubscribed")
        reply = self.server.request("POST", path_of(confirm_url))
        self.assertEqual(reply.status, 410)
        self.assertIn("expired or was already used", reply.text)
        self.assertEqual(self.state(email), "unsubscribed")

    def test_an_expired_confirm_link_shows_a_friendly_page_and_changes_nothing(self):
        email = "expired@example.com"
        confirm_url, _ = links(self.signed_up_and_mailed(email))
        self.db.query("UPDATE subscriber_tokens SET expires_at = now() - interval '1 minute' WHERE purpose = 'confirm'")
        for method in ("GET", "POST"):
            reply = self.server.request(method, path_of(confirm_url))
            self.assertEqual(reply.status, 410)
            self.assertTrue(reply.headers["content-type"].startswith("text/html"))
        self.assertEqual(self.state(email), "pending")

    def test_unknown_and_malformed_links_get_404_pages(self):
        for path in ("/v1/newsletter/confirm?token=" + "ab" * 24, "/v1/newsletter/confirm?token=nope",
                     "/v1/newsletter/unsubscribe?token=" + "cd" * 24, "/v1/newsletter/confirm"):
            for method in ("GET", "POST"):
                reply = self.server.request(method, path)
                self.assertEqual(reply.status, 404, (method, path))
                self.assertIn("We do not know this link", reply.text)

    def test_a_confirmed_address_signing_up_again_stays_confirmed_and_gets_nothing(self):
        email = "loyal@example.com"
        confirm_url, _ = links(self.signed_up_and_mailed(email))
        self.server.request("POST", path_of(confirm_url))
        self.db.query("UPDATE subscribers SET last_confirmation_sent_at = now() - interval '1 day'")
        reply = self.sign_up(email)
        self.assertEqual((reply.status, reply.json()), (202, PENDING))
        # E-mails are queued in the signup's own transaction: no second job
        # now means no second e-mail ever.
        self.assertEqual(self.confirmations_queued(email), 1)
        self.assertEqual(len(self.smtp.received(email)), 1)
        self.assertEqual(self.state(email), "confirmed")

    def test_no_second_confirmation_within_the_cool_down_and_one_after_it(self):
        email = "eager@example.com"
        self.signed_up_and_mailed(email)
        for _ in range(3):
            self.assertEqual(self.sign_up(email).status, 202)
        self.assertEqual(self.confirmations_queued(email), 1, "queued in the signup's transaction, or never")
        self.assertEqual(len(self.smtp.received(email)), 1)
        self.db.query("UPDATE subscribers SET last_confirmation_sent_at = now() - interval '11 minutes' "
                      "WHERE email = %s", (email,))
        self.sign_up(email)
        self.smtp.wait_for(2, email)
        self.assertEqual(self.state(email), "pending")

    def test_signing_up_again_after_unsubscribing_starts_over_as_pending(self):
        email = "returning@example.com"
        _, unsubscribe_url = links(self.signed_up_and_mailed(email))
        self.server.request("POST", path_of(unsubscribe_url))
        self.db.query("UPDATE subscribers SET last_confirmation_sent_at = now() - interval '1 hour' "
                      "WHERE email = %s", (email,))
        self.sign_up(email)
        confirm_url, _ = links(self.smtp.wait_for(2, email)[-1])
        self.assertEqual(self.state(email), "pending")
        self.server.request("POST", path_of(confirm_url))
        self.assertEqual(self.state(email), "confirmed")

    def test_known_and_unknown_addresses_get_identical_answers(self):
        known = "known@example.com"
        confirm_url, _ = links(self.signed_up_and_mailed(known))
        self.server.request("POST", path_of(confirm_url))
        answers = []
        for email in (known, "never-seen@example.com"):
            reply = self.sign_up(email)
            answers.append((reply.status, reply.body, sorted(reply.headers.items())))
        self.assertEqual(answers[0][:2], answers[1][:2])
        strip = lambda headers: [h for h in headers if h[0] not in ("date",)]
        self.assertEqual(strip(answers[0][2]), strip(answers[1][2]))

    def test_a_signup_that_sends_nothing_still_commits_a_write_so_its_timing_tells_nothing(self):
        # A transaction that writes nothing skips the WAL flush and answers
        # milliseconds sooner: a known address would show in the timing.
        known = "timing@example.com"
        confirm_url, _ = links(self.signed_up_and_mailed(known))
        self.server.request("POST", path_of(confirm_url))
        lsn = lambda: self.db.scalar("SELECT pg_current_wal_insert_lsn()::text")
        records = lambda: self.db.scalar(
            "SELECT count(*) FROM consent_records c JOIN subscribers s ON s.id = c.subscriber_id "
            "WHERE s.email = %s AND c.action = 'signup'", (known,))
        before_records, before_lsn = records(), lsn()
        self.assertEqual(self.sign_up(known).status, 202)
        self.assertEqual(records(), before_records + 1, "the repeat signup is recorded, as a new one is")
        self.assertNotEqual(lsn(), before_lsn, "and it wrote WAL, so its commit waited for the flush")
        self.assertEqual(self.state(known), "confirmed")

    def test_invalid_signups_are_refused_and_store_nothing(self):
        for fields in ({"email": "not-an-address"}, {"email": "ok@example.com", "name": "see www.spam.example"}, {}):
            reply = self.server.post_json("/v1/forms/newsletter", fields)
            self.assertEqual(reply.status, 422, fields)
        self.assertIsNone(self.state("ok@example.com"))

    def test_a_plain_form_is_redirected_and_a_bot_is_told_the_same(self):
        reply = self.server.post_form("/v1/forms/newsletter", {"email": "form@example.com"})
        self.assertEqual(reply.status, 303)
        bot = self.server.post_form("/v1/forms/newsletter", {"email": "bot@example.com", "_gotcha": "x"})
        self.assertEqual((bot.status, bot.headers["location"]), (303, reply.headers["location"]))
        self.assertIsNone(self.state("bot@example.com"))

    def test_unsubscribing_from_a_browser_lands_on_a_page(self):
        email = "browser@example.com"
        _, unsubscribe_url = links(self.signed_up_and_mailed(email))
        reply = self.server.post_form(path_of(unsubscribe_url), "")
        self.assertEqual(reply.status, 303)
        self.assertTrue(reply.headers["location"].endswith("/newsletter/unsubscribed"))
        self.assertEqual(self.state(email), "unsubscribed")
        self.assertEqual(self.server.request("POST", path_of(unsubscribe_url)).status, 303, "twice is fine")


if __name__ == "__main__":
    unittest.main()
