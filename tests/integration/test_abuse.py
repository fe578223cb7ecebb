"""Abuse protection (docs/api-behaviour.md, "Abuse protection"; issue 8):
rate limits per client and form,
X-Forwarded-For believed only from trusted proxies, the per-address cap on
visitor e-mails, CORS, and the headers of HTML pages."""

import json
import socket
import unittest

import stand_in
from harness import ServiceTest


def lead(email="limit@example.com"):
    return {"name": "Rita Limit", "email": email, "message": "Testing the limits today."}


class RateLimitTest(ServiceTest):
    server_env = {"LEADGATE_LIMITS_PER_MINUTE": "60", "LEADGATE_LIMITS_BURST": "3"}

    def test_the_burst_is_allowed_then_429_with_retry_after(self):
        headers = {"X-Forwarded-For": "203.0.113.7"}  # ignored: the peer is not a trusted proxy
        statuses = [self.server.post_json("/v1/forms/estimate", lead(), headers).status for _ in range(3)]
        self.assertEqual(statuses, [201, 201, 201])
        refused = self.server.post_json("/v1/forms/estimate", lead(), {"X-Forwarded-For": "198.51.100.1"})
        self.assertEqual(refused.status, 429)
        self.assertGreaterEqual(int(refused.headers["retry-after"]), 1)
        self.assertEqual(refused.json()["status"], 429)
        self.assertEqual(self.server.post_json("/v1/forms/newsletter", {"email": "other-form@example.com"}).status, 202,
                         "each form has its own bucket")
        page = self.server.post_form("/v1/forms/estimate", lead())
        self.assertEqual(page.status, 429)
        self.assertTrue(page.headers["content-type"].startswith("text/html"))
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads"), 3)


class TrustedProxyTest(ServiceTest):
    server_env = {"LEADGATE_LIMITS_PER_MINUTE": "60", "LEADGATE_LIMITS_BURST": "1",
                  "LEADGATE_HTTP_TRUSTED_PROXIES": "127.0.0.1/32, 10.0.0.0/8"}

    def post_as(self, forwarded_for):
        return self.server.post_json("/v1/forms/estimate", lead(), {"X-Forwarded-For": forwarded_for}).status

    def test_clients_behind_a_trusted_proxy_are_told_apart_by_the_rightmost_untrusted_hop(self):
        self.assertEqual(self.post_as("203.0.113.1"), 201)
        self.assertEqual(self.post_as("203.0.113.1"), 429)
        self.assertEqual(self.post_as("203.0.113.2"), 201)
        # A client that writes its own X-Forwarded-For cannot pick its address:
        # the rightmost hop our proxies did not add is the one that counts.
        self.assertEqual(self.post_as("1.2.3.4, 203.0.113.2, 10.1.2.3"), 429)
        stored = self.db.query("SELECT DISTINCT host(client_address) FROM leads ORDER BY 1")
        self.assertEqual(stored, [("203.0.113.1",), ("203.0.113.2",)])
        def logged():
            return [entry["client"] for entry in self.server.events("request") if entry.get("route") == "/v1/forms/estimate"]
        self.server.wait_until(lambda: len(logged()) == 4, "four access log lines")
        self.assertEqual(logged(), ["203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.2"],
                         "the access log names the client, not the proxy")

    def test_a_proxys_own_header_line_is_read_after_the_clients(self):
        # A proxy may append a second X-Forwarded-For line instead of
        # extending the client's (HAProxy's option forwardfor does): the lines
        # are one list, and the client's own first line must not win. (The
        # newsletter form: this class's other test counts the leads.)
        def signup(claimed):
            body = json.dumps({"email": "proxied@example.com"}).encode()
            return self.server.raw(
                b"POST /v1/forms/newsletter HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                b"X-Forwarded-For: " + claimed + b"\r\nX-Forwarded-For: 198.51.100.50\r\n"
                b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        self.assertTrue(signup(b"192.0.2.77").startswith(b"HTTP/1.1 202"))
        self.assertTrue(signup(b"192.0.2.78").startswith(b"HTTP/1.1 429"), "the client chose its own address")
        self.assertEqual(self.db.query("SELECT host(c.client_address) FROM consent_records c JOIN subscribers s "
                                       "ON s.id = c.subscriber_id WHERE s.email = 'proxied@example.com'"),
                         [("198.51.100.50",)])

    def test_an_ipv6_client_is_counted_by_its_slash_64(self):
        # One subscriber is given a whole /64: a fresh address from it is the
        # same client, while the next /64 is someone else.
        def signup(address, email):
            return self.server.post_json("/v1/forms/newsletter", {"email": email}, {"X-Forwarded-For": address}).status
        self.assertEqual(signup("2001:db8:5:6::1", "v6-a@example.com"), 202)
        self.assertEqual(signup("2001:db8:5:6:abcd::99", "v6-b@example.com"), 429)
        self.assertEqual(signup("2001:db8:5:7::1", "v6-c@example.com"), 202)

class RecipientCapTest(ServiceTest):
    server_env = {"LEADGATE_LIMITS_EMAILS_PER_RECIPIENT_PER_DAY": "3"}

    def test_an_address_gets_at_most_three_confirmations_a_day_from_the_forms(self):
        for _ in range(4):
            self.assertEqual(self.server.post_json("/v1/forms/estimate", lead("flooded@example.com")).status, 201)
        self.assertEqual(self.server.post_json("/v1/forms/newsletter", {"email": "flooded@example.com"}).status, 202)
        counts = dict(self.db.query("SELECT template, count(*) FROM jobs GROUP BY template"))
        self.assertEqual(counts, {"estimate_confirmation": 3, "lead_notification": 4})


    def test_sub_address_tags_dots_and_case_share_one_quota(self):
        addresses = ["victim+1@example.com", "victim+2@example.com", "v.i.c.t.i.m@example.com", "VICTIM+x@Example.com",
                     "victim@example.com"]
        for address in addresses:
            self.assertEqual(self.server.post_json("/v1/forms/estimate", lead(address)).status, 201)
        self.assertEqual(self.server.post_json("/v1/forms/newsletter", {"email": "vic.tim+news@example.com"}).status, 202)
        sent_to = [row[0] for row in self.db.query(
            "SELECT recipient FROM jobs WHERE template LIKE '%%confirmation' "
            "AND visitor_address_key(recipient) = 'victim@example.com' ORDER BY id")]
        self.assertEqual(sent_to, addresses[:3], "three visitor e-mails a day for one mailbox, however it is spelt")
        stored = {row[0] for row in self.db.query("SELECT email FROM leads")}
        self.assertIn("v.i.c.t.i.m@example.com", stored, "the address itself is kept as typed")
        self.assertIn("VICTIM+x@example.com", stored)


class CorsAndHeadersTest(ServiceTest):
    server_env = {"LEADGATE_HTTP_ALLOWED_ORIGINS": "https://www.agency.example"}

    def test_preflight_is_answered_for_allowed_origins_only(self):
        allowed = self.server.request("OPTIONS", "/v1/forms/estimate", headers={
            "Origin": "https://www.agency.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, idempotency-key"})
        self.assertEqual(allowed.status, 204)
        self.assertEqual(allowed.headers["access-control-allow-origin"], "https://www.agency.example")
        self.assertIn("POST", allowed.headers["access-control-allow-methods"])
        self.assertIn("Idempotency-Key", allowed.headers["access-control-allow-headers"])
        self.assertEqual(allowed.headers["vary"], "Origin")
        other = self.server.request("OPTIONS", "/v1/forms/estimate", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        self.assertNotIn("access-control-allow-origin", other.headers)

    def test_responses_name_the_allowed_origin_and_vary_on_it(self):
        reply = self.server.post_json("/v1/forms/estimate", lead(), {"Origin": "https://www.agency.example"})
        self.assertEqual(reply.headers["access-control-allow-origin"], "https://www.agency.example")
        self.assertEqual(reply.headers["vary"], "Origin")
        foreign = self.server.post_json("/v1/forms/estimate", lead(), {"Origin": "https://evil.example"})
        self.assertNotIn("access-control-allow-origin", foreign.headers)
        self.assertNotIn("access-control-allow-origin",
                         self.server.get("/healthz", {"Origin": "https://www.agency.example"}).headers)

    def test_the_booking_widget_may_read_free_slots_from_the_website(self):
        slots = self.server.get("/v1/booking/slots?from=2030-01-07&to=2030-01-07&tz=UTC",
                                {"Origin": "https://www.agency.example"})
        self.assertEqual(slots.status, 200, slots.body)
        self.assertEqual(slots.headers["access-control-allow-origin"], "https://www.agency.example")
        self.assertEqual(slots.headers["vary"], "Origin")
        preflight = self.server.request("OPTIONS", "/v1/booking/slots", headers={
            "Origin": "https://www.agency.example", "Access-Control-Request-Method": "GET"})
        self.assertEqual(preflight.status, 204)
        self.assertEqual(preflight.headers["access-control-allow-origin"], "https://www.agency.example")
        foreign = self.server.get("/v1/booking/slots?from=2030-01-07&to=2030-01-07&tz=UTC",
                                  {"Origin": "https://evil.example"})
        self.assertNotIn("access-control-allow-origin", foreign.headers)

    def test_a_body_too_large_is_answered_like_any_refusal(self):
        # Refused before any handler ran, and still readable by the website's
        # fetch (CORS), and still a page for a plain form post.
        origin = {"Origin": "https://www.agency.example"}
        fetched = self.server.post_json("/v1/forms/estimate", {**lead(), "message": "x" * 70000}, origin)
        self.assertEqual(fetched.status, 413)
        self.assertEqual(fetched.headers["access-control-allow-origin"], "https://www.agency.example")
        self.assertEqual(fetched.json()["status"], 413)
        posted = self.server.post_form("/v1/forms/estimate", {**lead(), "message": "x" * 70000}, origin)
        self.assertEqual(posted.status, 413)
        self.assertTrue(posted.headers["content-type"].startswith("text/html"), posted.headers)
        self.assertIn("frame-ancestors 'none'", posted.headers["content-security-policy"])

    def test_html_pages_carry_security_headers_and_no_server_banner(self):
        for path in ("/thanks", "/newsletter/confirmed", "/v1/newsletter/confirm?token=x"):
            reply = self.server.get(path)
            policy = reply.headers["content-security-policy"]
            self.assertIn("frame-ancestors 'none'", policy, path)
            self.assertIn("script-src 'none'", policy, path)
            self.assertEqual(reply.headers["x-content-type-options"], "nosniff")
            self.assertEqual(reply.headers["referrer-policy"], "no-referrer")
            self.assertNotIn("server", reply.headers)


class SiteVerify:
    """A stand-in for the captcha provider's siteverify API: tokens starting
    with "good" pass when our secret comes with them."""

    def __init__(self):
        self.calls = []
        verify = self

        class Handler(stand_in.Handler):
            def do_POST(self):
                form = self.posted_form()
                verify.calls.append(form)
                ok = form.get("secret") == ["test-secret"] and form.get("response", [""])[0].startswith("good")
                self.answer(b'{"success": true}' if ok else b'{"success": false, "error-codes": ["invalid-input-response"]}')

        self.server = stand_in.serve(Handler)
        self.port = self.server.server_port


VERIFY = SiteVerify()


class CaptchaTest(ServiceTest):
    server_env = {"LEADGATE_FORMS_CAPTCHA": "turnstile", "LEADGATE_FORMS_CAPTCHA_SECRET": "test-secret",
                  "LEADGATE_FORMS_CAPTCHA_SITE_KEY": "test-site-key",
                  "LEADGATE_FORMS_CAPTCHA_VERIFY_URL": f"http://127.0.0.1:{VERIFY.port}/siteverify"}

    def refused(self, reply):
        self.assertEqual(reply.status, 422, reply.body)
        self.assertEqual(reply.json()["errors"][0]["field"], "captcha")

    def spam_reasons(self, reply):
        self.assertEqual(reply.status, 201, reply.body)
        return self.db.query("SELECT status, spam_reasons FROM leads WHERE id = %s", (reply.json()["id"],))[0]

    def test_posts_need_a_token_the_provider_accepts_once(self):
        # No token: the page lacks the widget, the visitor is told.
        self.refused(self.server.post_json("/v1/forms/estimate", lead("captcha@example.com")))
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads"), 0)
        # A token the provider refuses is a bot's: stored as spam, the answer unchanged.
        refused = self.server.post_json("/v1/forms/estimate", {**lead("captcha@example.com"), "captcha_token": "bad"})
        self.assertEqual(self.spam_reasons(refused), ("spam", ["captcha"]))

        accepted = self.server.post_json("/v1/forms/estimate", {**lead("captcha@example.com"), "captcha_token": "good-1"})
        self.assertEqual(self.spam_reasons(accepted), ("new", []))
        self.assertEqual(VERIFY.calls[-1]["remoteip"], ["127.0.0.1"])
        # A token used before: a bot replaying one.
        replayed = self.server.post_json("/v1/forms/estimate", {**lead("captcha@example.com"), "captcha_token": "good-1"})
        self.assertEqual(self.spam_reasons(replayed), ("spam", ["captcha"]))

        form = self.server.post_form("/v1/forms/newsletter", {"email": "widget@example.com",
                                                              "cf-turnstile-response": "good-2"})
        self.assertEqual(form.status, 303)
        self.refused(self.server.post_json("/v1/forms/newsletter", {"email": "api-only@example.com"}))
        hcaptcha = self.server.post_form("/v1/forms/newsletter", {"email": "hcaptcha-widget@example.com",
                                                                  "h-captcha-response": "good-3"})
        self.assertEqual(hcaptcha.status, 303, "hCaptcha's widget field is read too")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM subscribers"), 2)


# Bound but never listening: connections to it are refused for as long as
# this module runs, and nobody else can take the port meanwhile.
UNREACHABLE = socket.socket()
UNREACHABLE.bind(("127.0.0.1", 0))


class UnreachableCaptchaTest(ServiceTest):
    server_env = {"LEADGATE_FORMS_CAPTCHA": "hcaptcha", "LEADGATE_FORMS_CAPTCHA_SECRET": "test-secret",
                  "LEADGATE_FORMS_CAPTCHA_SITE_KEY": "test-site-key",
                  "LEADGATE_FORMS_CAPTCHA_VERIFY_URL": f"http://127.0.0.1:{UNREACHABLE.getsockname()[1]}/siteverify"}

    def test_a_provider_that_cannot_be_reached_fails_the_check_and_stores_nothing(self):
        reply = self.server.post_json("/v1/forms/estimate", {**lead("unchecked@example.com"), "captcha_token": "good-4"})
        self.assertEqual(reply.status, 422, reply.body)
        self.assertEqual(reply.json()["errors"][0]["field"], "captcha")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads"), 0)
        self.server.wait_until(lambda: self.server.events("captcha_unreachable"), "the captcha_unreachable warning")


if __name__ == "__main__":
    unittest.main()
