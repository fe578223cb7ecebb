"""Lead quality (docs/api-behaviour.md, "Spam score"; issue 21): every
submission carries a spam score with its reasons; at or above
forms.spam_threshold it is spam (same answer, stored flagged, nothing sent);
sales release a wrongly flagged lead (its e-mails go out once, however often
it is released) and marking a lead spam drops its unsent visitor e-mails.
rspamd's part is in test_rspamd.py."""

import unittest
import uuid

from admin_api import bearer, create_token
from harness import ServiceTest
from mail_services import MailServiceTest
from test_estimate import valid_lead

def link_text():
    """Three links (forms.max_links is 2), in a text of its own."""
    return f"Great offer {uuid.uuid4()}, see http://one.example http://two.example and http://three.example today."


class SpamScoreTest(ServiceTest):
    def post(self, **fields):
        # A text of its own: the same text from two addresses is a signal.
        fields.setdefault("message", f"We need a booking app for our clinics ({uuid.uuid4()}).")
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(**fields))
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()["id"]

    def lead(self, lead_id):
        row = self.db.query("SELECT status, spam_score, spam_reasons, spam_reason FROM leads WHERE id = %s",
                            (lead_id,))[0]
        jobs = self.db.scalar("SELECT count(*) FROM jobs WHERE lead_id = %s", (lead_id,))
        return {"status": row[0], "score": row[1], "reasons": row[2], "reason": row[3], "jobs": jobs}

    def test_a_clean_lead_scores_zero(self):
        lead = self.lead(self.post(email="clean@example.com"))
        self.assertEqual(lead, {"status": "new", "score": 0, "reasons": [], "reason": None, "jobs": 2})

    def test_each_doubtful_signal_alone_is_not_spam(self):
        links = self.lead(self.post(email="links@example.com", message=link_text()))
        self.assertEqual((links["status"], links["score"], links["reasons"], links["jobs"]), ("new", 30, ["links"], 2))
        two_links = self.lead(self.post(email="two@example.com", message="See http://one.example and www.two.example"))
        self.assertEqual(two_links["reasons"], [], "forms.max_links (2) links are fine")
        throwaway = self.lead(self.post(email="someone@mailinator.com"))
        self.assertEqual((throwaway["status"], throwaway["score"], throwaway["reasons"]),
                         ("new", 40, ["disposable_domain"]))
        for provider in ("gmail.com", "outlook.com", "gmx.de"):
            self.assertEqual(self.lead(self.post(email="person@" + provider))["reasons"], [], provider)

    def test_two_doubtful_signals_are_spam_and_send_nothing(self):
        lead = self.lead(self.post(email="bot@Mailinator.com", message=link_text()))
        self.assertEqual(lead, {"status": "spam", "score": 70, "reasons": ["links", "disposable_domain"],
                                "reason": "links", "jobs": 0})

    def test_certain_signals_are_spam_on_their_own_and_add_up(self):
        lead = self.lead(self.post(email="trap@example.com", _gotcha="x", _ts="9999999999999"))
        self.assertEqual((lead["status"], lead["reasons"], lead["jobs"]), ("spam", ["honeypot"], 0))
        both = self.lead(self.post(email="both@example.com", _gotcha="x", message=link_text()))
        self.assertEqual((both["score"], both["reasons"]), (100, ["honeypot", "links"]))

    def test_the_same_text_from_another_address_is_a_duplicate(self):
        text = f"Hello, we are a trusted partner for SEO {uuid.uuid4()} growth."
        first = self.lead(self.post(email="first@example.com", message=text))
        again = self.lead(self.post(email="first@example.com", message=text))
        other = self.lead(self.post(email="other@example.com", message="  " + text.upper() + "\n"))
        self.assertEqual(first["reasons"], [])
        self.assertEqual(again["reasons"], [], "the same person writing twice is no spam signal")
        self.assertEqual((other["status"], other["score"], other["reasons"]), ("new", 40, ["duplicate"]))
        spam = self.lead(self.post(email="third@example.com", message=text + " " + link_text()))
        self.assertEqual(spam["reasons"], ["links"], "a different text is no duplicate")
        also = self.lead(self.post(email="third@example.com", message=text))
        self.assertEqual(also["reasons"], ["duplicate"])

    def test_scores_are_shown_to_sales(self):
        token = create_token(self.db, "Sales", "sales")
        lead_id = self.post(email="shown@mailinator.com")
        detail = self.server.get(f"/v1/admin/leads/{lead_id}", bearer(token)).json()["lead"]
        self.assertEqual((detail["spam_score"], detail["spam_reasons"]), (40, ["disposable_domain"]))
        listed = self.server.get("/v1/admin/leads?q=shown%40mailinator.com", bearer(token)).json()["items"]
        self.assertEqual([(item["id"], item["spam_score"]) for item in listed], [(lead_id, 40)])

    def test_a_newsletter_signup_is_scored_too(self):
        self.assertEqual(self.server.post_json("/v1/forms/newsletter", {"email": "news@mailinator.com"}).status, 202)
        self.assertEqual(self.db.query("SELECT spam_score, spam_reasons FROM subscribers WHERE email = %s",
                                       ("news@mailinator.com",)), [(40, ["disposable_domain"])])
        self.assertEqual(self.server.post_json("/v1/forms/newsletter",
                                               {"email": "newsbot@example.com", "_gotcha": "x"}).status, 202)
        self.assertEqual(self.db.query("SELECT spam_score, spam_reasons FROM newsletter_spam WHERE email = %s",
                                       ("newsbot@example.com",)), [(100, ["honeypot"])])


class ThresholdTest(ServiceTest):
    server_env = {"LEADGATE_FORMS_SPAM_THRESHOLD": "30", "LEADGATE_FORMS_MAX_LINKS": "0"}

    def test_the_threshold_and_the_link_limit_are_the_operators(self):
        reply = self.server.post_json("/v1/forms/estimate",
                                      valid_lead(email="one-link@example.com", message="See http://one.example please."))
        self.assertEqual(reply.status, 201)
        self.assertEqual(self.db.query("SELECT status, spam_score FROM leads WHERE id = %s", (reply.json()["id"],)),
                         [("spam", 30)])


class ReleaseTest(MailServiceTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.token = create_token(cls.db, "Ana (sales)", "sales")

    def flagged_lead(self, email):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(email=email, _gotcha="x"))
        self.assertEqual(reply.status, 201)
        lead_id = reply.json()["id"]
        self.assertEqual(self.db.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)), "spam")
        return lead_id

    def set_status(self, lead_id, status):
        reply = self.server.request("PATCH", f"/v1/admin/leads/{lead_id}", f'{{"status": "{status}"}}',
                                    {"Content-Type": "application/json", **bearer(self.token)})
        self.assertEqual(reply.status, 200, reply.body)
        return reply.json()

    def test_a_released_lead_gets_its_emails_once_however_often_it_is_released(self):
        lead_id = self.flagged_lead("released@example.com")
        detail = self.set_status(lead_id, "new")
        self.assertEqual(detail["lead"]["status"], "new")
        self.assertEqual([entry["new"] for entry in detail["history"] if entry["field"] == "notices"],
                         ["queued estimate_confirmation, lead_notification"])
        self.set_status(lead_id, "spam")
        self.set_status(lead_id, "contacted")
        self.set_status(lead_id, "spam")
        self.set_status(lead_id, "new")
        self.smtp.wait_for(1, "released@example.com")
        notification = self.smtp.wait_for(1, "sales@studio.example")
        self.assertIn("released@example.com", notification[-1].message.as_string())
        self.worker.wait_until(lambda: self.db.scalar(
            "SELECT count(*) FROM jobs WHERE lead_id = %s AND status = 'queued'", (lead_id,)) == 0, "the jobs are done")
        templates = self.db.query("SELECT template FROM jobs WHERE lead_id = %s ORDER BY template", (lead_id,))
        self.assertEqual(templates, [("estimate_confirmation",), ("lead_notification",)])
        self.assertEqual(len(self.smtp.received("released@example.com")), 1)


class ReturningVisitorTest(MailServiceTest):
    def test_a_returning_visitor_is_recognised(self):
        token = create_token(self.db, "Ana (sales)", "sales")
        first = self.server.post_json("/v1/forms/estimate", valid_lead(
            email="returning@example.com", message=f"A first request {uuid.uuid4()}")).json()["id"]
        self.smtp.wait_for(1, "sales@studio.example")
        self.assertEqual(self.server.post_json("/v1/forms/newsletter", {"email": "returning@example.com"}).status, 202)
        # The same person by the address key: case, a +tag and dots do not matter.
        second = self.server.post_json("/v1/forms/estimate", valid_lead(
            email="Re.turning+shop@Example.com", message=f"A second request {uuid.uuid4()}")).json()["id"]
        notifications = self.smtp.wait_for(2, "sales@studio.example")
        first_text = notifications[0].message.get_body(("plain",)).get_content()
        second_text = notifications[1].message.get_body(("plain",)).get_content()
        self.assertNotIn("has written before", first_text)
        today = self.db.scalar("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')")
        self.assertIn(f"has written before (1 times, last on {today})", second_text)

        person = self.server.get(f"/v1/admin/leads/{second}", bearer(token)).json()["person"]
        self.assertEqual([lead["id"] for lead in person["leads"]], [first])
        self.assertEqual(person["subscription"]["state"], "pending")
        self.assertEqual(person["bookings"], [])
        stranger = self.server.post_json("/v1/forms/estimate", valid_lead(
            email="stranger@example.com", message=f"Someone else {uuid.uuid4()}")).json()["id"]
        person = self.server.get(f"/v1/admin/leads/{stranger}", bearer(token)).json()["person"]
        self.assertEqual((person["leads"], person["subscription"]), ([], None))


class MarkSpamTest(ServiceTest):
    """No worker runs here: every e-mail stays unsent."""

    def test_a_lead_marked_spam_loses_its_unsent_visitor_emails(self):
        token = create_token(self.db, "Ana (sales)", "sales")
        lead_id = self.server.post_json("/v1/forms/estimate", valid_lead(email="marked@example.com")).json()["id"]
        reply = self.server.request("PATCH", f"/v1/admin/leads/{lead_id}", '{"status": "spam"}',
                                    {"Content-Type": "application/json", **bearer(token)})
        self.assertEqual(reply.status, 200, reply.body)
        self.assertIn("dropped 1 unsent e-mail(s) to the visitor",
                      [entry["new"] for entry in reply.json()["history"] if entry["field"] == "notices"])
        self.assertEqual(self.db.query("SELECT template, status FROM jobs WHERE lead_id = %s ORDER BY template",
                                       (lead_id,)),
                         [("estimate_confirmation", "cancelled"), ("lead_notification", "queued")])
        # Released: it had its notices when it came in, nothing is added.
        reply = self.server.request("PATCH", f"/v1/admin/leads/{lead_id}", '{"status": "new"}',
                                    {"Content-Type": "application/json", **bearer(token)})
        self.assertEqual(reply.status, 200)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs WHERE lead_id = %s", (lead_id,)), 2)


if __name__ == "__main__":
    unittest.main()
