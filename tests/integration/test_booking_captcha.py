"""The booking page with forms.captcha on (docs/api-behaviour.md, "Captcha"):
its details step shows the provider's widget, under a policy that admits
the provider's origin there and nowhere else, and a visitor in Chromium
books through it. The provider is a stand-in on loopback: its widget script
adds a token to the form as Turnstile's does, and its siteverify passes the
tokens its script handed out."""

import re
import unittest
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import browser
import stand_in
from test_booking import BOOKING_ENV, BookingServices
from test_booking_page import hidden_inputs, listed_slots

SITE_KEY = "test-site-key"
WAIT = 15  # seconds for anything the page does on its own

# What Turnstile's api.js does, as far as the form sees it: each
# .cf-turnstile element gets a hidden cf-turnstile-response input holding a
# token for its site key.
WIDGET_SCRIPT = b"""
document.querySelectorAll(".cf-turnstile[data-sitekey]").forEach((element, n) => {
  const token = document.createElement("input");
  token.type = "hidden";
  token.name = "cf-turnstile-response";
  token.value = "issued-" + element.dataset.sitekey + "-" + Date.now() + "-" + n;
  element.appendChild(token);
  element.dataset.rendered = "yes";
});
"""


class StandInProvider:
    """GET /api.js: the widget script; POST /siteverify: passes the tokens
    the script issued for SITE_KEY, each once, and records what it saw."""

    def __init__(self):
        self.verified = []
        provider = self

        class Handler(stand_in.Handler):
            def do_GET(self):
                if self.path != "/api.js":
                    self.send_error(404)
                    return
                self.answer(WIDGET_SCRIPT, "text/javascript")

            def do_POST(self):
                token = self.posted_form().get("response", [""])[0]
                passed = token.startswith(f"issued-{SITE_KEY}-") and token not in provider.verified
                provider.verified.append(token)
                self.answer(b'{"success": true}' if passed else b'{"success": false}')

        self.server = stand_in.serve(Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"


PROVIDER = StandInProvider()


class BookingCaptchaTest(BookingServices):
    environment = {**BOOKING_ENV, "LEADGATE_FORMS_CAPTCHA": "turnstile",
                   "LEADGATE_FORMS_CAPTCHA_SECRET": "test-secret", "LEADGATE_FORMS_CAPTCHA_SITE_KEY": SITE_KEY,
                   "LEADGATE_FORMS_CAPTCHA_SCRIPT_URL": f"{PROVIDER.origin}/api.js",
                   "LEADGATE_FORMS_CAPTCHA_VERIFY_URL": f"{PROVIDER.origin}/siteverify",
                   "LEADGATE_FORMS_MIN_FILL_SECONDS": "0"}

    def details_page(self, email):
        """The details step for the first free time, over plain HTTP."""
        times = self.server.get("/book")
        slot = listed_slots(times.text)[0]
        details = self.server.post_form("/book", {**hidden_inputs(times.text, "slot-form"), "slot_start": slot,
                                                  "name": "Cleo Check", "email": email})
        self.assertEqual(details.status, 200, details.text)
        return times, details

    def test_the_details_step_shows_the_widget_and_admits_the_provider_there_only(self):
        times, details = self.details_page("widget@example.com")
        self.assertIn(f'<div class="cf-turnstile" data-sitekey="{SITE_KEY}"></div>', details.text)
        self.assertIn(f'<script src="{PROVIDER.origin}/api.js" async defer></script>', details.text)
        policy = details.headers["content-security-policy"]
        for directive in ("script-src", "frame-src", "style-src", "connect-src"):
            self.assertRegex(policy, rf"{directive} [^;]*{re.escape(PROVIDER.origin)}", directive)
        self.assertIn("frame-ancestors 'none'", policy)
        # The times step posts no booking: it neither shows the widget nor
        # admits the provider.
        self.assertNotIn("cf-turnstile", times.text)
        self.assertNotIn(PROVIDER.origin, times.headers["content-security-policy"])

    def test_a_booking_without_the_widgets_token_is_asked_for_it_and_stores_nothing(self):
        _, details = self.details_page("no-token@example.com")
        refused = self.server.post_form("/book", {**hidden_inputs(details.text, "details-form"),
                                                  "name": "Cleo Check", "email": "no-token@example.com"})
        self.assertEqual(refused.status, 422)
        self.assertIn("Please complete the check that you are not a robot.", refused.text)
        self.assertIn('class="cf-turnstile"', refused.text, "the widget again, to complete")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads WHERE email = 'no-token@example.com'"), 0)

    def test_a_visitor_books_through_the_widget_in_chromium(self):
        browser.require_chromium(self)
        browser.require_axe(self)
        driver = browser.chromium(timezone="Europe/Berlin")
        self.addCleanup(driver.quit)
        wait = WebDriverWait(driver, WAIT)
        driver.get(self.service_env["LEADGATE_HTTP_PUBLIC_URL"] + "/book")
        # embed.js lists the times in the browser's zone first.
        wait.until(lambda _: driver.execute_script(
            "const zone = document.querySelector('[data-leadgate-zone-name]');"
            "return zone && zone.textContent.trim() === 'Europe/Berlin'"))
        slot = driver.find_element(By.CSS_SELECTOR, "#slot-form input[type=radio][name=slot_start]")
        start = slot.get_attribute("value")
        slot.click()
        driver.find_element(By.CSS_SELECTOR, "#slot-form button[type=submit]").click()
        wait.until(lambda _: driver.find_elements(By.ID, "details-form"))

        details = driver.find_element(By.ID, "details-form")
        details.find_element(By.NAME, "name").send_keys("Cleo Check")
        details.find_element(By.NAME, "email").send_keys("cleo@example.com")
        # The provider's script ran under the page's policy and left its token.
        wait.until(lambda _: driver.find_elements(By.CSS_SELECTOR, ".cf-turnstile[data-rendered=yes]"))
        violations = browser.axe_violations(driver)
        self.assertEqual(violations, [], browser.describe_violations(violations))
        details.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

        wait.until(lambda _: urllib.parse.urlsplit(driver.current_url).path == "/book/confirmed")
        self.assertEqual(driver.find_element(By.CSS_SELECTOR, "#when-visitor time").get_attribute("datetime"), start)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM bookings b JOIN leads l ON l.id = b.lead_id "
                                        "WHERE l.email = 'cleo@example.com' AND l.status = 'new'"), 1)
        self.assertTrue(any(token.startswith(f"issued-{SITE_KEY}-") for token in PROVIDER.verified),
                        "the widget's token was checked with the provider")


if __name__ == "__main__":
    unittest.main()
