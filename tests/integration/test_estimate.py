"""POST /v1/forms/estimate, as a JS client and as a plain HTML form see it
(docs/api-behaviour.md, "Form posts")."""

import json
import select
import threading
import time
import unittest
import urllib.parse
import uuid

from harness import ServiceTest, connect


def valid_lead(**changes):
    lead = {
        "name": "Ana Müller",
        "email": "ana@example.com",
        "message": "We need a booking app for our three clinics.",
        "company": "Müller Physio",
        "phone": "+49 (30) 123-456.7",
        "budget": "25k_50k",
        "timeline": "Q3",
        "services": ["web_app", "design"],
        "consent_marketing": True,
        "page_url": "https://agency.example/estimate",
        "referrer": "https://search.example/",
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": "spring",
        "utm_term": "apps",
        "utm_content": "button",
    }
    lead.update(changes)
    return {key: value for key, value in lead.items() if value is not None}


class EstimateAcceptedTest(ServiceTest):
    config = """
[http]
allowed_origins = ["https://agency.example"]
[forms.success_url]
estimate = "https://agency.example/thank-you"
"""

    def test_json_lead_gets_201_with_id_and_is_stored_with_both_emails(self):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(email="json-ok@example.com"))
        self.assertEqual(reply.status, 201, reply.body)
        body = reply.json()
        self.assertEqual(body["status"], "received")
        rows = self.db.query(
            "SELECT name, email, message, company, phone, budget, timeline, services, consent_marketing, status, "
            "page_url, utm_campaign, consent_version, host(client_address) FROM leads WHERE id = %s", (body["id"],))
        self.assertEqual(rows, [("Ana Müller", "json-ok@example.com", "We need a booking app for our three clinics.",
                                 "Müller Physio", "+49 (30) 123-456.7", "25k_50k", "Q3", ["web_app", "design"], True,
                                 "new", "https://agency.example/estimate", "spring", "1", "127.0.0.1")])
        jobs = self.db.query("SELECT template, recipient, reply_to FROM jobs WHERE lead_id = %s ORDER BY template",
                             (body["id"],))
        self.assertEqual(jobs, [("estimate_confirmation", "json-ok@example.com", None),
                                ("lead_notification", "sales@localhost", "json-ok@example.com")])

    def test_plain_form_post_is_redirected_to_the_success_page(self):
        fields = valid_lead(email="form-ok@example.com", consent_marketing="on")
        reply = self.server.post_form("/v1/forms/estimate", fields)
        self.assertEqual(reply.status, 303)
        self.assertEqual(reply.headers["location"], "https://agency.example/thank-you")
        stored = self.db.query("SELECT services, consent_marketing FROM leads WHERE email = 'form-ok@example.com'")
        self.assertEqual(stored, [(["web_app", "design"], True)])

    def test_php_style_list_names_are_accepted(self):
        body = urllib.parse.urlencode([("name", "Li"), ("email", "php-list@example.com"),
                                       ("message", "A longer message here"), ("services[]", "api"),
                                       ("services[]", "consulting")])
        self.assertEqual(self.server.post_form("/v1/forms/estimate", body).status, 303)
        self.assertEqual(self.db.scalar("SELECT services FROM leads WHERE email = 'php-list@example.com'"),
                         ["api", "consulting"])

    def test_next_field_is_followed_only_for_allowed_origins(self):
        allowed = self.server.post_form("/v1/forms/estimate",
                                        valid_lead(email="next1@example.com", _next="https://agency.example/merci"))
        self.assertEqual(allowed.headers["location"], "https://agency.example/merci")
        foreign = self.server.post_form("/v1/forms/estimate",
                                        valid_lead(email="next2@example.com", _next="https://evil.example/phish"))
        self.assertEqual(foreign.headers["location"], "https://agency.example/thank-you")

    def test_form_encoded_post_asking_for_json_gets_json(self):
        reply = self.server.post_form("/v1/forms/estimate", valid_lead(email="fetch@example.com"),
                                      {"Accept": "application/json"})
        self.assertEqual(reply.status, 201)
        self.assertEqual(reply.json()["status"], "received")

    def test_optional_fields_may_be_left_out(self):
        reply = self.server.post_json("/v1/forms/estimate",
                                      {"name": "Bo", "email": "minimal@example.com", "message": "Just ten chars"})
        self.assertEqual(reply.status, 201, reply.body)

    def test_charset_utf8_parameter_is_accepted(self):
        reply = self.server.request("POST", "/v1/forms/estimate", json.dumps(valid_lead(email="cs@example.com")),
                                    {"Content-Type": "application/json; charset=UTF-8"})
        self.assertEqual(reply.status, 201)

    def test_accepted_lead_wakes_listening_workers(self):
        with connect(self.db.url) as listener:
            listener.cursor().execute("LISTEN jobs")
            self.assertEqual(self.server.post_json("/v1/forms/estimate", valid_lead(email="wake@example.com")).status,
                             201)
            ready, _, _ = select.select([listener], [], [], 2.0)
            self.assertTrue(ready, "no NOTIFY jobs within 2 s of the commit")
            listener.poll()
            self.assertEqual([note.channel for note in listener.notifies][:1], ["jobs"])

    def test_log_has_one_json_line_per_request_without_email_addresses(self):
        self.server.post_json("/v1/forms/estimate", valid_lead(email="private-person@example.com"))
        # Lines are written in order, each before its answer: once a later
        # request's line is read, so is the estimate's.
        marker = f"/after-the-estimate-{uuid.uuid4().hex}"
        self.server.get(marker)
        self.server.wait_until(lambda: any(line["path"] == marker for line in self.server.events("request")),
                               "a later request's log line")
        lines = self.server.events("request")
        self.assertTrue(any(line["route"] == "/v1/forms/estimate" and line["status"] == 201 for line in lines))
        self.assertNotIn("private-person@example.com", json.dumps(self.server.log()))


class EstimateRejectedTest(ServiceTest):
    def assert_rejected(self, payload, field, code):
        before = self.db.scalar("SELECT count(*) FROM leads")
        reply = self.server.post_json("/v1/forms/estimate", payload)
        self.assertEqual(reply.status, 422, reply.body)
        self.assertEqual(reply.headers["content-type"], "application/problem+json")
        problem = reply.json()
        self.assertEqual(problem["status"], 422)
        self.assertIn({"field": field, "code": code}, [{"field": e["field"], "code": e["code"]} for e in problem["errors"]],
                      problem)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads"), before, "a rejected lead changed the database")

    def test_every_field_rule_is_enforced(self):
        cases = [
            (dict(name=None), "name", "required"),
            (dict(name="   "), "name", "required"),
            (dict(name="x" * 201), "name", "too_long"),
            (dict(name="Visit www.cheap.example"), "name", "contains_url"),
            (dict(name="Ana\nBcc: victim@example.com"), "name", "control_characters"),
            (dict(email=None), "email", "required"),
            (dict(email="not-an-address"), "email", "invalid_email"),
            (dict(email="a" * 250 + "@example.com"), "email", "too_long"),
            (dict(message=None), "message", "required"),
            (dict(message="too short"), "message", "too_short"),
            (dict(message="m" * 5001), "message", "too_long"),
            (dict(company="c" * 201), "company", "too_long"),
            (dict(phone="call me maybe"), "phone", "invalid_phone"),
            (dict(phone="1" * 41), "phone", "too_long"),
            (dict(budget="a million"), "budget", "not_allowed"),
            (dict(timeline="t" * 101), "timeline", "too_long"),
            (dict(services=["web_app", "time_travel"]), "services", "not_allowed"),
            (dict(consent_marketing="perhaps"), "consent_marketing", "invalid_type"),
            (dict(utm_source="u" * 501), "utm_source", "too_long"),
            (dict(page_url="p" * 501), "page_url", "too_long"),
            (dict(name=42), "name", "invalid_type"),
            (dict(name={"first": "Ana"}), "name", "invalid_type"),
            (dict(message="Hello\u0000 there, friend"), "message", "control_characters"),
            (dict(company="Acme\u0085Corp"), "company", "control_characters"),
        ]
        for changes, field, code in cases:
            with self.subTest(field=field, code=code):
                self.assert_rejected(valid_lead(**changes), field, code)

    def test_lengths_count_characters_not_bytes(self):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(name="ü" * 200, email="utf8-len@example.com"))
        self.assertEqual(reply.status, 201, reply.body)

    def test_message_may_span_lines(self):
        reply = self.server.post_json("/v1/forms/estimate",
                                      valid_lead(message="Line one\r\nLine two\n\tIndented", email="ml@example.com"))
        self.assertEqual(reply.status, 201, reply.body)

    def test_all_problems_are_reported_at_once(self):
        reply = self.server.post_json("/v1/forms/estimate", {"name": "", "email": "x", "message": "short"})
        self.assertEqual(reply.status, 422)
        self.assertEqual(sorted(e["field"] for e in reply.json()["errors"]), ["email", "message", "name"])

    def test_invalid_utf8_is_a_field_error_in_json_and_in_forms(self):
        raw_json = b'{"name": "Ana \xff", "email": "bad-utf8@example.com", "message": "Long enough message"}'
        reply = self.server.request("POST", "/v1/forms/estimate", raw_json, {"Content-Type": "application/json"})
        self.assertEqual(reply.status, 422, reply.body)
        self.assertEqual(reply.json()["errors"][0]["field"], "name")
        form = "name=Ana%FF&email=bad-utf8%40example.com&message=Long+enough+message"
        reply = self.server.post_form("/v1/forms/estimate", form, {"Accept": "application/json"})
        self.assertEqual(reply.status, 422)
        self.assertEqual(reply.json()["errors"][0]["code"], "invalid_encoding")

    def test_malformed_bodies_get_400(self):
        for body in ['{"name": "Ana"', "[1, 2]", '"just a string"', '{"name": "a", "name": "b"}', ""]:
            with self.subTest(body=body):
                reply = self.server.post_json("/v1/forms/estimate", body)
                self.assertEqual(reply.status, 400, reply.body)
                self.assertEqual(reply.json()["status"], 400)
        reply = self.server.post_form("/v1/forms/estimate", "name=%zz", {"Accept": "application/json"})
        self.assertEqual(reply.status, 400)

    def test_hostile_json_is_refused_cleanly(self):
        deep = '{"name": ' + "[" * 5000 + "]" * 5000 + "}"
        self.assertEqual(self.server.post_json("/v1/forms/estimate", deep).status, 400)
        fields = '{"name": "Ana", "email": "huge@example.com", "message": "A long enough one", "phone": '
        # A number, however long or large, is still a number where text belongs:
        # the field is refused, nothing is stored, the server is unharmed.
        for number in ("9" * 5000, "1e300", "1e99999", "-0.5e-400"):
            with self.subTest(number=number[:10]):
                reply = self.server.post_json("/v1/forms/estimate", fields + number + "}")
                self.assertEqual(reply.status, 422)
                self.assertEqual(reply.json()["errors"][0]["field"], "phone")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads WHERE email = 'huge@example.com'"), 0)
        nul = '{"name": "Ana\\u0000", "email": "nul@example.com", "message": "A long enough one"}'
        reply = self.server.post_json("/v1/forms/estimate", nul)
        self.assertEqual(reply.status, 422)
        self.assertEqual(reply.json()["errors"][0]["code"], "control_characters")
        raw_nul = b"name=Ana%00&email=nul%40example.com&message=A+long+enough+one"
        self.assertEqual(self.server.post_form("/v1/forms/estimate", raw_nul, {"Accept": "application/json"}).status, 422)
        self.assertEqual(self.server.get("/healthz").status, 200)

    def test_other_content_types_get_415(self):
        for content_type in ["text/plain", "multipart/form-data; boundary=x", "application/json; charset=latin1"]:
            with self.subTest(content_type=content_type):
                reply = self.server.request("POST", "/v1/forms/estimate", "name=x", {"Content-Type": content_type})
                self.assertEqual(reply.status, 415)
        self.assertEqual(self.server.request("POST", "/v1/forms/estimate", "x").status, 415)

    def test_body_over_64_kib_gets_413(self):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(message="m" * 70000))
        self.assertEqual(reply.status, 413)
        self.assertEqual(reply.json()["status"], 413)

    def test_headers_over_8_kib_are_refused(self):
        request = (b"POST /v1/forms/estimate HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 +
                   b"\r\nContent-Length: 0\r\n\r\n")
        self.assertTrue(self.server.raw(request).startswith(b"HTTP/1.1 431"))

    def test_a_transfer_coding_other_than_chunked_is_400_and_closes_the_connection(self):
        # A body framed by a coding we cannot read would run to the end of the
        # connection: a second request hidden in it must never be answered.
        smuggled = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        for coding in (b"gzip", b"gzip, chunked", b"chunked, identity", b"identity"):
            with self.subTest(coding=coding):
                request = (b"POST /v1/forms/estimate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: " + coding + b"\r\n\r\n" + smuggled)
                answer = self.server.raw(request)
                self.assertTrue(answer.startswith(b"HTTP/1.1 400"), answer[:200])
                self.assertEqual(answer.count(b"HTTP/1.1 "), 1, "one answer, then the connection closes")
        twice = (b"POST /v1/forms/estimate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        self.assertTrue(self.server.raw(twice).startswith(b"HTTP/1.1 400"))
        chunked = (b"POST /v1/forms/estimate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   b"Transfer-Encoding: Chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        self.assertTrue(self.server.raw(chunked).startswith(b"HTTP/1.1 422"), "chunked itself is read as usual")

    def test_an_http_1_1_request_without_exactly_one_host_is_400(self):
        for head in (b"GET /healthz HTTP/1.1\r\n\r\n", b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"):
            with self.subTest(head=head):
                self.assertTrue(self.server.raw(head).startswith(b"HTTP/1.1 400"))
        self.assertTrue(self.server.raw(b"GET /healthz HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.1 200"),
                        "HTTP/1.0 has no Host requirement")

    def test_unknown_paths_and_methods(self):
        self.assertEqual(self.server.get("/v1/forms/nothing").status, 404)
        reply = self.server.get("/v1/forms/estimate")
        self.assertEqual(reply.status, 405)
        self.assertEqual(reply.headers["allow"], "POST")

    def test_plain_form_errors_show_a_page_with_the_values_kept(self):
        fields = valid_lead(name="<script>alert(1)</script>", email="nope", message="Keep this message please",
                            budget="10k_25k", services=["api"])
        reply = self.server.post_form("/v1/forms/estimate", fields)
        self.assertEqual(reply.status, 422)
        self.assertTrue(reply.headers["content-type"].startswith("text/html"))
        page = reply.text
        self.assertIn("Keep this message please", page)
        self.assertIn("Must be a valid e-mail address", page)
        self.assertIn('value="nope"', page)
        self.assertIn('<option value="10k_25k" selected>', page)
        self.assertIn('value="api" checked', page)
        self.assertNotIn("<script>alert(1)</script>", page)
        self.assertIn("&lt;script&gt;", page)


class EstimateSpamTest(ServiceTest):
    def assert_stored_as_spam_without_email(self, reply, reason):
        self.assertEqual(reply.status, 201)
        lead_id = reply.json()["id"]
        self.assertEqual(self.db.query("SELECT status, spam_reason FROM leads WHERE id = %s", (lead_id,)),
                         [("spam", reason)])
        self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs WHERE lead_id = %s", (lead_id,)), 0)

    def test_filled_honeypot_looks_accepted_but_is_stored_as_spam_without_email(self):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(email="bot1@example.com", _gotcha="I am a bot"))
        self.assert_stored_as_spam_without_email(reply, "honeypot")

    def test_submission_faster_than_min_fill_seconds_is_spam(self):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(email="bot2@example.com", _ts=int(time.time())))
        self.assert_stored_as_spam_without_email(reply, "too_fast")

    def test_submission_after_min_fill_seconds_is_a_lead(self):
        reply = self.server.post_json("/v1/forms/estimate",
                                      valid_lead(email="human@example.com", _ts=int(time.time() * 1000) - 60000))
        lead_id = reply.json()["id"]
        self.assertEqual(self.db.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)), "new")

    def test_spam_answer_to_a_plain_form_is_the_normal_redirect(self):
        reply = self.server.post_form("/v1/forms/estimate", valid_lead(email="bot3@example.com", _gotcha="x"))
        self.assertEqual(reply.status, 303)


class EstimateIdempotencyTest(ServiceTest):
    # Clients told apart by X-Forwarded-For from the loopback proxy.
    server_env = {"LEADGATE_HTTP_TRUSTED_PROXIES": "127.0.0.1/32"}

    def count(self, email):
        return self.db.scalar("SELECT count(*) FROM leads WHERE email = %s", (email,))

    def test_repeat_with_the_same_key_returns_the_first_answer_and_stores_nothing_new(self):
        lead = valid_lead(email="idem1@example.com")
        first = self.server.post_json("/v1/forms/estimate", lead, {"Idempotency-Key": "key-1"})
        second = self.server.post_json("/v1/forms/estimate", lead, {"Idempotency-Key": "key-1"})
        self.assertEqual(first.status, 201)
        self.assertEqual((second.status, second.json()), (201, first.json()))
        self.assertEqual(second.headers.get("idempotent-replayed"), "true")
        self.assertEqual(self.count("idem1@example.com"), 1)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs WHERE recipient = 'idem1@example.com'"), 1)

    def test_key_reused_for_a_different_body_is_refused(self):
        self.server.post_json("/v1/forms/estimate", valid_lead(email="idem2@example.com"), {"Idempotency-Key": "key-2"})
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(email="idem3@example.com"),
                                      {"Idempotency-Key": "key-2"})
        self.assertEqual(reply.status, 422)
        self.assertEqual(self.count("idem3@example.com"), 0)

    def test_concurrent_repeats_store_one_lead(self):
        lead = valid_lead(email="idem4@example.com")
        replies = []
        threads = [threading.Thread(target=lambda: replies.append(
            self.server.post_json("/v1/forms/estimate", lead, {"Idempotency-Key": "key-4"}))) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual({reply.status for reply in replies}, {201})
        self.assertEqual(len({reply.json()["id"] for reply in replies}), 1)
        self.assertEqual(self.count("idem4@example.com"), 1)

    def test_keys_expire_after_24_hours(self):
        lead = valid_lead(email="idem5@example.com")
        first = self.server.post_json("/v1/forms/estimate", lead, {"Idempotency-Key": "key-5"})
        self.db.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'key-5'")
        second = self.server.post_json("/v1/forms/estimate", lead, {"Idempotency-Key": "key-5"})
        self.assertNotEqual(first.json()["id"], second.json()["id"])
        self.assertEqual(self.count("idem5@example.com"), 2)

    def test_a_key_is_scoped_per_client_so_another_client_neither_replays_nor_blocks_it(self):
        lead = valid_lead(email="idem6@example.com")
        first = self.server.post_json("/v1/forms/estimate", lead,
                                      {"Idempotency-Key": "key-6", "X-Forwarded-For": "203.0.113.5"})
        other = self.server.post_json("/v1/forms/estimate", lead,
                                      {"Idempotency-Key": "key-6", "X-Forwarded-For": "198.51.100.7"})
        self.assertEqual((first.status, other.status), (201, 201))
        self.assertNotEqual(first.json()["id"], other.json()["id"], "another client's post is its own lead")
        self.assertIsNone(other.headers.get("idempotent-replayed"))
        different = self.server.post_json("/v1/forms/estimate", valid_lead(email="idem7@example.com"),
                                          {"Idempotency-Key": "key-6", "X-Forwarded-For": "192.0.2.9"})
        self.assertEqual(different.status, 201, "a third client's key is not 'reused'")
        again = self.server.post_json("/v1/forms/estimate", lead,
                                      {"Idempotency-Key": "key-6", "X-Forwarded-For": "203.0.113.5"})
        self.assertEqual(again.json()["id"], first.json()["id"], "the first client's own repeat still replays")
        self.assertEqual(self.count("idem6@example.com"), 2)

    def test_malformed_key_is_refused(self):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(), {"Idempotency-Key": "x" * 300})
        self.assertEqual(reply.status, 400)


if __name__ == "__main__":
    unittest.main()
