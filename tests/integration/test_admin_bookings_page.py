"""The admin page's bookings tab in a real headless Chromium
(docs/sales-api.md, "Admin page"; issue 22): meetings shown in
booking.timezone (Europe/Berlin here) or, at a click, in UTC, each linked to
its lead's page; the Move form read in the zone the tab shows, across
clock changes; Cancel and Move come back to the same view; past meetings
under "Past". axe-core finds nothing, and a phone does not scroll
sideways."""

import datetime
import unittest
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import browser
from admin_api import bearer
from test_admin_page import BrowserSteps, session_header
from test_booking import BookingServices, day

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def minute_in(text, zone):
    """`text` (RFC 3339) to the minute on the wall clock of `zone`, as the tab
    shows it."""
    return instant(text).astimezone(zone).strftime("%Y-%m-%d %H:%M")


class AdminBookingsPageTest(BrowserSteps, BookingServices):
    @classmethod
    def setUpClass(cls):
        cls.start_signed_in_browser()

    def setUp(self):
        # One browser for the class: signed in by the first test to run.
        if self.browser.get_cookie("leadgate_session") is None:
            self.sign_in(self.token)

    def booked(self, start, name, email):
        reply = self.book(start, email, name=name)
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()["id"]

    def booking_from_the_api(self, booking_id, when="upcoming"):
        """The booking as the sales API lists it."""
        reply = self.server.get(f"/v1/admin/bookings?when={when}&limit=500", bearer(self.token))
        self.assertEqual(reply.status, 200, reply.body)
        found = [item for item in reply.json()["items"] if item["id"] == booking_id]
        self.assertEqual(len(found), 1, f"booking {booking_id} is not listed")
        return found[0]

    def row(self, booking_id):
        return self.browser.find_element(By.CSS_SELECTOR, f"tr[data-booking='{booking_id}']")

    def shown_time(self, booking_id):
        return self.row(booking_id).find_element(By.CSS_SELECTOR, ".when").text

    def header(self):
        return self.browser.find_element(By.CSS_SELECTOR, "table.bookings thead th").text

    def follow(self, link_text):
        link = self.browser.find_element(By.LINK_TEXT, link_text)
        self.leave_page_by(link.click, link)

    def type_wall_clock_time(self, field, moment):
        """Types `moment`'s wall clock into a datetime-local field as a
        person does, segment by segment in Chromium's en-US order (month,
        day, year, then hour, minute, AM/PM); what the field then holds is
        checked, so that a browser reading the keys otherwise fails here."""
        field.send_keys(moment.strftime("%m%d%Y"), Keys.TAB, moment.strftime("%I%M%p"))
        self.assertEqual(field.get_attribute("value"), moment.strftime("%Y-%m-%dT%H:%M"))

    def click_and_leave(self, element):
        self.leave_page_by(element.click, element)

    def test_times_show_in_berlin_or_utc_and_a_meeting_moved_in_berlin_time_lands_on_that_instant(self):
        slots = [slot["start"] for slot in self.slots(day(3))]
        start, target = slots[20], slots[30]
        booking_id = self.booked(start, "Lena Brandt", "lena@example.com")
        lead_id = self.booking_from_the_api(booking_id)["lead_id"]

        # In the business's zone by default, the zone named in the header.
        self.browser.get(self.base + "/admin/bookings")
        self.assertEqual(self.browser.title, "Bookings · leadgate")
        self.assertEqual(self.header(), "When (Europe/Berlin)")
        self.assertEqual(self.shown_time(booking_id), minute_in(start, BERLIN))

        # In UTC at a click, and back.
        self.follow("Show in UTC")
        self.assertTrue(self.browser.current_url.endswith("/admin/bookings?tz=UTC"), self.browser.current_url)
        self.assertEqual(self.header(), "When (UTC)")
        self.assertEqual(self.shown_time(booking_id), minute_in(start, datetime.timezone.utc))
        self.follow("Show in Europe/Berlin")
        self.assertEqual(self.shown_time(booking_id), minute_in(start, BERLIN))

        self.assert_no_axe_violation()
        browser.screenshot(self.browser, "admin-bookings-1280")

        # On a phone: stacked, no sideways scroll, the Move form in reach.
        with self.on_a_phone("the bookings tab", "admin-bookings-360"):
            self.assertTrue(self.browser.find_element(By.ID, f"move-{booking_id}").is_displayed())

        # The lead's name leads to the lead's page.
        self.follow("Lena Brandt")
        self.assertEqual(self.browser.current_url, f"{self.base}/admin/leads/{lead_id}")
        self.assertEqual(self.browser.title, "Lena Brandt · Leads · leadgate")

        # Moved by typing the target's Berlin wall-clock time.
        self.browser.get(self.base + "/admin/bookings")
        field = self.browser.find_element(By.ID, f"move-{booking_id}")
        self.assertEqual(self.browser.find_element(By.CSS_SELECTOR, f"label[for=move-{booking_id}]").text,
                         "New time (Europe/Berlin)")
        self.type_wall_clock_time(field, instant(target).astimezone(BERLIN))
        self.click_and_leave(self.row(booking_id).find_element(By.XPATH, ".//button[text()='Move']"))
        self.assertEqual(self.browser.current_url, f"{self.base}/admin/bookings")
        self.assertEqual(instant(self.booking_from_the_api(booking_id)["starts_at"]), instant(target))
        self.assertEqual(self.shown_time(booking_id), minute_in(target, BERLIN))

        # Cancelled from the UTC view, and back in it.
        self.follow("Show in UTC")
        self.click_and_leave(self.row(booking_id).find_element(By.XPATH, ".//button[text()='Cancel']"))
        self.assertTrue(self.browser.current_url.endswith("/admin/bookings?tz=UTC"), self.browser.current_url)
        self.assertEqual(self.booking_from_the_api(booking_id)["status"], "cancelled")
        self.assertEqual(self.row(booking_id).find_elements(By.TAG_NAME, "form"), [], "nothing left to change")

    def test_a_move_in_the_utc_view_is_read_as_utc(self):
        slots = [slot["start"] for slot in self.slots(day(4))]
        start, target = slots[10], slots[16]
        booking_id = self.booked(start, "Uma Coordinated", "uma@example.com")
        self.browser.get(self.base + "/admin/bookings?tz=UTC")
        self.assertEqual(self.browser.find_element(By.CSS_SELECTOR, f"label[for=move-{booking_id}]").text,
                         "New time (UTC)")
        self.type_wall_clock_time(self.browser.find_element(By.ID, f"move-{booking_id}"),
                                  instant(target).astimezone(datetime.timezone.utc))
        self.click_and_leave(self.row(booking_id).find_element(By.XPATH, ".//button[text()='Move']"))
        self.assertTrue(self.browser.current_url.endswith("/admin/bookings?tz=UTC"), self.browser.current_url)
        self.assertEqual(instant(self.booking_from_the_api(booking_id)["starts_at"]), instant(target))

    def test_past_meetings_are_listed_under_past_without_buttons(self):
        start = self.slots(day(5))[12]["start"]
        booking_id = self.booked(start, "Pia Earlier", "pia@example.com")
        self.db.query("UPDATE bookings SET starts_at = now() - interval '3 days', ends_at = now() - interval '3 days' "
                      "+ interval '30 minutes', blocked = tstzrange(now() - interval '3 days', now() - interval '71 hours') "
                      "WHERE id = %s", (booking_id,))
        past_start = self.booking_from_the_api(booking_id, "past")["starts_at"]
        self.browser.get(self.base + "/admin/bookings")
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, f"tr[data-booking='{booking_id}']"), [])
        self.follow("Past")
        self.assertEqual(self.browser.find_element(By.TAG_NAME, "h1").text, "Past consultations")
        self.assertEqual(self.shown_time(booking_id), minute_in(past_start, BERLIN))
        self.assertEqual(self.row(booking_id).find_elements(By.TAG_NAME, "form"), [], "a past meeting cannot move")
        self.follow("Show in UTC")
        self.assertIn("when=past", self.browser.current_url, "the other zone keeps the view")
        self.assertEqual(self.shown_time(booking_id), minute_in(past_start, datetime.timezone.utc))
        self.assert_no_axe_violation()

    def test_a_time_a_clock_change_skips_or_repeats_or_an_unknown_zone_is_a_422(self):
        start = self.slots(day(6))[14]["start"]
        booking_id = self.booked(start, "Ida Ambiguous", "ida@example.com")
        session = session_header(self, self.server, self.token)
        page = self.server.get("/admin/bookings", session)
        self.assertEqual(page.status, 200)
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        # Berlin's clock changes of 2027 (ahead of any test run: a past date
        # would be refused anyway, for being past).
        clock_change = "A clock change in Europe/Berlin skips or repeats this time"
        for slot_start, tz, reason in (("2027-03-28T02:30", "Europe/Berlin", clock_change),
                                       ("2027-10-31T02:30", "Europe/Berlin", clock_change),
                                       ("2027-01-15T10:00", "Mars/Olympus", "Must be a time zone name"),
                                       ("next week", "Europe/Berlin", None)):
            moved = self.server.post_form(f"/admin/bookings/{booking_id}/reschedule",
                                          {"csrf": csrf, "back": "/admin/bookings", "slot_start": slot_start, "tz": tz},
                                          session)
            self.assertEqual(moved.status, 422, (slot_start, tz))
            self.assertIn("text/html", moved.headers["content-type"])
            if reason:
                self.assertIn(reason, moved.text, (slot_start, tz))
        self.assertEqual(instant(self.booking_from_the_api(booking_id)["starts_at"]), instant(start), "nothing moved")
        self.assertEqual(self.server.get("/admin/bookings?tz=Mars/Olympus", session).status, 422)


if __name__ == "__main__":
    unittest.main()
