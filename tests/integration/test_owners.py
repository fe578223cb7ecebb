"""Owners (docs/sales-api.md; issue 22 item 2): who handles a lead, set
with PATCH, kept in the lead's history, and a filter of the list and the
export (owner=NAME, owner=none)."""

import csv
import html
import io
import re
import unittest
import urllib.parse
import uuid

from admin_api import bearer, create_token
from harness import ServiceTest
from test_admin_page import session_header
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


class OwnerPageTest(ServiceTest):
    def test_a_salesperson_takes_a_lead_and_finds_it_under_my_leads(self):
        token = create_token(self.db, "Flo (sales)", "sales")
        session = session_header(self, self.server, token)
        lead_id = self.server.post_json("/v1/forms/estimate", valid_lead(
            email="take@example.com", message=f"Please call me back {uuid.uuid4()}")).json()["id"]
        page = self.server.get(f"/admin/leads/{lead_id}", session).text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        self.assertIn('name="owner" value="Flo (sales)"', page, "Take it fills in the signed-in person")

        form = {"Content-Type": "application/x-www-form-urlencoded", **session}
        taken = self.server.request("POST", f"/admin/leads/{lead_id}/owner",
                                    urllib.parse.urlencode({"csrf": csrf, "owner": "Flo (sales)"}), form)
        self.assertEqual(taken.status, 303)
        self.assertEqual(self.db.scalar("SELECT owner FROM leads WHERE id = %s", (lead_id,)), "Flo (sales)")

        leads = self.server.get("/admin/", session).text
        my_leads = html.unescape(re.search(r'href="([^"]+)" id="my-leads"', leads).group(1))
        self.assertEqual(my_leads, "/admin/?owner=Flo%20%28sales%29")
        self.assertIn(f'data-lead="{lead_id}"', self.server.get(my_leads, session).text)
        self.assertNotIn(f'data-lead="{lead_id}"', self.server.get("/admin/?owner=none", session).text)

        cleared = self.server.request("POST", f"/admin/leads/{lead_id}/owner",
                                      urllib.parse.urlencode({"csrf": csrf, "owner": ""}), form)
        self.assertEqual(cleared.status, 303)
        self.assertIsNone(self.db.scalar("SELECT owner FROM leads WHERE id = %s", (lead_id,)))
        forged = self.server.request("POST", f"/admin/leads/{lead_id}/owner",
                                     urllib.parse.urlencode({"csrf": "forged", "owner": "Mallory"}), form)
        self.assertEqual(forged.status, 403)
        self.assertIsNone(self.db.scalar("SELECT owner FROM leads WHERE id = %s", (lead_id,)))
        history = self.db.query("SELECT old_value, new_value, actor FROM lead_events WHERE lead_id = %s "
                                "AND field = 'owner' ORDER BY id", (lead_id,))
        self.assertEqual(history, [(None, "Flo (sales)", "Flo (sales)"), ("Flo (sales)", None, "Flo (sales)")])


if __name__ == "__main__":
    unittest.main()
