"""Owners (docs/sales-api.md; issue 22 item 2): who handles a lead, set
with PATCH, kept in the lead's history, and a filter of the list and the
export (owner=NAME, owner=none)."""

import csv
import io
import unittest
import uuid

from admin_api import bearer, create_token
from harness import ServiceTest
from test_estimate import valid_lead


class OwnerTest(ServiceTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.token = create_token(cls.db, "Ana (sales)", "sales")

    def lead(self):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(
            email=f"owner-{uuid.uuid4().hex[:8]}@example.com", message=f"A request of its own {uuid.uuid4()}"))
        self.assertEqual(reply.status, 201)
        return reply.json()["id"]

    def patch(self, lead_id, body):
        return self.server.request("PATCH", f"/v1/admin/leads/{lead_id}", body,
                                   {"Content-Type": "application/json", **bearer(self.token)})

    def listed(self, query):
        reply = self.server.get("/v1/admin/leads?" + query, bearer(self.token))
        self.assertEqual(reply.status, 200, reply.body)
        return {item["id"] for item in reply.json()["items"]}

    def test_an_owner_is_set_changed_and_cleared_with_its_history(self):
        lead_id = self.lead()
        detail = self.patch(lead_id, '{"owner": "Bo Berg"}').json()
        self.assertEqual(detail["lead"]["owner"], "Bo Berg")
        self.assertEqual(self.patch(lead_id, '{"owner": "Cy"}').json()["lead"]["owner"], "Cy")
        detail = self.patch(lead_id, '{"owner": null}').json()
        self.assertIsNone(detail["lead"]["owner"])
        history = [(entry["old"], entry["new"], entry["actor"]) for entry in detail["history"] if entry["field"] == "owner"]
        self.assertEqual(history, [(None, "Bo Berg", "Ana (sales)"), ("Bo Berg", "Cy", "Ana (sales)"),
                                   ("Cy", None, "Ana (sales)")])

    def test_a_bad_owner_is_refused_and_changes_nothing(self):
        lead_id = self.lead()
        for body in ('{"owner": "' + "x" * 101 + '"}', '{"owner": "two\\nlines"}', '{"owner": "Bo", "colour": "red"}'):
            reply = self.patch(lead_id, body)
            self.assertEqual(reply.status, 422, body)
        self.assertIsNone(self.db.scalar("SELECT owner FROM leads WHERE id = %s", (lead_id,)))

    def test_the_list_and_the_export_filter_by_owner(self):
        owned, other, nobodys = self.lead(), self.lead(), self.lead()
        self.assertEqual(self.patch(owned, '{"owner": "Dee"}').status, 200)
        self.assertEqual(self.patch(other, '{"owner": "Eve"}').status, 200)
        self.assertEqual(self.listed("owner=Dee"), {owned})
        unowned = self.listed("owner=none&limit=200")
        self.assertIn(nobodys, unowned)
        self.assertFalse({owned, other} & unowned)
        export = self.server.get("/v1/admin/leads/export.csv?owner=Dee", bearer(self.token))
        rows = list(csv.DictReader(io.StringIO(export.text)))
        self.assertEqual([(row["id"], row["owner"]) for row in rows], [(owned, "Dee")])


if __name__ == "__main__":
    unittest.main()
