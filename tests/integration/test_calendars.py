"""Booking against the hosts' real calendars (docs/configuration.md, "Hosts
and calendars"): the worker reads each host's CalDAV calendar (Radicale) or
.ics feed into PostgreSQL, /v1/booking/slots offers the times when some
host is free, a booking goes to a free host, and a host whose calendar
cannot be read offers nothing."""

import datetime
import json
import unittest
import zoneinfo

from calendar_services import FeedServer, Radicale, require_radicale
from harness import Database, DatabaseTest, Server, Worker, require_environment, wait_until

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def bookable_day():
    """A weekday three to five days ahead (past the 24 h notice)."""
    day = datetime.date.today() + datetime.timedelta(days=3)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def berlin(day, hour, minute=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def utc_text(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ics_time(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def event(uid, start, end, *extra):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//leadgate tests//EN", "BEGIN:VEVENT", f"UID:{uid}",
             "DTSTAMP:20261201T000000Z", f"DTSTART:{ics_time(start)}", f"DTEND:{ics_time(end)}", *extra,
             "END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines)


def hosts_variable(*hosts):
    """LEADGATE_BOOKING_HOSTS: a TOML inline array of host tables."""
    def table(host):
        calendars = ", ".join(json.dumps(url) for url in host["calendars"])
        return (f'{{id = "{host["id"]}", name = "{host["name"]}", email = "{host["id"]}@example.com", '
                f'calendars = [{calendars}]}}')
    return "[" + ", ".join(table(host) for host in hosts) + "]"


class HostsTest(unittest.TestCase):
    """A worker syncing every second and a server, for the hosts that
    hosts() names (after Radicale has started, with a calendar "work"), with
    calendars stale after `max_stale` seconds."""

    max_stale = 4

    @classmethod
    def hosts(cls):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        require_environment(cls)
        require_radicale(cls)
        cls.radicale = Radicale()
        cls.ana_url = cls.radicale.make_calendar("work")
        cls.db = Database()
        env = {
            "LEADGATE_BOOKING_HOSTS": hosts_variable(*cls.hosts()),
            "LEADGATE_BOOKING_CALENDAR_SYNC_SECONDS": "1",
            "LEADGATE_BOOKING_CALENDAR_MAX_STALE_SECONDS": str(cls.max_stale),
        }
        cls.worker_env = env
        cls.worker = Worker(cls.db.url, extra_env=env)
        cls.server = Server(cls.db.url, extra_env=env)
        cls.day = bookable_day()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.worker.stop()
        cls.db.drop()
        cls.radicale.destroy()


class TwoHostsTest(HostsTest):
    """Ana's calendar is on Radicale, Ben's is a feed; the worker reads both
    every second."""

    @classmethod
    def hosts(cls):
        cls.feed = FeedServer(body="BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nEND:VCALENDAR\r\n")
        return ({"id": "ana", "name": "Ana Lima", "calendars": [cls.ana_url]},
                {"id": "ben", "name": "Ben Okafor", "calendars": [cls.feed.url()]})

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.feed.stop()

    def slots(self, host=None):
        query = f"/v1/booking/slots?from={self.day}&to={self.day}&tz=Europe/Berlin"
        reply = self.server.get(query + (f"&host={host}" if host else ""))
        self.assertEqual(reply.status, 200, reply.body)
        return [slot["start"] for slot in reply.json()["slots"]]

    def synced_after(self, moment, host):
        """Waits until every calendar of `host` has synced after `moment` (a DB timestamp)."""
        wait_until(lambda: self.db.scalar(
            "SELECT bool_and(synced_at > %s) FROM calendar_syncs WHERE host_id = %s", (moment, host)),
            20, f"{host}'s calendars synced")

    def now(self):
        return self.db.scalar("SELECT now()")

    def book(self, start, host=None, email="visitor@example.com"):
        body = {"name": "Vera Visitor", "email": email, "slot_start": utc_text(start), "timezone": "Europe/Berlin"}
        if host:
            body["host"] = host
        return self.server.post_json("/v1/forms/consultation", body)

    def test_a_worker_forgets_the_calendars_no_longer_configured(self):
        """A calendar removed from the configuration, a host removed, or a
        key shown differently since (a secret link's token now redacted):
        its sync row and busy time go when a worker starts."""
        self.db.query("INSERT INTO calendar_syncs (host_id, calendar, synced_at) VALUES "
                      "('ana', 'https://old.example/private-0a1b2c3d4e5f60718293/basic.ics', now()), "
                      "('gone', 'https://dav.example/gone/', now())")
        self.db.query("INSERT INTO busy_times (host_id, calendar, during) VALUES ('ana', "
                      "'https://old.example/private-0a1b2c3d4e5f60718293/basic.ics', tstzrange(now(), now() + interval '1 hour'))")
        another = Worker(self.db.url, extra_env=self.worker_env)
        try:
            wait_until(lambda: self.db.scalar("SELECT count(*) FROM calendar_syncs WHERE calendar LIKE '%%old.example%%' "
                                              "OR host_id = 'gone'") == 0, 20, "the old calendars forgotten")
        finally:
            another.stop()
        self.assertEqual(self.db.scalar("SELECT count(*) FROM busy_times WHERE calendar LIKE '%%old.example%%'"), 0)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM calendar_syncs WHERE host_id IN ('ana', 'ben')"), 2,
                         "the configured calendars stay")

    def test_a_busy_event_hides_the_slot_of_its_host_only(self):
        ten = berlin(self.day, 10)
        before = self.now()
        self.radicale.put_event("work", "dentist", event("dentist", ten, ten + datetime.timedelta(hours=1)))
        self.synced_after(before, "ana")
        self.assertNotIn(utc_text(ten), self.slots("ana"))
        self.assertNotIn(utc_text(ten + datetime.timedelta(minutes=30)), self.slots("ana"))
        self.assertIn(utc_text(ten + datetime.timedelta(hours=1)), self.slots("ana"))
        self.assertIn(utc_text(ten), self.slots("ben"))
        self.assertIn(utc_text(ten), self.slots(), "Ben is free then, so the slot is offered")

    def test_a_transparent_or_cancelled_event_keeps_the_host_free(self):
        eleven = berlin(self.day, 11)
        before = self.now()
        self.radicale.put_event("work", "reminder", event("reminder", eleven, eleven + datetime.timedelta(minutes=30),
                                                          "TRANSP:TRANSPARENT"))
        self.radicale.put_event("work", "off", event("off", eleven, eleven + datetime.timedelta(minutes=30),
                                                     "STATUS:CANCELLED"))
        self.synced_after(before, "ana")
        self.assertIn(utc_text(eleven), self.slots("ana"))

    def test_a_booking_with_a_host_meets_that_host_and_one_without_goes_round(self):
        one = berlin(self.day, 13)
        first = self.book(one, email="first@example.com")
        second = self.book(one, email="second@example.com")
        self.assertEqual((first.status, second.status), (201, 201), (first.body, second.body))
        hosts = self.db.query("SELECT host_id FROM bookings WHERE starts_at = %s ORDER BY created_at", (one,))
        self.assertEqual(sorted(row[0] for row in hosts), ["ana", "ben"], "one meeting each, at the same time")
        self.assertNotIn(utc_text(one), self.slots(), "both hosts are booked then")
        third = self.book(one, email="third@example.com")
        self.assertEqual(third.status, 409, third.body)

        two = berlin(self.day, 14)
        named = self.book(two, host="ben", email="fourth@example.com")
        self.assertEqual(named.status, 201, named.body)
        self.assertEqual(self.db.scalar("SELECT host_id FROM bookings WHERE starts_at = %s", (two,)), "ben")
        self.assertIn(utc_text(two), self.slots("ana"))
        self.assertNotIn(utc_text(two), self.slots("ben"))

    def test_a_meeting_booked_before_hosts_were_configured_keeps_every_host_busy(self):
        four = berlin(self.day, 16)
        before_hosts = Server(self.db.url)  # no booking.hosts: the implicit host "business"
        try:
            body = {"name": "Early Bird", "email": "early@example.com", "slot_start": utc_text(four),
                    "timezone": "Europe/Berlin"}
            self.assertEqual(before_hosts.post_json("/v1/forms/consultation", body).status, 201)
        finally:
            self.assertEqual(before_hosts.stop(), 0)
        self.assertEqual(self.db.scalar("SELECT host_id FROM bookings WHERE starts_at = %s", (four,)), "business")
        self.assertNotIn(utc_text(four), self.slots())
        self.assertEqual(self.book(four, email="late.bird@example.com").status, 409)

    def test_an_unknown_host_is_422(self):
        reply = self.server.get(f"/v1/booking/slots?from={self.day}&to={self.day}&tz=Europe/Berlin&host=carla")
        self.assertEqual(reply.status, 422)
        self.assertEqual(reply.json()["errors"][0]["field"], "host")
        self.assertEqual(self.book(berlin(self.day, 15), host="carla").status, 422)

    def test_a_booking_that_meets_a_freshly_synced_event_is_409(self):
        three = berlin(self.day, 15, 30)
        self.assertIn(utc_text(three), self.slots("ana"), "free before the event")
        before = self.now()
        self.radicale.put_event("work", "call", event("call", three, three + datetime.timedelta(minutes=30)))
        self.synced_after(before, "ana")
        reply = self.book(three, host="ana", email="late@example.com")
        self.assertEqual(reply.status, 409, reply.body)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM bookings WHERE host_id = 'ana' AND starts_at = %s",
                                        (three,)), 0)

    def test_a_feed_is_read_again_with_its_etag_and_its_events_are_busy(self):
        wait_until(lambda: self.feed.not_modified >= 2, 20, "the worker asking the feed with If-None-Match")
        nine = berlin(self.day, 9)
        before = self.now()
        self.feed.set_body(event("standup", nine, nine + datetime.timedelta(minutes=30)))
        self.synced_after(before, "ben")
        wait_until(lambda: utc_text(nine) not in self.slots("ben"), 20, "Ben's stand-up in his slots")

    def test_an_unchanged_feed_is_read_in_full_again_once_its_expansion_is_a_day_old(self):
        wait_until(lambda: self.feed.not_modified >= 1, 20, "the feed answering 304")
        self.db.query("UPDATE calendar_syncs SET expanded_at = now() - interval '2 days' WHERE host_id = 'ben'")
        seen = len(self.feed.requests)
        wait_until(lambda: any("if-none-match" not in request.headers for request in self.feed.requests[seen:]), 20,
                   "a request without If-None-Match")
        wait_until(lambda: self.db.scalar("SELECT expanded_at > now() - interval '1 minute' FROM calendar_syncs "
                                          "WHERE host_id = 'ben'"), 20, "the feed expanded anew")

    def test_the_worker_reports_each_hosts_sync_in_its_metrics(self):
        def metrics():
            return self.worker.get("/metrics").text
        wait_until(lambda: 'leadgate_calendar_sync_total{host="ana",outcome="synced"} 0' not in metrics(), 20,
                   "a counted sync")
        text = metrics()
        for host in ("ana", "ben"):
            line = next(line for line in text.splitlines()
                        if line.startswith(f'leadgate_calendar_sync_age_seconds{{host="{host}"}}'))
            self.assertLess(float(line.split()[-1]), 4, line)


class UnreachableCalendarTest(HostsTest):
    """A calendar server that goes away: its host's slots go once the
    calendar is stale, and come back once it is read again."""

    max_stale = 3

    @classmethod
    def hosts(cls):
        return ({"id": "ana", "name": "Ana Lima", "calendars": [cls.ana_url]},)

    def slot_count(self):
        reply = self.server.get(f"/v1/booking/slots?from={self.day}&to={self.day}&tz=Europe/Berlin")
        return len(reply.json()["slots"])

    def test_no_slots_while_the_calendar_cannot_be_read_and_back_after(self):
        wait_until(lambda: self.slot_count() > 0, 20, "slots once the calendar was read")
        self.radicale.stop()
        try:
            wait_until(lambda: self.slot_count() == 0, 20, "no slots once the calendar is stale")
            wait_until(lambda: self.worker.events("calendar_stale"), 20, "a calendar_stale log line")
            stale = self.worker.events("calendar_stale")[-1]
            self.assertEqual(stale["host"], "ana")
            self.assertNotIn(self.radicale.password, json.dumps(stale), "the log names no password")
            booking = self.server.post_json("/v1/forms/consultation", {
                "name": "Vera", "email": "vera@example.com", "timezone": "Europe/Berlin",
                "slot_start": utc_text(berlin(self.day, 10))})
            self.assertEqual(booking.status, 409, "nothing is booked against a calendar nobody can read")
            self.assertEqual(self.server.ops_get("/readyz")[0], 200, "the forms still work: still ready")
        finally:
            self.radicale.start()
        wait_until(lambda: self.slot_count() > 0, 20, "slots again once the calendar is read")


class CalendarLeaseTest(DatabaseTest):
    """Two workers never sync one calendar at the same time: the lease
    (db/queries/calendars.sql) goes to one, and only its holder records the
    outcome."""

    def run_query(self, name, *params):
        return self.db.run_named("calendars.sql", name, *params)

    def test_a_due_calendar_is_leased_to_one_worker_and_only_the_holder_records(self):
        self.run_query("ensure-calendar-sync", ["ana"], ["https://dav.example/ana/"])
        calendar = ("ana", "https://dav.example/ana/")
        first = self.run_query("lease-calendar-sync", *calendar, "worker-1", 60, 1)
        second = self.run_query("lease-calendar-sync", *calendar, "worker-2", 60, 1)
        self.assertEqual((len(first), len(second)), (1, 0), "one lease at a time")
        self.assertEqual(self.run_query("calendar-synced", *calendar, "worker-2", None, True), [],
                         "a worker without the lease records nothing")
        self.assertEqual(len(self.run_query("calendar-synced", *calendar, "worker-1", '"v1"', True)), 1)
        self.assertEqual(self.run_query("lease-calendar-sync", *calendar, "worker-2", 60, 3600), [],
                         "just synced: not due again within the interval")


if __name__ == "__main__":
    unittest.main()
