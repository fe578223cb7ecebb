"""The booking page's plain-form steps over HTTP, as a browser without
scripts walks them: times, details, confirmation, the .ics file, and each
refusal sending the visitor back to the step that fixes it (docs/website.md,
"The booking page"; issue 20). test_website.py walks the same page in
Chromium, with scripts and the keyboard."""

import gzip
import hashlib
import html
import os
import re
import unittest

from icalendar import Calendar

from harness import path_of
from test_booking import BookingServices, day


def hidden_inputs(page, form_id):
    form = re.search(r'<form[^>]*id="' + form_id + r'"[^>]*>(.*?)</form>', page, re.S)
    assert form, f"no form #{form_id}"
    return {html.unescape(name): html.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(1))}


def listed_slots(page):
    return re.findall(r'<input type="radio" name="slot_start" value="([^"]+)"', page)


class BookingPageTest(BookingServices):
    def count(self, sql, *params):
        return self.db.scalar(sql, params)

    def first_slot(self, page_text):
        slots = listed_slots(page_text)
        self.assertTrue(slots, "the page lists free times")
        return slots[0]

    def book(self, slot, email, **fields):
        return self.server.post_form("/book", {"_step": "details", "slot_start": slot, "timezone": "America/New_York",
                                               "name": "Zoë Visitor", "email": email, "_ts": "1", **fields})

    def test_the_times_are_listed_by_day_in_the_zone_asked_for(self):
        berlin = self.server.get("/book")
        self.assertEqual(berlin.status, 200)
        self.assertIn("<option selected>Europe/Berlin</option>", berlin.text, "the business zone by default")
        new_york = self.server.get("/book?tz=America/New_York")
        page = new_york.text
        self.assertIn("<option selected>America/New_York</option>", page)
        self.assertEqual(hidden_inputs(page, "slot-form")["timezone"], "America/New_York")
        # The first slot of a day opening at 00:00 Berlin time is listed at
        # its New York time (18:00 or 19:00 the day before).
        slot = self.first_slot(page)
        label = re.search(r'value="' + re.escape(slot) + r'" id="[^"]+" required> (\d\d:\d\d)</label>', page).group(1)
        expected = self.slots(slot[:10], "America/New_York")
        local = next(s["local_start"] for s in expected if s["start"] == slot)
        self.assertEqual(label, local[11:16])
        self.assertRegex(page, r"<legend>\w+day \d{1,2} \w+</legend>")
        unknown = self.server.get("/book?tz=Mars/Olympus")
        self.assertIn("<option selected>Europe/Berlin</option>", unknown.text)

    def test_the_page_runs_only_leadgates_own_versioned_script(self):
        page = self.server.get("/book")
        policy = page.headers["content-security-policy"]
        self.assertIn("script-src 'self';", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        script = re.search(r'<script src="(/assets/embed-([0-9a-f]{16})\.js)" defer></script>', page.text)
        self.assertTrue(script, "the page names the script by its hash")
        versioned = self.server.get(script.group(1))
        current = self.server.get("/embed.js")
        self.assertEqual(versioned.body, current.body)
        self.assertEqual(hashlib.sha256(current.body).hexdigest()[:16], script.group(2))
        self.assertIn("immutable", versioned.headers["cache-control"])
        self.assertEqual(current.headers["cache-control"], "public, max-age=300")
        self.assertTrue(current.headers["content-type"].startswith("text/javascript"))
        self.assertEqual(self.server.get("/assets/embed-0123456789abcdef.js").status, 404)

    def test_the_scripts_size_is_the_one_the_docs_state(self):
        """docs/website.md (and README) state embed.js's size; a script that
        grew would make them wrong."""
        with open(os.path.join(os.environ["LEADGATE_ROOT"], "docs", "website.md"), encoding="utf-8") as docs:
            table = docs.read()
        stated = {label: int(number.replace(",", "")) for label, number in
                  re.findall(r"^\| (as served|gzipped)\b.*\| ([0-9,]+) \|$", table, re.M)}
        served = self.server.get("/embed.js").body
        self.assertEqual(len(served), stated["as served"])
        # zlib's level 9 as gzip -9 writes it, give or take the header's bytes
        self.assertLessEqual(abs(len(gzip.compress(served, 9)) - stated["gzipped"]), 32)

    def test_a_plain_form_walks_the_steps_to_a_booking(self):
        # A website's form without scripts posts what it has: the times
        # come back with the entries carried.
        times = self.server.post_form("/book", {"name": "Zoë Visitor", "email": "steps@example.com",
                                                "topic": "A new shop", "utm_source": "newsletter"})
        self.assertEqual(times.status, 200)
        carried = hidden_inputs(times.text, "slot-form")
        self.assertEqual((carried["name"], carried["email"], carried["topic"], carried["utm_source"]),
                         ("Zoë Visitor", "steps@example.com", "A new shop", "newsletter"))
        slot = self.first_slot(times.text)
        details = self.server.post_form("/book", {**carried, "timezone": "America/New_York", "slot_start": slot})
        self.assertEqual(details.status, 200)
        page = details.text
        self.assertIn("(America/New_York)", page)
        self.assertIn("(Europe/Berlin) for us", page)
        self.assertIn('value="steps@example.com"', page)
        fields = hidden_inputs(page, "details-form")
        self.assertEqual((fields["slot_start"], fields["_step"], fields["utm_source"]), (slot, "details", "newsletter"))
        self.assertEqual(self.count("SELECT count(*) FROM leads WHERE email = 'steps@example.com'"), 0,
                         "choosing a time books nothing")

        booked = self.server.post_form("/book", {**fields, "name": "Zoë Visitor", "email": "steps@example.com",
                                                 "topic": "A new shop", "_ts": "1"})
        self.assertEqual(booked.status, 303, booked.text)
        location = booked.headers["location"]
        self.assertRegex(location, r"/book/confirmed\?token=[0-9a-f]{48}$")
        confirmed = self.server.get(path_of(location))
        self.assertEqual(confirmed.status, 200)
        self.assertIn(f'<time datetime="{slot}">', confirmed.text)
        row = self.db.query("SELECT b.starts_at, b.visitor_timezone, l.utm_source FROM bookings b "
                            "JOIN leads l ON l.id = b.lead_id WHERE l.email = 'steps@example.com'")
        self.assertEqual(len(row), 1)
        self.assertEqual(row[0][0].strftime("%Y-%m-%dT%H:%M:%SZ"), slot)
        self.assertEqual((row[0][1], row[0][2]), ("America/New_York", "newsletter"))

        # The .ics the page links to is the invitation's event: a calendar
        # that has both keeps one.
        ics_url = re.search(r'id="add-to-calendar" href="([^"]+)"', confirmed.text).group(1)
        ics = self.server.get(path_of(html.unescape(ics_url)))
        self.assertEqual(ics.status, 200)
        self.assertIn("attachment", ics.headers["content-disposition"])
        event = next(c for c in Calendar.from_ical(ics.body).walk() if c.name == "VEVENT")
        self.assertEqual(event.decoded("dtstart").strftime("%Y-%m-%dT%H:%M:%SZ"), slot)
        invitation = self.smtp.wait_for(1, "steps@example.com")[0].message
        for part in invitation.iter_attachments():
            if part.get_content_type() == "text/calendar":
                emailed = next(c for c in Calendar.from_ical(part.get_payload(decode=True)).walk() if c.name == "VEVENT")
        self.assertEqual(str(event["uid"]), str(emailed["uid"]))

        # Cancelled through the page's link: the page and the file say so.
        cancel_url = html.unescape(re.search(r'id="cancel" href="([^"]+)"', confirmed.text).group(1))
        self.assertEqual(self.server.post_form(path_of(cancel_url), {}, {"Accept": "text/html"}).status, 303)
        self.assertIn("cancelled", self.server.get(path_of(location)).text.lower())
        self.assertEqual(self.server.get(path_of(html.unescape(ics_url))).status, 404)

    def test_bad_details_come_back_beside_their_fields_and_store_nothing(self):
        slot = self.first_slot(self.server.get("/book?tz=America/New_York").text)
        refused = self.book(slot, "not-an-address", name="", topic="Keep this text")
        self.assertEqual(refused.status, 422)
        page = refused.text
        self.assertRegex(page, r'name="name" value=""[^>]*aria-invalid="true" aria-describedby="error-name" autofocus')
        self.assertRegex(page, r'name="email" value="not-an-address"[^>]*aria-invalid="true"')
        self.assertIn('<p id="error-email" class="field-error">', page)
        self.assertIn(">Keep this text</textarea>", page)
        self.assertEqual(hidden_inputs(page, "details-form")["slot_start"], slot)
        self.assertEqual(self.count("SELECT count(*) FROM leads WHERE email = 'not-an-address'"), 0)

    def test_a_time_just_taken_sends_the_visitor_back_to_the_times(self):
        slot = self.first_slot(self.server.get("/book").text)
        self.assertEqual(self.book(slot, "first@example.com").status, 303)
        second = self.book(slot, "second@example.com", topic="Still here")
        self.assertEqual(second.status, 409)
        page = second.text
        self.assertIn('role="alert">That time was just taken.', page)
        self.assertNotIn(slot, listed_slots(page), "the taken time is no longer offered")
        self.assertEqual(hidden_inputs(page, "slot-form")["topic"], "Still here")
        self.assertEqual(self.count("SELECT count(*) FROM leads WHERE email = 'second@example.com'"), 0)

    def test_an_unknown_host_shows_the_teams_times(self):
        page = self.server.get("/book?host=nobody").text
        self.assertIn("does not take bookings here", page)
        self.assertTrue(listed_slots(page))
        self.assertNotIn('name="host"', page)

    def test_a_bot_gets_the_answer_a_person_gets_and_holds_no_slot(self):
        slot = self.first_slot(self.server.get("/book").text)
        caught = self.book(slot, "bot@example.com", _gotcha="http://spam.example")
        self.assertEqual(caught.status, 303)
        self.assertRegex(caught.headers["location"], r"/book/confirmed\?token=[0-9a-f]{48}$")
        self.assertEqual(self.count("SELECT count(*) FROM leads WHERE email = 'bot@example.com' AND status = 'spam'"), 1)
        self.assertEqual(self.count("SELECT count(*) FROM bookings WHERE starts_at = %s::timestamptz", slot), 0)

    def test_a_confirmation_link_that_is_not_one(self):
        self.assertEqual(self.server.get("/book/confirmed?token=" + "0" * 48).status, 404)
        self.assertEqual(self.server.get("/book/confirmed?token=short").status, 404)
        self.assertEqual(self.server.get("/book/event.ics?token=" + "0" * 48).status, 404)


if __name__ == "__main__":
    unittest.main()
