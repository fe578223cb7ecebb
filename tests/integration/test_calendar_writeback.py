"""Write-back (docs/email-and-webhooks.md, "Calendar write-back"): a booked
meeting is written into its host's real CalDAV calendar (Radicale) as the
event of the invitation's UID, deleted from it when cancelled, and a
calendar outage delays the write without losing it. The host reads the same
collection as busy time: its copy of a leadgate meeting must not block the
meeting's time a second time."""

import datetime
import json
import re
import unittest
import uuid

from icalendar import Calendar

from calendar_services import Radicale, require_radicale
from admin_api import bearer, create_token
from harness import DatabaseTest, path_of, require_environment, wait_until
from mail_services import MailServiceTest
from test_calendars import berlin, bookable_day, event, utc_text

MAIL_DOMAIN = "studio.example"  # of mail.from in mail_services.worker_env


def hosts_variable(calendar_url):
    """Ana reads her calendar and has booked meetings written into it."""
    url = json.dumps(calendar_url)
    return (f'[{{id = "ana", name = "Ana Lima", email = "ana@example.com", calendars = [{url}], '
            f'write_to = {url}}}]')


class WriteBackServices(MailServiceTest):
    """serve and worker with one host, Ana, whose Radicale collection "work"
    is both her busy time and where her meetings are written; the worker
    reads it every second and retries a failed write after about a second."""

    @classmethod
    def setUpClass(cls):
        require_environment(cls)
        require_radicale(cls)
        cls.radicale = Radicale()
        cls.addClassCleanup(cls.radicale.destroy)
        cls.calendar_url = cls.radicale.make_calendar("work")
        cls.environment = {
            "LEADGATE_BOOKING_HOSTS": hosts_variable(cls.calendar_url),
            "LEADGATE_BOOKING_CALENDAR_SYNC_SECONDS": "1",
            "LEADGATE_MAIL_RETRY_BASE_SECONDS": "1",
            "LEADGATE_BOOKING_MAX_ACTIVE_PER_ADDRESS": "100",
            "LEADGATE_BOOKING_MAX_ACTIVE_PER_NETWORK": "1000",
        }
        super().setUpClass()
        cls.day = bookable_day()
        wait_until(lambda: cls.db.scalar("SELECT count(*) FROM calendar_syncs WHERE synced_at IS NOT NULL") == 1, 20,
                   "Ana's calendar read once")

    def slots(self):
        reply = self.server.get(f"/v1/booking/slots?from={self.day}&to={self.day}&tz=Europe/Berlin")
        self.assertEqual(reply.status, 200, reply.body)
        return [slot["start"] for slot in reply.json()["slots"]]

    def book(self, start, email):
        reply = self.server.post_json("/v1/forms/consultation", {
            "name": "Vera Visitor", "email": email, "slot_start": utc_text(start), "timezone": "Europe/Berlin"})
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()["id"]

    def calendar_job(self, booking_id, template):
        """(status, attempts, last_error) of the booking's calendar job."""
        rows = self.db.query("SELECT status, attempts, last_error FROM jobs "
                             "WHERE booking_id = %s AND kind = 'calendar' AND template = %s", (booking_id, template))
        return rows[0] if rows else None

    def wait_for_job(self, booking_id, template, status="sent"):
        wait_until(lambda: (self.calendar_job(booking_id, template) or ("none",))[0] == status, 30,
                   f"{template} of {booking_id} {status}: {self.calendar_job(booking_id, template)}")

    def stored_event(self, uid):
        """The VEVENT the host's calendar holds for `uid`, parsed."""
        status, _, text = self.radicale.get_event("work", uid)
        self.assertEqual(status, 200, text)
        events = Calendar.from_ical(text).walk("VEVENT")
        self.assertEqual(len(events), 1, text)
        return events[0]

    def synced_after(self, moment):
        wait_until(lambda: self.db.scalar("SELECT synced_at > %s FROM calendar_syncs WHERE host_id = 'ana'",
                                          (moment,)), 20, "Ana's calendar read again")

    def worker_metrics(self):
        return self.worker.get("/metrics").text


class WriteBackTest(WriteBackServices):
    def test_a_booking_appears_in_the_hosts_calendar_and_does_not_block_its_own_time_twice(self):
        self.assertIn('leadgate_calendar_writes_total{outcome="dead"} 0\n', self.worker_metrics(),
                      "the counters exist from the start")
        ten = berlin(self.day, 10)
        booking_id = self.book(ten, "vera@example.com")
        uid = f"{booking_id}@{MAIL_DOMAIN}"
        self.wait_for_job(booking_id, "calendar_put")
        self.assertIn(f"{uid}.ics", self.radicale.list_events("work"))
        stored = self.stored_event(uid)
        self.assertEqual(str(stored["UID"]), uid)
        self.assertEqual(stored.decoded("DTSTART"), ten)
        self.assertEqual(stored.decoded("DTEND"), ten + datetime.timedelta(minutes=30))
        _, etag, _ = self.radicale.get_event("work", uid)
        self.assertEqual(self.db.scalar("SELECT calendar_etag FROM bookings WHERE id = %s", (booking_id,)), etag,
                         "the ETag is kept for the next write's If-Match")

        # Ana's own appointment in the same calendar is busy time; her copy
        # of the leadgate meeting is not: the booking blocks its slot once.
        eleven = berlin(self.day, 11)
        self.radicale.put_event("work", "dentist", event("dentist", eleven, eleven + datetime.timedelta(hours=1)))
        self.synced_after(self.db.scalar("SELECT now()"))
        busy = self.db.query("SELECT lower(during), upper(during) FROM busy_times WHERE host_id = 'ana' "
                             "ORDER BY lower(during)")
        self.assertEqual(busy, [(eleven, eleven + datetime.timedelta(hours=1))],
                         "only the dentist is busy time; the meeting is a booking, not an event")
        slots = self.slots()
        self.assertNotIn(utc_text(ten), slots, "the booked slot is offered to nobody else")
        self.assertIn(utc_text(ten + datetime.timedelta(minutes=30)), slots, "the next slot stays offered")
        self.assertNotIn(utc_text(eleven), slots)
        self.assertIn('leadgate_calendar_writes_total{outcome="sent"} ', self.worker_metrics())
        self.assertNotRegex(self.worker_metrics(), r'leadgate_calendar_writes_total\{outcome="sent"\} 0\n')

    def test_another_hosts_leadgate_meeting_in_this_calendar_is_busy_time(self):
        # Ana attends a meeting booked with another host: its invitation in
        # her calendar has a leadgate UID, but it is not her booking.
        noon = berlin(self.day, 12)
        self.assertIn(utc_text(noon), self.slots(), "free before the invitation")
        uid = f"{uuid.uuid4()}@{MAIL_DOMAIN}"
        before = self.db.scalar("SELECT now()")
        self.radicale.put_event("work", "joined", event(uid, noon, noon + datetime.timedelta(minutes=30)))
        self.synced_after(before)
        self.assertNotIn(utc_text(noon), self.slots())

    def test_erasing_the_visitor_deletes_their_meeting_from_the_hosts_calendar(self):
        half_past_two = berlin(self.day, 14, 30)
        booking_id = self.book(half_past_two, "erase.me@example.com")
        uid = f"{booking_id}@{MAIL_DOMAIN}"
        self.wait_for_job(booking_id, "calendar_put")
        self.assertEqual(self.radicale.get_event("work", uid)[0], 200)
        admin = create_token(self.db, "Privacy officer", "admin")
        erased = self.server.request("DELETE", "/v1/admin/subjects?email=erase.me@example.com", None, bearer(admin))
        self.assertEqual(erased.status, 200, erased.body)
        self.assertEqual(erased.json()["erased"]["bookings"], 1)
        wait_until(lambda: self.radicale.get_event("work", uid)[0] == 404, 30,
                   "the erased visitor's meeting gone from Ana's calendar")
        payloads = [row[0] for row in self.db.query("SELECT payload::text FROM jobs WHERE kind = 'calendar'")]
        self.assertFalse(any("erase.me" in payload for payload in payloads), "no job keeps the address")

    def test_cancelling_deletes_the_event_and_frees_the_slot(self):
        one = berlin(self.day, 13)
        booking_id = self.book(one, "cancel@example.com")
        uid = f"{booking_id}@{MAIL_DOMAIN}"
        self.wait_for_job(booking_id, "calendar_put")
        self.assertEqual(self.radicale.get_event("work", uid)[0], 200)
        text = self.smtp.wait_for(1, "cancel@example.com")[0].message.get_body(("plain",)).get_content()
        cancel_url = re.search(r"(http://\S+/v1/booking/cancel\?token=[0-9a-f]+)", text).group(1)
        self.assertEqual(self.server.request("POST", path_of(cancel_url)).status, 303)
        self.wait_for_job(booking_id, "calendar_delete")
        self.assertEqual(self.radicale.get_event("work", uid)[0], 404, "the event is gone from the calendar")
        self.assertNotIn(f"{uid}.ics", self.radicale.list_events("work"))
        self.assertIsNone(self.db.scalar("SELECT calendar_etag FROM bookings WHERE id = %s", (booking_id,)))
        self.assertIn(utc_text(one), self.slots(), "the slot is free again")

    def test_an_event_the_host_edited_is_replaced_by_the_next_write(self):
        two = berlin(self.day, 14)
        booking_id = self.book(two, "edited@example.com")
        uid = f"{booking_id}@{MAIL_DOMAIN}"
        self.wait_for_job(booking_id, "calendar_put")
        written = self.db.scalar("SELECT payload->>'ics' FROM jobs WHERE booking_id = %s AND template = 'calendar_put'",
                                 (booking_id,))
        # Ana edits the event in her calendar app: its ETag is no longer the
        # one leadgate keeps, so the next write's If-Match fails (412).
        self.radicale.put_event("work", uid, written.replace("SUMMARY:", "SUMMARY:Ana's note: "))
        kept = self.db.scalar("SELECT calendar_etag FROM bookings WHERE id = %s", (booking_id,))
        self.assertNotEqual(self.radicale.get_event("work", uid)[1], kept)
        updated = written.replace("SEQUENCE:0", "SEQUENCE:1")
        # The update a reschedule queues (and the NOTIFY at its commit).
        self.db.run_named("calendar_jobs.sql", "queue-calendar-write", "calendar_put", "ana",
                  json.dumps({"booking_id": booking_id, "host": "ana", "uid": uid, "ics": updated}), booking_id)
        self.db.query("NOTIFY jobs")
        wait_until(lambda: self.db.scalar("SELECT count(*) FROM jobs WHERE booking_id = %s AND template = "
                                          "'calendar_put' AND status = 'sent'", (booking_id,)) == 2, 30,
                   "the second write")
        stored = self.stored_event(uid)
        self.assertEqual(int(stored["SEQUENCE"]), 1, "leadgate's version replaced the edited one")
        self.assertNotIn("Ana's note", str(stored["SUMMARY"]))
        self.assertEqual(self.db.scalar("SELECT calendar_etag FROM bookings WHERE id = %s", (booking_id,)),
                         self.radicale.get_event("work", uid)[1])

    def test_a_write_for_a_host_no_longer_configured_is_dead_with_the_reason(self):
        booking_id = self.book(berlin(self.day, 16), "gone@example.com")
        self.wait_for_job(booking_id, "calendar_put")
        self.db.query("INSERT INTO jobs (kind, template, recipient, payload, booking_id) "
                      "VALUES ('calendar', 'calendar_delete', 'carla', %s, %s)",
                      (json.dumps({"booking_id": booking_id, "host": "carla", "uid": "x"}), booking_id))
        self.db.query("NOTIFY jobs")
        wait_until(lambda: self.db.scalar("SELECT status FROM jobs WHERE recipient = 'carla'") == "dead", 30,
                   "the job dead")
        self.assertIn('"carla" is no longer in booking.hosts',
                      self.db.scalar("SELECT last_error FROM jobs WHERE recipient = 'carla'"))


class WriteBackOutageTest(WriteBackServices):
    def test_a_calendar_outage_delays_the_write_and_loses_nothing(self):
        three = berlin(self.day, 15)
        self.radicale.stop()
        try:
            booking_id = self.book(three, "outage@example.com")
            wait_until(lambda: (self.calendar_job(booking_id, "calendar_put") or (None, 0))[1] >= 2, 30,
                       "the write tried again")
            status, attempts, last_error = self.calendar_job(booking_id, "calendar_put")
            self.assertEqual(status, "queued", "an outage never makes the write dead")
            self.assertIn("PUT http://127.0.0.1:", last_error)
            self.assertNotIn(self.radicale.password, last_error)
            self.assertNotIn(self.radicale.password, json.dumps(self.worker.events("calendar_write")))
        finally:
            self.radicale.start()
        self.wait_for_job(booking_id, "calendar_put")
        uid = f"{booking_id}@{MAIL_DOMAIN}"
        self.assertEqual(self.stored_event(uid).decoded("DTSTART"), three)
        self.assertEqual(self.db.scalar("SELECT status FROM bookings WHERE id = %s", (booking_id,)), "confirmed")


class CalendarJobOrderTest(DatabaseTest):
    """The writes of one booking run in the order they were queued, and an
    old write queued again by hand does not undo a newer one
    (db/queries/calendar_jobs.sql)."""

    def booking(self, hour):
        lead = self.db.scalar("INSERT INTO leads (id, form, name, email, consent_version) "
                              "VALUES (gen_random_uuid(), 'consultation', 'V', 'v@example.com', 'v1') RETURNING id")
        return self.db.scalar("INSERT INTO bookings (id, lead_id, starts_at, ends_at, blocked, visitor_timezone, "
                              "host_id) VALUES (gen_random_uuid(), %s, now() + make_interval(hours => %s), "
                              "now() + make_interval(hours => %s, mins => 30), tstzrange(now() + make_interval("
                              "hours => %s), now() + make_interval(hours => %s, mins => 30)), 'UTC', 'ana') "
                              "RETURNING id::text", (lead, hour, hour, hour, hour))

    def queue(self, template, booking_id):
        self.db.run_named("calendar_jobs.sql", "queue-calendar-write", template, "ana",
                       json.dumps({"booking_id": booking_id, "host": "ana", "uid": booking_id + "@x"}), booking_id)
        return self.db.scalar("SELECT max(id) FROM jobs")

    def claim(self, worker):
        """{job id: (stored ETag, superseded)} of what `worker` claims."""
        rows = self.db.run_named("calendar_jobs.sql", "claim-calendar-jobs", worker, 10, 60)
        return {row[0]: (row[10], row[11]) for row in rows}

    def test_a_bookings_writes_are_claimed_one_after_the_other(self):
        first, other = self.booking(100), self.booking(200)
        put, update, delete = (self.queue(t, first) for t in ("calendar_put", "calendar_put", "calendar_delete"))
        other_put = self.queue("calendar_put", other)
        self.assertEqual(self.claim("worker-1"), {put: (None, False), other_put: (None, False)},
                         "the first write of each booking")
        self.assertEqual(self.claim("worker-2"), {}, "the update waits while the put is being written")

        self.db.run_named("calendar_jobs.sql", "calendar-job-sent", put, "worker-2", 0, "201", '"e1"')
        self.assertIsNone(self.db.scalar("SELECT calendar_etag FROM bookings WHERE id = %s", (first,)),
                          "a worker without the lease records nothing")
        self.db.run_named("calendar_jobs.sql", "calendar-job-sent", put, "worker-1", 0, "201", '"e1"')
        self.assertEqual(self.db.scalar("SELECT status FROM jobs WHERE id = %s", (put,)), "sent")
        self.assertEqual(self.claim("worker-2"), {update: ('"e1"', False)}, "then the update, with the ETag")

        self.db.run_named("jobs.sql", "job-retry", update, "worker-2", 0, "503", 3600)
        self.assertEqual(self.claim("worker-2"), {}, "the delete waits for the update to be retried")
        self.db.run_named("jobs.sql", "retry-job", update)
        self.assertEqual(self.claim("worker-2"), {update: ('"e1"', False)})
        self.db.run_named("jobs.sql", "job-dead", update, "worker-2", 0, "400")
        self.assertEqual(self.claim("worker-2"), {delete: ('"e1"', False)}, "a dead write holds nothing up")
        self.db.run_named("calendar_jobs.sql", "calendar-job-sent", delete, "worker-2", 0, "204", None)
        self.assertIsNone(self.db.scalar("SELECT calendar_etag FROM bookings WHERE id = %s", (first,)))

        self.db.run_named("jobs.sql", "retry-job", update)
        self.assertEqual(self.claim("worker-1"), {update: (None, True)},
                         "the update queued again after the delete is superseded: it must not bring the event back")


if __name__ == "__main__":
    unittest.main()
