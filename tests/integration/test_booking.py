"""Consultation booking: free slots, one booking per slot whatever the number
of servers, calendar invitations that calendars accept, cancellation
(docs/api-behaviour.md, "Consultation booking"; issue 5). DST arithmetic is
covered by tests/unit/slots_test.cpp."""

import datetime
import re
import threading
import unittest
import zoneinfo

from icalendar import Calendar

from admin_api import bearer, create_token
from harness import Server, path_of
from mail_services import MailServiceTest

# Open every day, all day, so the tests do not depend on today's weekday.
ALL_DAY = {f"LEADGATE_BOOKING_HOURS_{day}": "00:00-24:00" for day in ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")}
BOOKING_ENV = {**ALL_DAY, "LEADGATE_BOOKING_MIN_NOTICE_HOURS": "1", "LEADGATE_BOOKING_TIMEZONE": "Europe/Berlin",
               # Every test books from 127.0.0.1, many with one address:
               # the limits on upcoming meetings are tested on their own.
               "LEADGATE_BOOKING_MAX_ACTIVE_PER_ADDRESS": "100", "LEADGATE_BOOKING_MAX_ACTIVE_PER_NETWORK": "1000"}


def day(offset):
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=offset)).date().isoformat()


def attachment(message, content_type="text/calendar"):
    for part in message.iter_attachments():
        if part.get_content_type() == content_type:
            return part.get_payload(decode=True)
    raise AssertionError("no " + content_type + " attachment")


class BookingServices(MailServiceTest):
    environment = BOOKING_ENV

    def slots(self, date, tz="Europe/Berlin", server=None):
        reply = (server or self.server).get(f"/v1/booking/slots?from={date}&to={date}&tz={tz}")
        self.assertEqual(reply.status, 200, reply.body)
        return reply.json()["slots"]

    def book(self, start, email, server=None, headers=None, **fields):
        body = {"name": "Zoë Visitor", "email": email, "slot_start": start, "timezone": "America/New_York",
                "topic": "Our new shop SECRET-TOPIC", **fields}
        return (server or self.server).post_json("/v1/forms/consultation", body, headers)


class BookingTest(BookingServices):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second = cls.start(Server, LEADGATE_HTTP_LISTEN="127.0.0.1:0")
        cls.sales = create_token(cls.db, "Sales", "sales")

    def test_slots_are_listed_in_the_visitors_zone(self):
        slots = self.slots(day(5), "America/New_York")
        # Half-hour slots all day long: 48, or 46/50 when New York changes
        # its clocks that day.
        new_york = zoneinfo.ZoneInfo("America/New_York")
        midnight = datetime.datetime.fromisoformat(day(5)).replace(tzinfo=new_york)
        next_midnight = (midnight + datetime.timedelta(days=1)).replace(tzinfo=new_york)
        day_length = next_midnight.astimezone(datetime.timezone.utc) - midnight.astimezone(datetime.timezone.utc)
        self.assertEqual(len(slots), day_length // datetime.timedelta(minutes=30))
        for slot in slots:
            self.assertTrue(slot["local_start"].startswith(day(5)), slot)
            self.assertRegex(slot["local_start"], r"-0[45]:00$")
            self.assertRegex(slot["start"], r"Z$")
            start = datetime.datetime.fromisoformat(slot["start"].replace("Z", "+00:00"))
            local = datetime.datetime.fromisoformat(slot["local_start"])
            self.assertEqual(start, local)
            end = datetime.datetime.fromisoformat(slot["end"].replace("Z", "+00:00"))
            self.assertEqual(end - start, datetime.timedelta(minutes=30))

    def test_bad_slot_queries_get_422(self):
        for query, field in (("from=2026-02-30&to=2026-03-01&tz=UTC", "from"),
                             (f"from={day(1)}&to={day(1)}&tz=Mars/Olympus", "tz"),
                             (f"from={day(1)}&to={day(70)}&tz=UTC", "to"),
                             (f"from={day(3)}&to={day(1)}&tz=UTC", "to"),
                             ("tz=UTC", "from")):
            reply = self.server.get("/v1/booking/slots?" + query)
            self.assertEqual(reply.status, 422, query)
            self.assertIn(field, [error["field"] for error in reply.json()["errors"]])

    def test_booking_a_slot_takes_it_and_queues_three_emails(self):
        start = self.slots(day(4))[10]["start"]
        reply = self.book(start, "booker@example.com")
        self.assertEqual(reply.status, 201, reply.body)
        body = reply.json()
        self.assertEqual((body["status"], body["start"]), ("booked", start))
        self.assertNotIn(start, [slot["start"] for slot in self.slots(day(4))])
        self.assertNotIn(start, [slot["start"] for slot in self.slots(day(4), server=self.second)])
        jobs = dict(self.db.query("SELECT template, run_at FROM jobs WHERE booking_id = %s", (body["id"],)))
        self.assertEqual(set(jobs), {"booking_confirmation", "booking_notification", "booking_reminder"})
        slot_start = datetime.datetime.fromisoformat(start.replace("Z", "+00:00"))
        self.assertEqual(jobs["booking_reminder"], slot_start - datetime.timedelta(hours=24))
        again = self.book(start, "second-try@example.com")
        self.assertEqual(again.status, 409)
        self.assertEqual(again.json()["status"], 409)

    def test_a_slot_not_offered_is_refused(self):
        start = datetime.datetime.fromisoformat(self.slots(day(6))[3]["start"].replace("Z", "+00:00"))
        soon = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
        for when in (start + datetime.timedelta(minutes=10), soon, start + datetime.timedelta(days=90)):
            reply = self.book(when.strftime("%Y-%m-%dT%H:%M:%SZ"), "refused@example.com")
            self.assertEqual(reply.status, 422, when)
            self.assertEqual(reply.json()["errors"][0]["field"], "slot_start")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads WHERE email = 'refused@example.com'"), 0)

    def test_twenty_concurrent_requests_over_two_servers_give_one_booking(self):
        start = self.slots(day(7))[20]["start"]
        replies = []
        lock = threading.Lock()

        def attempt(number):
            reply = self.book(start, f"race{number}@example.com", server=(self.server, self.second)[number % 2])
            with lock:
                replies.append(reply.status)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(replies), [201] + [409] * 19)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM bookings WHERE status = 'confirmed' AND starts_at = %s",
                                        (start,)), 1)

    def test_invitation_parses_and_cancel_link_frees_the_slot(self):
        start = self.slots(day(9))[16]["start"]
        booked = self.book(start, "calendar@example.com")
        self.assertEqual(booked.status, 201)
        booking_id = booked.json()["id"]
        confirmation = self.smtp.wait_for(1, "calendar@example.com")[0].message
        text = confirmation.get_body(("plain",)).get_content()
        self.assertIn("(America/New_York)", text)
        self.assertIn("(Europe/Berlin)", text)
        self.assertNotIn("SECRET-TOPIC", confirmation.as_string())
        invite = Calendar.from_ical(attachment(confirmation))
        self.assertEqual(str(invite["METHOD"]), "REQUEST")
        event = invite.walk("VEVENT")[0]
        slot_start = datetime.datetime.fromisoformat(start.replace("Z", "+00:00"))
        self.assertEqual(event.decoded("DTSTART"), slot_start)
        self.assertEqual(event.decoded("DTEND"), slot_start + datetime.timedelta(minutes=30))
        self.assertEqual(str(event["ATTENDEE"]), "mailto:calendar@example.com")
        self.assertEqual(str(event["ORGANIZER"]), "mailto:hello@studio.example")
        cancel_url = re.search(r"(http://\S+/v1/booking/cancel\?token=[0-9a-f]+)", text).group(1)
        self.assertIn(cancel_url, str(event["DESCRIPTION"]))
        notification = self.smtp.wait_for(1, "sales@studio.example")[-1].message
        self.assertIn("SECRET-TOPIC", notification.get_body(("plain",)).get_content())

        page = self.server.get(path_of(cancel_url))
        self.assertEqual(page.status, 200)
        self.assertIn("Cancel the consultation", page.text)
        self.assertEqual(self.db.scalar("SELECT status FROM bookings WHERE id = %s", (booking_id,)), "confirmed")
        cancelled = self.server.request("POST", path_of(cancel_url))
        self.assertEqual(cancelled.status, 303)
        self.assertEqual(self.server.get("/booking/cancelled").status, 200)
        self.assertEqual(self.db.scalar("SELECT status FROM bookings WHERE id = %s", (booking_id,)), "cancelled")
        self.assertIn(start, [slot["start"] for slot in self.slots(day(9))])
        self.assertEqual(self.db.scalar("SELECT status FROM jobs WHERE booking_id = %s AND template = 'booking_reminder'",
                                        (booking_id,)), "cancelled")

        cancellation = self.smtp.wait_for(2, "calendar@example.com")[-1].message
        update = Calendar.from_ical(attachment(cancellation))
        self.assertEqual(str(update["METHOD"]), "CANCEL")
        cancelled_event = update.walk("VEVENT")[0]
        self.assertEqual(str(cancelled_event["UID"]), str(event["UID"]))
        self.assertGreater(int(cancelled_event["SEQUENCE"]), int(event["SEQUENCE"]))
        self.assertEqual(self.server.request("POST", path_of(cancel_url)).status, 303, "cancelling twice is fine")
        self.assertEqual(self.server.get("/v1/booking/cancel?token=" + "ab" * 24).status, 404)
        note = self.db.query("SELECT recipient, reply_to FROM jobs WHERE booking_id = %s AND template = 'booking_cancelled'",
                             (booking_id,))
        self.assertEqual(note, [("sales@studio.example", "calendar@example.com")], "sales hear of the cancellation")

    def test_a_meeting_that_has_started_cannot_be_cancelled(self):
        booked = self.book(self.slots(day(13))[12]["start"], "started@example.com")
        self.assertEqual(booked.status, 201, booked.body)
        booking_id = booked.json()["id"]
        text = self.smtp.wait_for(1, "started@example.com")[0].message.get_body(("plain",)).get_content()
        cancel_url = re.search(r"(http://\S+/v1/booking/cancel\?token=[0-9a-f]+)", text).group(1)
        # As if the meeting had begun ten minutes ago (far from any other test's slot).
        self.db.query("UPDATE bookings SET starts_at = now() - interval '10 minutes', "
                      "ends_at = now() + interval '20 minutes', "
                      "blocked = tstzrange(now() - interval '10 minutes', now() + interval '20 minutes') WHERE id = %s",
                      (booking_id,))
        self.assertEqual(self.server.get(path_of(cancel_url)).status, 410)
        self.assertEqual(self.server.request("POST", path_of(cancel_url)).status, 410)
        self.assertEqual(self.db.scalar("SELECT status FROM bookings WHERE id = %s", (booking_id,)), "confirmed")

    def test_a_bot_is_answered_like_a_person_stored_as_spam_and_holds_no_slot(self):
        start = self.slots(day(14))[6]["start"]
        reply = self.book(start, "bot@example.com", _gotcha="https://spam.example")
        self.assertEqual(reply.status, 201, reply.body)
        self.assertEqual((reply.json()["status"], reply.json()["start"]), ("booked", start))
        self.assertIn(start, [slot["start"] for slot in self.slots(day(14))], "the bot took the slot")
        stored = self.db.query("SELECT id::text, form, status, spam_reason FROM leads WHERE email = 'bot@example.com'")
        self.assertEqual([row[1:] for row in stored], [("consultation", "spam", "honeypot")])
        for table in ("bookings", "jobs"):
            self.assertEqual(self.db.scalar(f"SELECT count(*) FROM {table} WHERE lead_id = %s", (stored[0][0],)), 0, table)
        self.assertEqual(self.book(start, "person@example.com").status, 201)

    def test_no_reminder_for_a_meeting_less_than_a_day_ahead(self):
        start = self.slots(day(1))[-1]["start"]
        starts_at = datetime.datetime.fromisoformat(start.replace("Z", "+00:00"))
        if starts_at - datetime.datetime.now(datetime.timezone.utc) > datetime.timedelta(hours=24):
            start = next(s["start"] for s in self.slots(day(0)) + self.slots(day(1))
                         if datetime.datetime.fromisoformat(s["start"].replace("Z", "+00:00"))
                         - datetime.datetime.now(datetime.timezone.utc) < datetime.timedelta(hours=23))
        reply = self.book(start, "soon@example.com")
        self.assertEqual(reply.status, 201, reply.body)
        templates = [row[0] for row in self.db.query("SELECT template FROM jobs WHERE booking_id = %s",
                                                      (reply.json()["id"],))]
        self.assertEqual(sorted(templates), ["booking_confirmation", "booking_notification"])

    def test_sales_see_upcoming_bookings(self):
        start = self.slots(day(11))[5]["start"]
        booking_id = self.book(start, "listed@example.com").json()["id"]
        reply = self.server.get("/v1/admin/bookings?limit=500", bearer(self.sales))
        self.assertEqual(reply.status, 200)
        listed = {item["id"]: item for item in reply.json()["items"]}
        self.assertEqual(listed[booking_id]["email"], "listed@example.com")
        meeting_day = start[:10]
        following_day = (datetime.date.fromisoformat(meeting_day) + datetime.timedelta(days=1)).isoformat()
        on_the_day = self.server.get(f"/v1/admin/bookings?from={meeting_day}&to={meeting_day}", bearer(self.sales))
        self.assertIn(booking_id, [item["id"] for item in on_the_day.json()["items"]])
        self.assertTrue(all(item["starts_at"].startswith(meeting_day) for item in on_the_day.json()["items"]))
        later = self.server.get(f"/v1/admin/bookings?from={following_day}", bearer(self.sales))
        self.assertNotIn(booking_id, [item["id"] for item in later.json()["items"]], "the date filter was ignored")
        self.assertEqual(self.server.get("/v1/admin/bookings").status, 401)

    def test_a_plain_form_booking_is_redirected(self):
        start = self.slots(day(12))[8]["start"]
        reply = self.server.post_form("/v1/forms/consultation", {
            "name": "Form Person", "email": "form-booking@example.com", "slot_start": start,
            "timezone": "Europe/Berlin"})
        self.assertEqual(reply.status, 303)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads WHERE email = 'form-booking@example.com' "
                                        "AND form = 'consultation'"), 1)
        # Without a script the page cannot know the visitor's zone: the business's is used.
        no_zone = self.server.post_form("/v1/forms/consultation", {
            "name": "Form Person", "email": "no-zone@example.com", "slot_start": self.slots(day(12))[12]["start"]})
        self.assertEqual(no_zone.status, 303, no_zone.body)
        self.assertEqual(self.db.scalar("SELECT b.visitor_timezone FROM bookings b JOIN leads l ON l.id = b.lead_id "
                                        "WHERE l.email = 'no-zone@example.com'"), "Europe/Berlin")


    def test_a_refused_plain_form_keeps_the_visitors_entries(self):
        # Without a script the visitor sees only the page that comes back: it
        # must hold what they typed and let them change the time.
        taken = self.slots(day(14))[5]["start"]
        self.assertEqual(self.book(taken, "first-comer@example.com").status, 201)
        misaligned = datetime.datetime.fromisoformat(self.slots(day(14))[7]["start"].replace("Z", "+00:00"))
        misaligned = (misaligned + datetime.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for slot, status in ((taken, 409), (misaligned, 422)):
            with self.subTest(status=status):
                page = self.server.post_form("/v1/forms/consultation", {
                    "name": "Plain Person", "email": "plain@example.com", "slot_start": slot,
                    "topic": "A shop for our bakery", "timezone": "Europe/Berlin"})
                self.assertEqual(page.status, status)
                self.assertTrue(page.headers["content-type"].startswith("text/html"))
                html = page.body.decode("utf-8")
                for kept in ('value="Plain Person"', 'value="plain@example.com"', ">A shop for our bakery</textarea>",
                             'name="timezone" value="Europe/Berlin"'):
                    self.assertIn(kept, html)
                self.assertRegex(html, r'<input id="field-slot_start" type="text" name="slot_start" value="'
                                 + re.escape(slot) + '" aria-invalid="true">')
                if status == 422:  # a field error is listed, and its link lands on the field
                    self.assertIn('href="#field-slot_start"', html)
        # A page without a script sends no slot at all: the field is shown, empty, to type one.
        page = self.server.post_form("/v1/forms/consultation", {"name": "Plain Person", "email": "plain@example.com"})
        self.assertEqual(page.status, 422)
        html = page.body.decode("utf-8")
        self.assertIn('<input id="field-slot_start" type="text" name="slot_start" value="" aria-invalid="true">', html)
        self.assertIn('href="#field-slot_start"', html)
        self.assertNotIn('id="field-page_url"', html, "attribution fields stay hidden")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads WHERE email = 'plain@example.com'"), 0)

class BookingEmailCapTest(BookingServices):
    environment = {**BOOKING_ENV, "LEADGATE_LIMITS_EMAILS_PER_RECIPIENT_PER_DAY": "3"}

    def test_a_booking_whose_confirmation_the_cap_holds_back_is_refused_and_holds_no_slot(self):
        bookings = []
        for n in range(2):
            reply = self.book(self.slots(day(15))[n * 4]["start"], "capped-booker@example.com")
            self.assertEqual(reply.status, 201, reply.body)
            bookings.append(reply.json()["id"])
        queued = [sorted(row[0] for row in self.db.query("SELECT template FROM jobs WHERE booking_id = %s", (booking,)))
                  for booking in bookings]
        self.assertEqual(queued, [["booking_confirmation", "booking_notification", "booking_reminder"]] * 2)
        # Reminders count towards the cap too: two confirmations and two
        # reminders are four e-mails, past three. A third booking would be a
        # meeting nobody told the visitor of, holding a slot: refused.
        start = self.slots(day(15))[8]["start"]
        refused = self.book(start, "Capped-Booker+again@example.com")
        self.assertEqual(refused.status, 429, refused.body)
        self.assertIn("retry-after", refused.headers)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM bookings"), 2, "nothing of it was stored")
        self.assertIn(start, [slot["start"] for slot in self.slots(day(15))], "the slot is still free")


class BookingLimitsTest(BookingServices):
    """Calendar exhaustion (issue 16 item 4): one person holds only so many
    upcoming meetings, by address and by client network."""

    environment = {**BOOKING_ENV, "LEADGATE_BOOKING_MAX_ACTIVE_PER_ADDRESS": "2",
                   "LEADGATE_BOOKING_MAX_ACTIVE_PER_NETWORK": "3", "LEADGATE_HTTP_TRUSTED_PROXIES": "127.0.0.1/32"}

    def book_from(self, n, email, network):
        return self.book(self.slots(day(20))[n * 3]["start"], email, headers={"X-Forwarded-For": network})

    def test_an_address_holds_at_most_two_upcoming_meetings_however_it_is_spelt(self):
        self.assertEqual(self.book_from(0, "hoarder@example.com", "198.51.100.1").status, 201)
        self.assertEqual(self.book_from(1, "hoarder+2@example.com", "198.51.100.2").status, 201)
        refused = self.book_from(2, "Hoard.er@example.com", "198.51.100.3")
        self.assertEqual(refused.status, 422, refused.body)
        self.assertEqual(refused.json()["errors"][0]["field"], "email")
        self.assertEqual(refused.json()["errors"][0]["code"], "too_many_bookings")
        self.db.query("UPDATE bookings SET status = 'cancelled', cancelled_at = now() "
                      "WHERE lead_id IN (SELECT id FROM leads WHERE email = 'hoarder@example.com')")
        self.assertEqual(self.book_from(2, "Hoard.er@example.com", "198.51.100.3").status, 201,
                         "a cancelled meeting frees its place")

    def test_a_client_network_holds_at_most_three_upcoming_meetings(self):
        for n in range(3):
            self.assertEqual(self.book_from(4 + n, f"net{n}@example.com", "203.0.113.9").status, 201)
        refused = self.book_from(7, "net3@example.com", "203.0.113.9")
        self.assertEqual(refused.status, 429, refused.body)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads WHERE email = 'net3@example.com'"), 0)
        self.assertEqual(self.book_from(7, "net3@example.com", "203.0.113.10").status, 201, "another network books")


if __name__ == "__main__":
    unittest.main()
