"""Rescheduling a consultation: by the visitor with the link of their e-mails
(a page of free slots and a plain form, or JSON), and by sales over the API;
and sales' cancel and outcome (docs/api-behaviour.md, "Rescheduling";
docs/sales-api.md, "Bookings"; issue 19)."""

import datetime
import re
import threading

from icalendar import Calendar

from admin_api import bearer, create_token
from harness import Server, path_of, wait_until
from test_booking import BOOKING_ENV, BookingServices, attachment, day
from test_calendar_writeback import MAIL_DOMAIN, WriteBackServices
from test_calendars import berlin, utc_text

# A buffer of 30 minutes after each meeting: the slot right after a meeting
# is busy, except for a move of that meeting itself.
RESCHEDULE_ENV = {**BOOKING_ENV, "LEADGATE_BOOKING_BUFFER_MINUTES": "30",
                  # A target nobody listens on: the jobs are what the tests read.
                  "LEADGATE_WEBHOOKS_TARGETS": '[{url = "http://127.0.0.1:9/hooks", secret = "0123456789abcdef", '
                                               'events = ["booking.rescheduled", "booking.no_show"]}]'}

LINK = r"(http://\S+/v1/booking/{}\?token=[0-9a-f]+)"


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def rfc3339(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class RescheduleTest(BookingServices):
    environment = RESCHEDULE_ENV

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second = cls.start(Server, LEADGATE_HTTP_LISTEN="127.0.0.1:0")
        cls.sales = create_token(cls.db, "Sales Ana", "sales")

    # --- helpers ---------------------------------------------------------------

    def booked(self, start, email):
        """Books `start` for `email`; the booking's id and the links of its
        confirmation e-mail."""
        reply = self.book(start, email)
        self.assertEqual(reply.status, 201, reply.body)
        text = self.smtp.wait_for(1, email)[0].message.get_body(("plain",)).get_content()
        return (reply.json()["id"], re.search(LINK.format("reschedule"), text).group(1),
                re.search(LINK.format("cancel"), text).group(1))

    def booking(self, booking_id):
        return self.db.query("SELECT starts_at, sequence, status, host_id FROM bookings WHERE id = %s",
                             (booking_id,))[0]

    def slot_starts(self, date):
        return [slot["start"] for slot in self.slots(date)]

    def message_with_subject(self, recipient, prefix, count):
        messages = self.smtp.wait_for(count, recipient)
        found = [m.message for m in messages if str(m.message["Subject"]).startswith(prefix)]
        self.assertTrue(found, f"no e-mail to {recipient} starting {prefix!r}")
        return found[-1]

    # --- the visitor -----------------------------------------------------------

    def test_a_plain_form_moves_the_booking_and_everything_that_hangs_on_it(self):
        slots = self.slot_starts(day(4))
        start, target = slots[10], slots[20]
        booking_id, reschedule_url, _ = self.booked(start, "form@example.com")
        confirmation = self.smtp.wait_for(1, "form@example.com")[0].message
        invite = Calendar.from_ical(attachment(confirmation)).walk("VEVENT")[0]

        page = self.server.get(path_of(reschedule_url))
        self.assertEqual(page.status, 200)
        self.assertIn("Choose another time", page.text)
        offered = re.findall(r'name="slot_start" value="([^"]+)"', page.text)
        self.assertIn(target, offered)
        self.assertNotIn(start, offered, "the current time is not offered")
        self.assertIn("America/New_York", page.text, "the slots are shown in the visitor's zone")

        moved = self.server.post_form(path_of(reschedule_url), {"slot_start": target})
        self.assertEqual(moved.status, 303, moved.body)
        self.assertTrue(moved.headers["location"].endswith("/booking/rescheduled"))
        self.assertEqual(self.server.get("/booking/rescheduled").status, 200)

        starts_at, sequence, status, _ = self.booking(booking_id)
        self.assertEqual((starts_at, sequence, status), (instant(target), 1, "confirmed"))
        self.assertIn(start, self.slot_starts(day(4)), "the old slot is free again")
        self.assertNotIn(target, self.slot_starts(day(4)), "the new slot is taken")
        self.assertNotIn(target, [slot["start"] for slot in self.slots(day(4), server=self.second)])

        reminders = self.db.query("SELECT status, run_at FROM jobs WHERE booking_id = %s AND template = 'booking_reminder' "
                                  "ORDER BY id", (booking_id,))
        self.assertEqual(reminders, [("cancelled", instant(start) - datetime.timedelta(hours=24)),
                                     ("queued", instant(target) - datetime.timedelta(hours=24))])

        rescheduled = self.message_with_subject("form@example.com", "Your consultation has moved", 2)
        update = Calendar.from_ical(attachment(rescheduled))
        self.assertEqual(str(update["METHOD"]), "REQUEST")
        event = update.walk("VEVENT")[0]
        self.assertEqual(str(event["UID"]), str(invite["UID"]))
        self.assertEqual(int(event["SEQUENCE"]), 1)
        self.assertEqual(event.decoded("DTSTART"), instant(target))
        text = rescheduled.get_body(("plain",)).get_content()
        self.assertIn(reschedule_url, text, "the same link keeps working")
        note = self.db.query("SELECT recipient, reply_to FROM jobs WHERE booking_id = %s AND template = 'booking_moved'",
                             (booking_id,))
        self.assertEqual(note, [("sales@studio.example", "form@example.com")], "the implicit host has no address")
        hooks = self.db.query("SELECT payload->>'previous_start', payload->>'start' FROM jobs "
                              "WHERE booking_id = %s AND kind = 'webhook' AND template = 'booking.rescheduled'",
                              (booking_id,))
        self.assertEqual(hooks, [(start, target)])

    def test_a_json_client_gets_the_booking_and_the_link_works_again(self):
        slots = self.slot_starts(day(5))
        start, first, second = slots[4], slots[12], slots[30]
        booking_id, reschedule_url, cancel_url = self.booked(start, "json@example.com")
        moved = self.server.post_json(path_of(reschedule_url), {"slot_start": first})
        self.assertEqual(moved.status, 200, moved.body)
        self.assertEqual(moved.json(), {"id": booking_id, "status": "booked", "start": first,
                                        "end": rfc3339(instant(first) + datetime.timedelta(minutes=30))})
        again = self.server.post_json(path_of(reschedule_url), {"slot_start": second})
        self.assertEqual(again.status, 200, again.body)
        self.assertEqual(self.booking(booking_id)[:2], (instant(second), 2))
        confirmation = self.smtp.wait_for(1, "json@example.com")[0].message
        self.assertIn("/v1/booking/reschedule?token=", confirmation.get_body(("html",)).get_content())

        # One event throughout: the same UID, each version a higher SEQUENCE.
        self.assertEqual(self.server.request("POST", path_of(cancel_url)).status, 303)
        messages = [m.message for m in self.smtp.wait_for(4, "json@example.com")]
        events = {}
        for message in messages:
            calendar = Calendar.from_ical(attachment(message))
            event = calendar.walk("VEVENT")[0]
            events[int(event["SEQUENCE"])] = (str(calendar["METHOD"]), str(event["UID"]), event.decoded("DTSTART"))
        self.assertEqual(sorted(events), [0, 1, 2, 3])
        self.assertEqual(len({uid for _, uid, _ in events.values()}), 1)
        self.assertEqual([events[n][0] for n in range(4)], ["REQUEST", "REQUEST", "REQUEST", "CANCEL"])
        self.assertEqual([events[n][2] for n in range(3)], [instant(start), instant(first), instant(second)])

    def test_a_move_by_half_an_hour_onto_its_own_buffer_works(self):
        slots = self.slot_starts(day(6))
        start = slots[16]
        later = rfc3339(instant(start) + datetime.timedelta(minutes=30))
        booking_id, reschedule_url, _ = self.booked(start, "self@example.com")
        self.assertNotIn(later, self.slot_starts(day(6)), "the buffer keeps the next slot busy for others")
        self.assertIn(later, re.findall(r'value="([^"]+)"', self.server.get(path_of(reschedule_url)).text))
        moved = self.server.post_json(path_of(reschedule_url), {"slot_start": later})
        self.assertEqual(moved.status, 200, moved.body)
        self.assertEqual(self.booking(booking_id)[0], instant(later))

    def test_a_taken_slot_is_a_409_and_changes_nothing(self):
        slots = self.slot_starts(day(7))
        mine, theirs = slots[6], slots[26]
        booking_id, reschedule_url, _ = self.booked(mine, "taken-a@example.com")
        self.booked(theirs, "taken-b@example.com")
        refused = self.server.post_json(path_of(reschedule_url), {"slot_start": theirs})
        self.assertEqual(refused.status, 409, refused.body)
        self.assertEqual(self.booking(booking_id)[:2], (instant(mine), 0))
        html = self.server.post_form(path_of(reschedule_url), {"slot_start": theirs})
        self.assertEqual(html.status, 409)
        self.assertTrue(html.headers["content-type"].startswith("text/html"))

    def test_a_time_that_is_no_slot_is_a_422_on_slot_start(self):
        start = self.slot_starts(day(8))[8]
        _, reschedule_url, _ = self.booked(start, "odd@example.com")
        for value in (rfc3339(instant(start) + datetime.timedelta(minutes=130)),
                      rfc3339(instant(start) + datetime.timedelta(days=90)), "tomorrow", start):
            refused = self.server.post_json(path_of(reschedule_url), {"slot_start": value})
            self.assertEqual(refused.status, 422, value)
            self.assertEqual(refused.json()["errors"][0]["field"], "slot_start")
        self.assertEqual(self.server.post_json(path_of(reschedule_url), {}).status, 422)

    def test_a_cancelled_or_started_meeting_is_gone_and_an_unknown_link_is_404(self):
        slots = self.slot_starts(day(9))
        booking_id, reschedule_url, cancel_url = self.booked(slots[2], "gone@example.com")
        self.assertEqual(self.server.request("POST", path_of(cancel_url)).status, 303)
        self.assertEqual(self.server.get(path_of(reschedule_url)).status, 410)
        gone = self.server.post_json(path_of(reschedule_url), {"slot_start": slots[40]})
        self.assertEqual(gone.status, 410)
        self.assertEqual(gone.json()["status"], 410)
        self.assertEqual(self.server.post_form(path_of(reschedule_url), {"slot_start": slots[40]}).status, 410)

        started_id, started_url, _ = self.booked(slots[20], "started@example.com")
        self.db.query("UPDATE bookings SET starts_at = now() - interval '10 minutes', ends_at = now() + interval '20 minutes', "
                      "blocked = tstzrange(now() - interval '10 minutes', now() + interval '50 minutes') WHERE id = %s",
                      (started_id,))
        self.assertEqual(self.server.post_json(path_of(started_url), {"slot_start": slots[40]}).status, 410)

        unknown = "/v1/booking/reschedule?token=" + "ab" * 24
        self.assertEqual(self.server.get(unknown).status, 404)
        self.assertEqual(self.server.post_json(unknown, {"slot_start": slots[40]}).status, 404)
        self.assertEqual(self.booking(booking_id)[2], "cancelled")

    def test_two_visitors_moving_onto_one_slot_over_two_servers_one_wins(self):
        slots = self.slot_starts(day(10))
        target = slots[24]
        first = self.booked(slots[4], "race-a@example.com")
        second = self.booked(slots[44], "race-b@example.com")
        statuses = []
        lock = threading.Lock()
        barrier = threading.Barrier(2)

        def move(links, server, as_form):
            barrier.wait()
            if as_form:
                reply = server.post_form(path_of(links[1]), {"slot_start": target})
            else:
                reply = server.post_json(path_of(links[1]), {"slot_start": target})
            with lock:
                statuses.append(reply.status)

        threads = [threading.Thread(target=move, args=(first, self.server, True)),
                   threading.Thread(target=move, args=(second, self.second, False))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(statuses), 2)
        self.assertIn(409, statuses)
        self.assertEqual(len([s for s in statuses if s in (200, 303)]), 1, statuses)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM bookings WHERE status = 'confirmed' AND starts_at = %s",
                                        (target,)), 1)

    # --- sales -----------------------------------------------------------------

    def test_sales_cancel_with_a_token_and_not_without(self):
        booking_id, _, _ = self.booked(self.slot_starts(day(11))[6], "sales-cancel@example.com")
        path = f"/v1/admin/bookings/{booking_id}/cancel"
        self.assertEqual(self.server.request("POST", path).status, 401)
        cancelled = self.server.request("POST", path, headers=bearer(self.sales))
        self.assertEqual(cancelled.status, 200, cancelled.body)
        self.assertEqual(cancelled.json()["status"], "cancelled")
        self.assertEqual(self.server.request("POST", path, headers=bearer(self.sales)).status, 200, "twice is fine")
        templates = {row[0] for row in self.db.query("SELECT template FROM jobs WHERE booking_id = %s", (booking_id,))}
        self.assertTrue({"booking_cancellation", "booking_cancelled"} <= templates, templates)
        audit = self.db.query("SELECT actor, details->>'booking_id' FROM audit_log WHERE action = 'cancel_booking'")
        self.assertIn(("Sales Ana", booking_id), audit)
        self.assertEqual(self.server.request("POST", "/v1/admin/bookings/0190e0d2-0000-7000-8000-000000000000/cancel",
                                             headers=bearer(self.sales)).status, 404)

    def test_sales_reschedule_to_any_slot_and_the_visitor_gets_new_links(self):
        slots = self.slot_starts(day(12))
        booking_id, old_link, _ = self.booked(slots[6], "sales-move@example.com")
        path = f"/v1/admin/bookings/{booking_id}/reschedule"
        self.assertEqual(self.server.post_json(path, {"slot_start": slots[30]}).status, 401)
        moved = self.server.post_json(path, {"slot_start": slots[30]}, bearer(self.sales))
        self.assertEqual(moved.status, 200, moved.body)
        self.assertEqual((moved.json()["id"], moved.json()["sequence"]), (booking_id, 1))
        self.assertEqual(instant(moved.json()["starts_at"]), instant(slots[30]))
        self.assertEqual(self.server.get(path_of(old_link)).status, 404, "sales' move gives the booking a new token")
        rescheduled = self.message_with_subject("sales-move@example.com", "Your consultation has moved", 2)
        new_link = re.search(LINK.format("reschedule"), rescheduled.get_body(("plain",)).get_content()).group(1)
        self.assertEqual(self.server.get(path_of(new_link)).status, 200)
        self.assertEqual(self.server.post_json(path, {"slot_start": slots[30]}, bearer(self.sales)).status, 422)
        self.assertEqual(self.server.post_json(path, {"slot_start": "soon"}, bearer(self.sales)).status, 422)

    def test_sales_record_the_outcome_once_the_meeting_has_started(self):
        booking_id, _, _ = self.booked(self.slot_starts(day(13))[10], "outcome@example.com")
        path = f"/v1/admin/bookings/{booking_id}"
        self.assertEqual(self.server.request("PATCH", path, '{"outcome": "attended"}',
                                             {"Content-Type": "application/json"}).status, 401)
        early = self.server.request("PATCH", path, '{"outcome": "attended"}',
                                    {"Content-Type": "application/json", **bearer(self.sales)})
        self.assertEqual(early.status, 422, early.body)
        # Three hours ago: clear of the meeting another test starts "now".
        self.db.query("UPDATE bookings SET starts_at = now() - interval '3 hours', ends_at = now() - interval '150 minutes', "
                      "blocked = tstzrange(now() - interval '3 hours', now() - interval '2 hours') WHERE id = %s",
                      (booking_id,))
        bad = self.server.request("PATCH", path, '{"outcome": "late"}',
                                  {"Content-Type": "application/json", **bearer(self.sales)})
        self.assertEqual(bad.status, 422)
        for _ in range(2):
            recorded = self.server.request("PATCH", path, '{"outcome": "no_show"}',
                                           {"Content-Type": "application/json", **bearer(self.sales)})
            self.assertEqual(recorded.status, 200, recorded.body)
            self.assertEqual(recorded.json()["outcome"], "no_show")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM jobs WHERE booking_id = %s AND kind = 'webhook' "
                                        "AND template = 'booking.no_show'", (booking_id,)), 1, "one webhook per change")
        attended = self.server.request("PATCH", path, "outcome=attended",
                                       {"Content-Type": "application/x-www-form-urlencoded", **bearer(self.sales)})
        self.assertEqual((attended.status, attended.json()["outcome"]), (200, "attended"))

    def test_sales_move_and_cancel_from_the_admin_page(self):
        slots = self.slot_starts(day(15))
        booking_id, _, _ = self.booked(slots[6], "page@example.com")
        signed_in = self.server.request("POST", "/admin/session", "token=" + self.sales,
                                        {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(signed_in.status, 303, signed_in.body)
        session = {"Cookie": signed_in.headers["set-cookie"].split(";", 1)[0]}
        page = self.server.get("/admin/bookings?from=" + day(15), session).text
        self.assertIn(f'action="/admin/bookings/{booking_id}/reschedule"', page)
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        form = {"Content-Type": "application/x-www-form-urlencoded", **session}
        # What a datetime-local field sends: the tab's times are UTC.
        target = instant(slots[30]).strftime("%Y-%m-%dT%H:%M")
        moved = self.server.request("POST", f"/admin/bookings/{booking_id}/reschedule",
                                    f"csrf={csrf}&back=/admin/bookings&slot_start={target}", form)
        self.assertEqual((moved.status, moved.headers.get("location")), (303, "/admin/bookings"), moved.body)
        self.assertEqual(self.booking(booking_id)[:2], (instant(slots[30]), 1))
        forged = self.server.request("POST", f"/admin/bookings/{booking_id}/cancel", "csrf=forged", form)
        self.assertEqual(forged.status, 403)
        cancelled = self.server.request("POST", f"/admin/bookings/{booking_id}/cancel", f"csrf={csrf}", form)
        self.assertEqual(cancelled.status, 303, cancelled.body)
        self.assertEqual(self.booking(booking_id)[2], "cancelled")
        self.assertNotIn(f'action="/admin/bookings/{booking_id}/cancel"',
                         self.server.get("/admin/bookings?from=" + day(15), session).text)
        audit = self.db.query("SELECT action FROM audit_log WHERE details->>'booking_id' = %s ORDER BY id", (booking_id,))
        self.assertEqual([row[0] for row in audit], ["reschedule_booking", "cancel_booking"])


class HostsRescheduleTest(BookingServices):
    """Two hosts without calendars (always free within their hours)."""

    environment = {**BOOKING_ENV, "LEADGATE_BOOKING_HOSTS":
                   '[{id = "ana", name = "Ana Lima", email = "ana@example.com", calendars = []}, '
                   '{id = "ben", name = "Ben Okafor", email = "ben@example.com", calendars = []}]'}

    def booked(self, start, email, **fields):
        reply = self.book(start, email, **fields)
        self.assertEqual(reply.status, 201, reply.body)
        text = self.smtp.wait_for(1, email)[0].message.get_body(("plain",)).get_content()
        return reply.json()["id"], re.search(LINK.format("reschedule"), text).group(1)

    def host_of(self, booking_id):
        return self.db.scalar("SELECT host_id FROM bookings WHERE id = %s", (booking_id,))

    def test_a_host_the_visitor_named_is_kept_and_one_they_did_not_is_chosen_again(self):
        slots = [slot["start"] for slot in self.slots(day(4))]
        named, named_link = self.booked(slots[4], "named@example.com", host="ana")
        self.booked(slots[20], "other@example.com", host="ana")
        self.assertEqual(self.db.scalar("SELECT host_requested FROM bookings WHERE id = %s", (named,)), True)
        self.assertIn(slots[20], [slot["start"] for slot in self.slots(day(4))], "Ben is free then")
        page = self.server.get(path_of(named_link)).text
        self.assertNotIn(slots[20], re.findall(r'value="([^"]+)"', page), "only Ana's free slots are offered")
        self.assertEqual(self.server.post_json(path_of(named_link), {"slot_start": slots[20]}).status, 409)
        self.assertEqual(self.host_of(named), "ana")

        # Ana has two meetings, so the next one without a named host is Ben's.
        free, free_link = self.booked(slots[8], "free@example.com")
        self.assertEqual(self.host_of(free), "ben")
        self.assertEqual(self.db.scalar("SELECT host_requested FROM bookings WHERE id = %s", (free,)), False)
        self.booked(slots[30], "ben-busy@example.com", host="ben")
        moved = self.server.post_json(path_of(free_link), {"slot_start": slots[30]})
        self.assertEqual(moved.status, 200, moved.body)
        self.assertEqual(self.host_of(free), "ana", "the meeting went to the host free then")
        notes = self.db.query("SELECT recipient FROM jobs WHERE booking_id = %s AND template = 'booking_moved' "
                              "ORDER BY recipient", (free,))
        self.assertEqual([row[0] for row in notes], ["ana@example.com", "ben@example.com", "sales@studio.example"])


class RescheduleWriteBackTest(WriteBackServices):
    """Ana's real CalDAV calendar (Radicale) holds her meetings: a move
    updates the one event there."""

    def test_a_move_updates_the_event_in_the_hosts_calendar(self):
        ten, two = berlin(self.day, 10), berlin(self.day, 14)
        booking_id = self.book(ten, "vera-moves@example.com")
        uid = f"{booking_id}@{MAIL_DOMAIN}"
        self.wait_for_job(booking_id, "calendar_put")
        _, first_etag, _ = self.radicale.get_event("work", uid)
        text = self.smtp.wait_for(1, "vera-moves@example.com")[0].message.get_body(("plain",)).get_content()
        reschedule_url = re.search(LINK.format("reschedule"), text).group(1)

        moved = self.server.post_json(path_of(reschedule_url), {"slot_start": utc_text(two)})
        self.assertEqual(moved.status, 200, moved.body)
        wait_until(lambda: self.db.scalar("SELECT count(*) FROM jobs WHERE booking_id = %s AND kind = 'calendar' "
                                          "AND template = 'calendar_put' AND status = 'sent'", (booking_id,)) == 2,
                   30, "the second write sent")
        stored = self.stored_event(uid)
        self.assertEqual((stored.decoded("DTSTART"), int(stored["SEQUENCE"])), (two, 1))
        self.assertEqual(self.radicale.list_events("work").count(f"{uid}.ics"), 1, "one event, moved")
        _, second_etag, _ = self.radicale.get_event("work", uid)
        self.assertNotEqual(second_etag, first_etag)
        self.assertEqual(self.db.scalar("SELECT calendar_etag FROM bookings WHERE id = %s", (booking_id,)), second_etag)
        # The copy in Ana's calendar, read back by the sync, does not make the
        # old time look taken nor block the new one twice.
        self.synced_after(self.db.scalar("SELECT now()"))
        self.assertIn(utc_text(ten), self.slots())
        self.assertNotIn(utc_text(two), self.slots())
