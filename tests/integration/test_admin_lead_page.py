"""A lead's own page on the admin page, in a real headless Chromium
(docs/sales-api.md, "Admin page"; issue 22): opened from the list, it shows
every field, attribution and consent, one timeline newest first with the
lead's e-mails and their delivery state, the same person's other lead; a
note, a status change and an owner (typed, then "Take it") made there
appear in the timeline with the token's name. axe-core finds nothing, and a phone does not scroll
sideways."""

import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import browser
from harness import ServiceTest, Worker, free_port, wait_until
from mail_services import worker_env
from smtp_server import SmtpServer
from test_admin_page import BrowserSteps, session_header

SALES_INBOX = "sales@studio.example"


class AdminLeadPageTest(BrowserSteps, ServiceTest):
    server_env = {"LEADGATE_MAIL_SALES_INBOX": SALES_INBOX, "LEADGATE_BOOKING_TIMEZONE": "Europe/Berlin"}

    @classmethod
    def setUpClass(cls):
        cls.start_signed_in_browser()

    def post_estimate(self, **fields):
        reply = self.server.post_json("/v1/forms/estimate", fields)
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()["id"]

    def timeline(self):
        return [item.text for item in self.browser.find_elements(By.CSS_SELECTOR, "ol.timeline > li")]

    def test_a_lead_is_opened_from_the_list_noted_moved_and_shows_its_emails_as_sent(self):
        earlier = self.post_estimate(name="Mia Earlier", email="mia@example.com",
                                     message="A first try at asking about a shop.")
        lead_id = self.post_estimate(
            name="Mia Lindqvist", email="Mia@Example.com", message="We need an app for field staff.\nSoon, please.",
            company="Lindqvist AB", phone="+46 8 123 45 67", budget="25k_50k", services=["web_app", "design"],
            timeline="this quarter", consent_marketing=True, consent_version="2026-01",
            page_url="https://studio.example/pricing", referrer="https://search.example/?q=apps",
            utm_source="newsletter", utm_campaign="winter")

        # No worker yet: both e-mails wait, and the page says so.
        self.sign_in(self.token)
        link = self.browser.find_element(By.LINK_TEXT, "Mia Lindqvist")
        self.leave_page_by(link.click, link)
        self.assertEqual(self.browser.current_url, f"{self.base}/admin/leads/{lead_id}")
        self.assertEqual(self.browser.title, "Mia Lindqvist · Leads · leadgate")
        page = self.browser.find_element(By.TAG_NAME, "main").text
        for shown in ("Lindqvist AB", "+46 8 123 45 67", "25k_50k", "web_app, design", "this quarter",
                      "We need an app for field staff.", "https://studio.example/pricing",
                      "https://search.example/?q=apps", "newsletter", "winter", "2026-01"):
            self.assertIn(shown, page)
        consent = self.browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=lead-consent]").text
        self.assertIn("Marketing e-mails\nyes", consent)
        timeline = self.timeline()
        self.assertEqual(len(timeline), 3, timeline)
        self.assertIn("Received from the estimate form", timeline[-1], "newest first: received is last")
        emails = [entry for entry in timeline if entry.split(" ", 2)[2].startswith("E-mail")]
        self.assertEqual(len(emails), 2, timeline)
        self.assertTrue(all("queued" in entry for entry in emails), emails)
        self.assertTrue(any(f"lead notification to {SALES_INBOX}" in entry for entry in emails), emails)

        # The same person's earlier lead, linked to its own page.
        person = self.browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=lead-person]")
        other = person.find_element(By.CSS_SELECTOR, "ul.person a")
        self.assertEqual(other.get_attribute("href"), f"{self.base}/admin/leads/{earlier}")

        self.assert_no_axe_violation()

        # A note, then a status, each saved from the page and back on it.
        note = self.browser.find_element(By.ID, "lead-note")
        note.send_keys("Called her.\nSend the proposal by Friday.")
        button = self.browser.find_element(By.XPATH, "//button[text()='Save note']")
        self.leave_page_by(button.click, button)
        self.assertEqual(self.browser.current_url, f"{self.base}/admin/leads/{lead_id}")
        status = self.browser.find_element(By.ID, "lead-status")
        Select(status).select_by_value("contacted")
        button = self.browser.find_element(By.XPATH, "//button[text()='Save status']")
        self.leave_page_by(button.click, button)
        self.assertEqual(self.browser.current_url, f"{self.base}/admin/leads/{lead_id}")
        self.assertEqual(Select(self.browser.find_element(By.ID, "lead-status")).first_selected_option.text,
                         "contacted")
        timeline = self.timeline()
        self.assertIn("Status new → contacted by Ana (sales)", timeline[0])
        self.assertIn("Note by Ana (sales)\nCalled her.\nSend the proposal by Friday.", timeline[1])

        # An owner typed in, then "Take it": the signed-in person owns it.
        owner = self.browser.find_element(By.ID, "lead-owner")
        owner.send_keys("Ben")
        button = self.browser.find_element(By.XPATH, "//button[text()='Save owner']")
        self.leave_page_by(button.click, button)
        button = self.browser.find_element(By.XPATH, "//button[text()='Take it']")
        self.leave_page_by(button.click, button)
        self.assertEqual(self.browser.find_element(By.ID, "lead-owner").get_attribute("value"), "Ana (sales)")
        timeline = self.timeline()
        self.assertIn("Owner Ben → Ana (sales) by Ana (sales)", timeline[0])
        self.assertIn("Owner nobody → Ben by Ana (sales)", timeline[1])
        self.assertEqual(self.db.query("SELECT field, actor FROM lead_events WHERE lead_id = %s ORDER BY id",
                                       (lead_id,)), [("note", "Ana (sales)"), ("status", "Ana (sales)"),
                                                     ("owner", "Ana (sales)"), ("owner", "Ana (sales)")])

        # A worker sends both e-mails: the page shows them sent.
        smtp_port = free_port()
        smtp = SmtpServer(smtp_port)
        self.addCleanup(smtp.stop)
        worker = Worker(self.db.url, extra_env=worker_env(smtp_port))
        self.addCleanup(worker.stop)
        wait_until(lambda: self.db.scalar("SELECT count(*) FROM jobs WHERE lead_id = %s AND status = 'sent'",
                                          (lead_id,)) == 2, 30, "both e-mails sent")
        self.browser.refresh()
        emails = [entry for entry in self.timeline() if entry.split(" ", 2)[2].startswith("E-mail")]
        self.assertEqual(len(emails), 2)
        for entry in emails:
            self.assertIn("sent", entry.split("\n")[0])
            self.assertRegex(entry, r"1 attempt, sent \d{4}-\d\d-\d\d \d\d:\d\d")

        self.assert_no_axe_violation()
        browser.screenshot(self.browser, "admin-lead-1280")

        # On a phone: stacked, no sideways scroll.
        with self.on_a_phone("the lead page", "admin-lead-360"):
            self.assertTrue(self.browser.find_element(By.XPATH, "//button[text()='Save note']").is_displayed())

    def test_a_note_without_the_pages_csrf_token_or_text_is_refused(self):
        lead_id = self.post_estimate(name="Noa Forged", email="noa@example.com", message="Please call me back soon.")
        session = session_header(self, self.server, self.token)
        forged = self.server.post_form(f"/admin/leads/{lead_id}/note", {"note": "forged", "csrf": "forged"}, session)
        self.assertEqual(forged.status, 403)
        page = self.server.get(f"/admin/leads/{lead_id}", session)
        self.assertEqual(page.status, 200)
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        empty = self.server.post_form(f"/admin/leads/{lead_id}/note", {"note": "  ", "csrf": csrf}, session)
        self.assertEqual(empty.status, 422)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM lead_events WHERE lead_id = %s", (lead_id,)), 0)
        saved = self.server.post_form(f"/admin/leads/{lead_id}/note", {"note": "Real note", "csrf": csrf}, session)
        self.assertEqual(saved.status, 303)
        self.assertEqual(saved.headers["location"], f"/admin/leads/{lead_id}")

    def test_an_unknown_lead_is_a_404_page_and_no_session_is_the_sign_in_page(self):
        session = session_header(self, self.server, self.token)
        self.assertEqual(self.server.get("/admin/leads/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", session).status, 404)
        self.assertEqual(self.server.get("/admin/leads/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b").status, 401)


if __name__ == "__main__":
    unittest.main()
