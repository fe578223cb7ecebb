"""The API description (docs/openapi.yaml): the server serves the document it
was built from, every operation the document lists is one the server routes,
and the checker that holds every other test's responses to the document
does catch what it exists to catch."""

import json
import os
import unittest
import uuid

import yaml

import api_contract
from harness import ROOT, ServiceTest

DOCUMENT = os.path.join(ROOT, "docs", "openapi.yaml")
ROUTER_NOT_FOUND = "There is nothing at this address."


def load_document():
    with open(DOCUMENT, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class ServedDocumentTest(ServiceTest):
    def test_the_served_json_is_the_repository_document(self):
        reply = self.server.get("/v1/openapi.json")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.headers["content-type"], "application/json")
        self.assertEqual(reply.json(), load_document())

    def test_every_documented_operation_is_routed(self):
        """A path or method in the document that the server does not have
        would answer the router's own 404 or 405."""
        document = load_document()
        checked = 0
        for template, item in document["paths"].items():
            path = template.replace("{id}", str(uuid.uuid4()) if "/jobs/" not in template else "1")
            for method in ("get", "head", "post", "patch", "delete", "options"):
                if method not in item:
                    continue
                reply = self.server.request(method.upper(), path, b"" if method in ("post", "patch") else None,
                                            {"Accept": "application/json"})
                unrouted = reply.status == 405 or (
                    reply.status == 404 and reply.headers.get("content-type") == "application/problem+json"
                    and reply.json()["detail"] == ROUTER_NOT_FOUND)
                self.assertFalse(unrouted, f"{method.upper()} {template} is documented but not routed")
                checked += 1
        self.assertGreater(checked, 40, "the document lists the API's operations")


def response(status, headers=None, body=b""):
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    return status, {name.lower(): value for name, value in (headers or {}).items()}, body


JSON = {"Content-Type": "application/json"}
RECEIVED = {"id": "0193a9e2-7c1e-7d6f-8a11-3c4b5d6e7f80", "status": "received"}


class ContractCheckerTest(unittest.TestCase):
    """The checker in api_contract.py, on responses made up here: each case
    is one the integration tests rely on it to refuse (or to let pass)."""

    @classmethod
    def setUpClass(cls):
        cls.contract = api_contract.ApiContract(DOCUMENT)

    def problems(self, method, path, reply):
        status, headers, body = reply
        return self.contract.problems(method, path, status, headers, body)

    def test_a_documented_response_passes(self):
        self.assertEqual(self.problems("POST", "/v1/forms/estimate", response(201, JSON, RECEIVED)), [])

    def test_an_undocumented_status_fails(self):
        problems = self.problems("POST", "/v1/forms/estimate", response(418, JSON, RECEIVED))
        self.assertIn("status 418 is not documented", problems[0])

    def test_an_undocumented_field_fails(self):
        problems = self.problems("POST", "/v1/forms/estimate", response(201, JSON, {**RECEIVED, "score": 3}))
        self.assertTrue(any("'score' was unexpected" in problem for problem in problems), problems)

    def test_a_missing_or_mistyped_field_fails(self):
        self.assertTrue(self.problems("POST", "/v1/forms/estimate", response(201, JSON, {"id": RECEIVED["id"]})))
        self.assertTrue(self.problems("POST", "/v1/forms/estimate",
                                      response(201, JSON, {**RECEIVED, "status": "stored"})))

    def test_an_undocumented_header_fails(self):
        problems = self.problems("GET", "/healthz", response(200, {**JSON, "Location": "/x"}, {"status": "ok"}))
        self.assertIn("header location is not documented", problems[0])

    def test_a_missing_required_header_fails(self):
        problems = self.problems("POST", "/v1/forms/estimate",
                                 response(429, {"Content-Type": "application/problem+json"},
                                          {"type": "about:blank", "title": "Too Many Requests", "status": 429,
                                           "detail": "Wait."}))
        self.assertIn("required header retry-after is missing", problems[0])

    def test_a_header_value_outside_its_schema_fails(self):
        problems = self.problems("POST", "/v1/forms/estimate",
                                 response(201, {**JSON, "Idempotent-Replayed": "yes"}, RECEIVED))
        self.assertTrue(any("idempotent-replayed" in problem for problem in problems), problems)

    def test_an_undocumented_media_type_fails(self):
        problems = self.problems("POST", "/v1/forms/estimate",
                                 response(201, {"Content-Type": "text/plain"}, b"received"))
        self.assertIn("media type 'text/plain' is not documented", problems[0])

    def test_a_path_outside_the_document_may_only_be_a_404(self):
        self.assertEqual(self.problems("GET", "/nowhere",
                                       response(404, {"Content-Type": "text/html"}, b"<p>Not here</p>")), [])
        self.assertIn("not in docs/openapi.yaml", self.problems("GET", "/nowhere", response(200))[0])

    def test_a_method_a_path_does_not_take_may_only_be_a_405_with_allow(self):
        problem = {"type": "about:blank", "title": "Method Not Allowed", "status": 405, "detail": "No."}
        headers = {"Content-Type": "application/problem+json", "Allow": "GET, HEAD"}
        self.assertEqual(self.problems("PUT", "/healthz", response(405, headers, problem)), [])
        self.assertTrue(self.problems("PUT", "/healthz", response(405, {"Content-Type": "application/problem+json"},
                                                                  problem)))

    def test_a_literal_path_wins_over_a_template(self):
        csv = {"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="leads.csv"',
               "Cache-Control": "no-store"}
        self.assertEqual(self.problems("GET", "/v1/admin/leads/export.csv", response(200, csv, b"id,form\n")), [])


if __name__ == "__main__":
    unittest.main()
