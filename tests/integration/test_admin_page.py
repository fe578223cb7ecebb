"""The sales team's web page in a real headless Chromium (driven through
chromedriver): sign in with a token, filter, change a status, download the
CSV (docs/sales-api.md, "Admin page"; issue 6); read a spam lead's score and
release it with "Not spam" (issue 21)."""

import contextlib
import csv
import html
import os
import re
import shutil
import tempfile
import unittest
import uuid

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import browser
from admin_api import create_token
from harness import ServiceTest, run_leadgate, wait_until


def sign_in(server, token, headers=None):
    return server.request("POST", "/admin/session", "token=" + token,
                          {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})


def session_cookie_attributes(test, server, token):
    """Signs in with `token`; the session cookie's attributes."""
    signed_in = sign_in(server, token)
    test.assertEqual(signed_in.status, 303)
    attributes = [part.strip() for part in signed_in.headers["set-cookie"].split(";")]
    name, value = attributes[0].split("=", 1)
    test.assertEqual(name, "leadgate_session")
    test.assertRegex(value, r"^ls_[0-9a-f]{48}$", "a session id of its own, not the token")
    return set(attributes[1:])


def session_header(test, server, token):
    """{"Cookie": …} of a new admin page session signed in with `token`."""
    signed_in = sign_in(server, token)
    test.assertEqual(signed_in.status, 303, signed_in.body)
    return {"Cookie": signed_in.headers["set-cookie"].split(";", 1)[0]}


class BrowserSteps:
    """What a sales person does in the browser (self.browser, self.base)."""

    @classmethod
    def start_signed_in_browser(cls):
        """For a ServiceTest class: the class's server, a sales token for
        "Ana (sales)" (cls.token) and a Chromium that axe-core can check."""
        browser.require_chromium(cls)
        browser.require_axe(cls)
        super().setUpClass()
        cls.token = create_token(cls.db, "Ana (sales)", "sales")
        cls.browser = browser.chromium()
        cls.addClassCleanup(cls.browser.quit)
        cls.base = f"http://{cls.server.address}"

    def rows(self):
        return {row.get_attribute("data-lead"): row for row in self.browser.find_elements(By.CSS_SELECTOR, "tr[data-lead]")}

    def leave_page_by(self, act, element):
        """Submitting or clicking starts a navigation that WebDriver does not
        always wait for: wait until the element's page is gone, so that what
        the test reads next comes from the new page."""
        act()

        def gone(_):
            try:
                element.is_enabled()
                return False
            except WebDriverException:
                # Stale, or, while the old document is being torn down,
                # Chrome's "node does not belong to the document".
                return True

        WebDriverWait(self.browser, 10).until(gone)

    def assert_no_axe_violation(self):
        violations = browser.axe_violations(self.browser)
        self.assertEqual(violations, [], browser.describe_violations(violations))

    @contextlib.contextmanager
    def on_a_phone(self, page, screenshot=None):
        """The page 360 px wide (and its screenshot, when named): it must
        not scroll sideways; back to 1280 px afterwards."""
        browser.set_viewport(self.browser, 360, 780, mobile=True)
        try:
            if screenshot:
                browser.screenshot(self.browser, screenshot)
            self.assertLessEqual(self.browser.execute_script("return document.documentElement.scrollWidth"), 360,
                                 f"{page} scrolls sideways on a phone")
            yield
        finally:
            browser.set_viewport(self.browser, 1280, 900)

    def sign_in(self, token):
        self.browser.get(self.base + "/admin/")
        field = self.browser.find_element(By.NAME, "token")
        field.clear()
        field.send_keys(token)
        self.leave_page_by(field.submit, field)


class AdminPageTest(BrowserSteps, ServiceTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.token = create_token(cls.db, "Ana (sales)", "sales")
        for email, message in (("alpha@example.com", "We need a mobile app for field staff."),
                               ("beta@example.com", "Replatform our online shop, please."),
                               ("gamma@example.com", "=SUM(1) formula in my message")):
            reply = cls.server.post_json("/v1/forms/estimate", {"name": email.split("@")[0].title(), "email": email,
                                                                "message": message})
            assert reply.status == 201
        cls.downloads = tempfile.mkdtemp(prefix="leadgate-downloads-")
        cls.browser = browser.chromium(download_directory=cls.downloads)
        cls.base = f"http://{cls.server.address}"

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        shutil.rmtree(cls.downloads, ignore_errors=True)
        super().tearDownClass()

    def test_a_sales_person_signs_in_filters_changes_a_status_and_downloads_the_csv(self):
        self.sign_in("lg_" + "0" * 48)
        self.assertIn("unknown or revoked", self.browser.page_source)

        self.sign_in(self.token)
        self.assertEqual(self.browser.title, "Leads · leadgate")
        self.assertEqual(len(self.rows()), 3)
        cookie = self.browser.get_cookie("leadgate_session")
        self.assertTrue(cookie["httpOnly"])
        self.assertEqual(cookie["sameSite"], "Strict")

        search = self.browser.find_element(By.NAME, "q")
        search.send_keys("shop")
        self.leave_page_by(search.submit, search)
        rows = self.rows()
        self.assertEqual(len(rows), 1)
        lead_id, row = next(iter(rows.items()))
        self.assertIn("beta@example.com", row.text)

        Select(row.find_element(By.NAME, "status")).select_by_value("contacted")
        self.leave_page_by(row.find_element(By.CSS_SELECTOR, "button[type=submit]").click, row)
        self.assertIn("q=shop", self.browser.current_url, "the page came back to the same filter")
        self.assertEqual(self.db.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)), "contacted")
        self.assertEqual(self.db.scalar("SELECT actor FROM lead_events WHERE lead_id = %s", (lead_id,)), "Ana (sales)")

        self.browser.get(self.base + "/admin/")
        self.browser.find_element(By.ID, "csv").click()
        path = os.path.join(self.downloads, "leads.csv")
        # Chromium writes to leads.csv.crdownload and renames it when
        # complete, but may put an empty leads.csv in place first to hold
        # the name: the download is done when that is gone and this is not
        # empty.
        wait_until(lambda: os.path.exists(path) and not os.path.exists(path + ".crdownload")
                   and os.path.getsize(path) > 0, 15, "the CSV download")
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.assertEqual(sorted(row["email"] for row in rows), ["alpha@example.com", "beta@example.com",
                                                               "gamma@example.com"])
        self.assertEqual(next(r for r in rows if r["email"] == "gamma@example.com")["message"],
                         "'=SUM(1) formula in my message")

        for tab in ("Subscribers", "Bookings"):
            link = self.browser.find_element(By.LINK_TEXT, tab)
            self.leave_page_by(link.click, link)
            self.assertIn(tab, self.browser.title)
        sign_out = self.browser.find_element(By.CSS_SELECTOR, "nav.tabs button")
        self.leave_page_by(sign_out.click, sign_out)
        self.assertIn("Sign in", self.browser.title)

    def test_axe_finds_no_violation_on_the_sign_in_page_and_the_subscribers_tab(self):
        self.db.query("INSERT INTO subscribers (id, email, state, consent_version) "
                      "VALUES (gen_random_uuid(), 'axe.reader@example.com', 'confirmed', '1')")
        self.browser.delete_all_cookies()
        self.browser.get(self.base + "/admin/")
        self.assertTrue(self.browser.find_elements(By.NAME, "token"), "the sign-in page")
        self.assert_no_axe_violation()
        self.sign_in(self.token)
        self.browser.get(self.base + "/admin/subscribers")
        self.assertIn("axe.reader@example.com", self.browser.find_element(By.TAG_NAME, "main").text)
        self.assert_no_axe_violation()

    def test_a_status_change_without_the_pages_csrf_token_is_refused(self):
        lead_id = self.db.scalar("SELECT id::text FROM leads WHERE email = 'alpha@example.com'")
        reply = self.server.request("POST", f"/admin/leads/{lead_id}/status", "status=won&csrf=forged",
                                    {"Content-Type": "application/x-www-form-urlencoded",
                                     **session_header(self, self.server, self.token)})
        self.assertEqual(reply.status, 403)
        self.assertEqual(self.db.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)), "new")

    def test_the_session_cookie_is_not_marked_secure_over_plain_http(self):
        # A browser would drop a Secure cookie set over http: sign-in on a
        # development machine would silently fail.
        self.assertEqual(session_cookie_attributes(self, self.server, self.token),
                         {"Path=/admin", "HttpOnly", "SameSite=Strict", "Max-Age=28800"})

    def test_pages_forbid_framing_and_scripts(self):
        reply = self.server.get("/admin/")
        self.assertEqual(reply.status, 401)
        policy = reply.headers["content-security-policy"]
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertIn("script-src 'none'", policy)
        self.assertEqual(reply.headers["x-content-type-options"], "nosniff")


class AdminPageSpamTest(BrowserSteps, ServiceTest):
    """Spam as sales meet it on the page (issue 21): each lead's score with
    its reasons in words, and a "Not spam" button that releases a wrongly
    flagged lead into a normal one."""

    @classmethod
    def setUpClass(cls):
        cls.start_signed_in_browser()

    def jobs(self, lead_id):
        return self.db.query("SELECT template, status FROM jobs WHERE lead_id = %s ORDER BY template", (lead_id,))

    def save_status(self, lead_id, status):
        """Chooses `status` in the lead's select on the page shown and saves it."""
        row = self.rows()[lead_id]
        Select(row.find_element(By.NAME, "status")).select_by_value(status)
        self.leave_page_by(row.find_element(By.XPATH, ".//button[text()='Save']").click, row)

    def test_a_spam_lead_shows_its_reasons_and_is_released_once_with_one_click(self):
        # Two doubtful signals, each alone not spam: a throwaway address and
        # three links, in a text of its own (the same text as another
        # sender's would be a third).
        email = f"r{uuid.uuid4().hex[:8]}@mailinator.com"
        message = f"Offer {uuid.uuid4().hex[:8]}: http://one.example http://two.example http://three.example"
        reply = self.server.post_json("/v1/forms/estimate", {"name": "Rita Flagged", "email": email, "message": message})
        self.assertEqual(reply.status, 201, reply.body)
        lead_id = reply.json()["id"]
        self.assertEqual(self.db.query("SELECT status, spam_score FROM leads WHERE id = %s", (lead_id,)), [("spam", 70)])
        self.assertEqual(self.jobs(lead_id), [], "spam is sent nothing")

        self.sign_in(self.token)
        self.assertNotIn(lead_id, self.rows(), "the page lists all but spam by default")
        status = self.browser.find_element(By.CSS_SELECTOR, "form.filters select[name=status]")
        Select(status).select_by_value("spam")
        self.leave_page_by(status.submit, status)
        self.assertIn("status=spam", self.browser.current_url)
        row = self.rows()[lead_id]
        self.assertEqual(row.find_element(By.CSS_SELECTOR, "td.spam").text, "70 — many links, throwaway address")
        self.assert_no_axe_violation()

        # On a phone the header row is hidden: the cell says what it is.
        with self.on_a_phone("the spam list"):
            row = self.rows()[lead_id]
            self.assertEqual(row.find_element(By.CSS_SELECTOR, "td.spam").text,
                             "Spam score 70 — many links, throwaway address")
            self.assertTrue(row.find_element(By.XPATH, ".//button[text()='Not spam']").is_displayed())

        row = self.rows()[lead_id]
        self.leave_page_by(row.find_element(By.XPATH, ".//button[text()='Not spam']").click, row)
        row = self.rows()[lead_id]
        self.assertEqual(Select(row.find_element(By.NAME, "status")).first_selected_option.text, "new",
                         "the page shows the released lead as new")
        self.assertEqual(row.find_elements(By.XPATH, ".//button[text()='Not spam']"), [])
        self.assertEqual(self.db.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)), "new")
        self.assertEqual(self.jobs(lead_id), [("estimate_confirmation", "queued"), ("lead_notification", "queued")])

        # Spam again (the unsent confirmation is dropped) and released again
        # with the select: nothing is queued a second time.
        self.save_status(lead_id, "spam")
        self.browser.get(self.base + "/admin/?status=spam&q=" + email)
        self.save_status(lead_id, "new")
        self.assertEqual(self.db.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)), "new")
        self.assertEqual(self.jobs(lead_id), [("estimate_confirmation", "cancelled"), ("lead_notification", "queued")])


class AdminPageOverHttpTest(ServiceTest):
    """What needs no browser: cookies and pages read as HTML over HTTP."""
    server_env = {"LEADGATE_HTTP_PUBLIC_URL": "https://leads.agency.example"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.token = create_token(cls.db, "Ana (sales)", "sales")

    def test_a_session_lives_on_the_server_and_ends_at_sign_out_expiry_and_revocation(self):
        token = create_token(self.db, "Session Probe", "sales")
        session = session_header(self, self.server, token)
        self.assertNotIn(token, session["Cookie"], "the cookie is not the API token")
        stored = self.db.scalar("SELECT count(*) FROM admin_sessions WHERE id_hash = encode(sha256(%s::bytea), 'hex')",
                                (session["Cookie"].split("=", 1)[1],))
        self.assertEqual(stored, 1, "the server keeps the session, by the hash of its id")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM admin_sessions WHERE id_hash LIKE 'ls_%%'"), 0)
        self.assertEqual(self.server.get("/admin/", session).status, 200)

        # Sign-out ends it on the server: the old cookie, replayed, is worth nothing.
        page = self.server.get("/admin/", session).body.decode()
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        out = self.server.request("POST", "/admin/signout", f"csrf={csrf}",
                                  {"Content-Type": "application/x-www-form-urlencoded", **session})
        self.assertEqual(out.status, 303)
        self.assertEqual(self.server.get("/admin/", session).status, 401)

        # It expires on the server, whatever the browser keeps.
        session = session_header(self, self.server, token)
        self.db.query("UPDATE admin_sessions SET expires_at = now() - interval '1 second'")
        self.assertEqual(self.server.get("/admin/", session).status, 401)

        # Revoking the token ends its sessions at once.
        session = session_header(self, self.server, token)
        self.assertEqual(self.server.get("/admin/", session).status, 200)
        token_id = self.db.scalar("SELECT id FROM api_tokens WHERE name = 'Session Probe'")
        revoked = run_leadgate(["token", "revoke", str(token_id)], {"LEADGATE_DATABASE_URL": self.db.url})
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        self.assertEqual(self.server.get("/admin/", session).status, 401)

    def test_a_sign_in_posted_from_another_site_is_refused(self):
        sessions = self.db.scalar("SELECT count(*) FROM admin_sessions")
        for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                        {"Origin": "null"}, {"Sec-Fetch-Site": "same-site", "Origin": "https://leads.agency.example"}):
            with self.subTest(headers=headers):
                reply = sign_in(self.server, self.token, headers)
                self.assertEqual(reply.status, 403, reply.body)
                self.assertNotIn("set-cookie", reply.headers)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM admin_sessions"), sessions, "no session was started")
        for headers in ({"Origin": "https://leads.agency.example"}, {"Sec-Fetch-Site": "same-origin"},
                        {"Origin": f"http://{self.server.host}:{self.server.port}"}, {}):
            with self.subTest(headers=headers):
                self.assertEqual(sign_in(self.server, self.token, headers).status, 303)

    def test_the_session_cookie_is_secure_behind_https_and_lasts_eight_hours(self):
        self.assertEqual(session_cookie_attributes(self, self.server, self.token),
                         {"Path=/admin", "HttpOnly", "SameSite=Strict", "Max-Age=28800", "Secure"})

    def test_long_messages_are_shortened_to_140_characters_not_bytes(self):
        message = "a" * 139 + "\u00fc" * 5
        reply = self.server.post_json("/v1/forms/estimate", {"name": "Long Message", "email": "long@example.com",
                                                             "message": message})
        self.assertEqual(reply.status, 201, reply.body)
        page = self.server.get("/admin/?q=long@example.com", session_header(self, self.server, self.token))
        self.assertEqual(page.status, 200)
        shown = page.body.decode("utf-8")  # a character cut in half would not decode
        self.assertIn("a" * 139 + "\u00fc\u2026<", shown)

    def test_an_address_with_url_characters_gets_a_mailto_link_that_adds_no_header(self):
        # "?bcc=" in a local part is valid RFC 5322; unencoded in a mailto:
        # link a mail client would copy a stranger into every reply.
        reply = self.server.post_json("/v1/forms/estimate", {"name": "Odd Address", "email": "victim?bcc=spy@evil.example",
                                                             "message": "Please read my address carefully."})
        self.assertEqual(reply.status, 201, reply.body)
        page = self.server.get("/admin/?q=victim", session_header(self, self.server, self.token)).body.decode()
        self.assertIn('href="mailto:victim%3Fbcc%3Dspy@evil.example"', page)
        self.assertNotIn('href="mailto:victim?', page)

    def test_the_subscribers_tab_filters_by_state_and_pages_through_them(self):
        self.db.query("INSERT INTO subscribers (id, email, state, consent_version, created_at) "
                      "SELECT gen_random_uuid(), 'reader' || g || '@example.com', "
                      "CASE WHEN mod(g, 2) = 0 THEN 'confirmed' ELSE 'pending' END, '1', "
                      "now() - g * interval '1 minute' FROM generate_series(1, 120) g")
        session = session_header(self, self.server, self.token)

        def listed(path):
            page = self.server.get(path, session)
            self.assertEqual(page.status, 200, page.body)
            emails = re.findall(r"<td>(reader\d+@example\.com)</td>", page.text)
            following = re.search(r'<a href="([^"]+)">Older subscribers', page.text)
            return emails, following and html.unescape(following.group(1))

        seen, path = [], "/admin/subscribers?state=confirmed"
        while path:
            emails, path = listed(path)
            seen += emails
            self.assertTrue(path is None or "state=confirmed" in path, "the next page lost the filter")
        self.assertEqual(seen, [f"reader{g}@example.com" for g in range(2, 121, 2)], "confirmed ones, newest first")
        self.assertEqual(self.server.get("/admin/subscribers?state=bogus", session).status, 422)


if __name__ == "__main__":
    unittest.main()
