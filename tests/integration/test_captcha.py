"""Captcha checks run concurrently, each bounded in time (issue 15): a
provider that is slow to answer one token delays only the form post that
carries it, and a provider that never answers fails the check after
forms.captcha_timeout_seconds instead of holding the post forever."""

import json
import threading
import time
import unittest

import stand_in
from harness import ServiceTest


def lead(email):
    return {"name": "Cai Check", "email": email, "message": "Is the check concurrent?"}


class HeldSiteVerify:
    """A siteverify stand-in: a token starting with "held" gets no answer
    until the test releases it (or, for "never", at all); "good" tokens pass
    at once."""

    def __init__(self):
        self.release = threading.Event()
        self.held = threading.Event()  # set once a held token has arrived
        verify = self

        class Handler(stand_in.Handler):
            def do_POST(self):
                token = self.posted_form().get("response", [""])[0]
                if token.startswith("held"):
                    verify.held.set()
                    verify.release.wait(30)
                elif token.startswith("never"):
                    threading.Event().wait(30)  # longer than the service's timeout
                # A provider answering a string where JSON has a boolean.
                self.answer(b'{"success": "true"}' if token.startswith("string") else b'{"success": true}')

        self.server = stand_in.serve(Handler)
        self.port = self.server.server_port


PROVIDER = HeldSiteVerify()


class ConcurrentCaptchaTest(ServiceTest):
    server_env = {"LEADGATE_FORMS_CAPTCHA": "turnstile", "LEADGATE_FORMS_CAPTCHA_SECRET": "test-secret",
                  "LEADGATE_FORMS_CAPTCHA_SITE_KEY": "test-site-key",
                  "LEADGATE_FORMS_CAPTCHA_VERIFY_URL": f"http://127.0.0.1:{PROVIDER.port}/siteverify",
                  "LEADGATE_FORMS_CAPTCHA_TIMEOUT_SECONDS": "2",
                  "LEADGATE_LIMITS_BURST": "20"}

    def test_a_slow_answer_delays_only_its_own_post(self):
        PROVIDER.release.clear()
        slow = {}
        thread = threading.Thread(target=lambda: slow.update(reply=self.server.post_json(
            "/v1/forms/estimate", {**lead("slow@example.com"), "captcha_token": "held-1"})))
        thread.start()
        self.assertTrue(PROVIDER.held.wait(10), "the provider never saw the held token")
        # The held check is in flight; another post's check must not queue behind it.
        fast = self.server.request("POST", "/v1/forms/estimate",
                                   json.dumps({**lead("fast@example.com"), "captcha_token": "good-1"}),
                                   {"Content-Type": "application/json"}, timeout=5)
        self.assertEqual(fast.status, 201, fast.body)
        self.assertTrue(thread.is_alive(), "the slow post must still be waiting for its own check")
        PROVIDER.release.set()
        thread.join(10)
        self.assertEqual(slow["reply"].status, 201, slow["reply"].body)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads"), 2)

    def test_an_answer_of_the_wrong_type_fails_the_check_and_the_server_lives_on(self):
        reply = self.server.post_json("/v1/forms/estimate", {**lead("typed@example.com"), "captcha_token": "string-1"})
        self.assertEqual(reply.status, 422, reply.body)
        self.assertIsNone(self.server.process.poll(), "serve is still running")
        self.assertEqual(self.server.get("/healthz").status, 200)

    def test_a_provider_that_never_answers_fails_the_check_within_the_timeout(self):
        started = time.monotonic()
        reply = self.server.post_json("/v1/forms/estimate", {**lead("never@example.com"), "captcha_token": "never-1"})
        elapsed = time.monotonic() - started
        self.assertEqual(reply.status, 422, reply.body)
        self.assertEqual(reply.json()["errors"][0]["field"], "captcha")
        self.assertGreaterEqual(elapsed, 1.5, "refused before the provider's timeout: not the timeout that acted")
        self.assertLess(elapsed, 10, "forms.captcha_timeout_seconds = 2 must bound the wait")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads WHERE email = 'never@example.com'"), 0)


if __name__ == "__main__":
    unittest.main()
