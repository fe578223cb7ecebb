"""rspamd as a spam signal (forms.rspamd_url; docs/api-behaviour.md, "Spam
score"; issue 21), against a real rspamd on loopback: its verdict adds to
the score (GTUBE, the standard test text, is what it rejects reliably on a
machine without network), and an rspamd that is down adds nothing and
loses no lead."""

import re
import unittest
import uuid

from harness import Database, Server, require_environment
from rspamd_service import GTUBE, Rspamd, require_rspamd
from test_estimate import valid_lead


def metric(server, outcome):
    status, text = server.ops_get("/metrics")
    assert status == 200
    found = re.search(r'^leadgate_rspamd_checks_total\{outcome="' + outcome + r'"\} (\d+)$', text, re.M)
    assert found, f"no rspamd {outcome} counter in /metrics"
    return int(found.group(1))


class RspamdTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_environment(cls)
        require_rspamd(cls)
        cls.rspamd = Rspamd()
        cls.addClassCleanup(cls.rspamd.destroy)
        cls.db = Database()
        cls.addClassCleanup(cls.db.drop)
        cls.server = Server(cls.db.url, extra_env={"LEADGATE_FORMS_RSPAMD_URL": cls.rspamd.url,
                                                   "LEADGATE_FORMS_RSPAMD_TIMEOUT_MILLISECONDS": "3000"})
        cls.addClassCleanup(cls.server.stop)

    def post(self, message, email):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(email=email, message=message))
        self.assertEqual(reply.status, 201, reply.body)
        return self.db.query("SELECT status, spam_score, spam_reasons FROM leads WHERE id = %s",
                             (reply.json()["id"],))[0]

    def test_rspamds_verdict_adds_to_the_score(self):
        scored_before = metric(self.server, "scored")
        self.assertEqual(self.post(f"We need an online shop for our bakery ({uuid.uuid4()}).", "baker@example.com"),
                         ("new", 0, []), "a plain request: rspamd finds nothing")
        status, score, reasons = self.post(f"Hello {GTUBE} {uuid.uuid4()}", "gtube@example.com")
        self.assertEqual((status, reasons), ("spam", ["rspamd"]))
        self.assertEqual(score, 50, "rspamd's reject score is the default threshold")
        self.assertEqual(metric(self.server, "scored"), scored_before + 2)

    def test_an_rspamd_that_is_down_adds_nothing_and_loses_no_lead(self):
        self.rspamd.stop()
        try:
            unavailable_before = metric(self.server, "unavailable")
            self.assertEqual(self.post(f"Hello {GTUBE} {uuid.uuid4()}", "down@example.com"), ("new", 0, []))
            self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs j JOIN leads l ON l.id = j.lead_id "
                                            "WHERE l.email = 'down@example.com'"), 2, "its e-mails are queued")
            self.assertEqual(metric(self.server, "unavailable"), unavailable_before + 1)
        finally:
            self.rspamd.start()


if __name__ == "__main__":
    unittest.main()
