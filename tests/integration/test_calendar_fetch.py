"""`leadgate calendar busy URL`: the busy times leadgate reads from a host's
calendar, from a real CalDAV server (Radicale) and from iCalendar feeds, and
how it fails, without crashing and without showing a password, when the
calendar server is wrong, hostile, huge or silent.

Expected times are computed here with Python's zoneinfo, independently of
libical, from dates relative to today: a window is always now … now + N days.
"""

import base64
import datetime
import gzip
import json
import os
import subprocess
import time
import unittest
import xml.etree.ElementTree as ElementTree
from zoneinfo import ZoneInfo

from calendar_services import FeedServer, Radicale, SilentServer, require_radicale
from harness import BIN, ROOT, SANITIZER_MARKERS, base_environment, missing_prerequisite

UTC = datetime.timezone.utc
BERLIN = "Europe/Berlin"

VTIMEZONES = {
    "Europe/Berlin": """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE""",
    "America/New_York": """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE""",
}


def today():
    return datetime.datetime.now(UTC).date()


def utc(day, hhmm, zone="UTC"):
    """The instant `hhmm` on `day` in `zone`, as leadgate prints it."""
    hour, minute = map(int, hhmm.split(":"))
    local = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local(day, hhmm):
    """iCalendar's local DATE-TIME: 20261208T090000."""
    return day.strftime("%Y%m%d") + "T" + hhmm.replace(":", "") + "00"


def date_value(day):
    return day.strftime("%Y%m%d")


def event(uid, *properties):
    return "\n".join(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261201T000000Z", *properties, "END:VEVENT"])


def calendar(*events, zones=()):
    """A VCALENDAR with `events` and the VTIMEZONEs of `zones`, CRLF lines."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//leadgate tests//EN",
             *(VTIMEZONES[zone] for zone in zones), *events, "END:VCALENDAR"]
    return "\r\n".join("\n".join(lines).split("\n")) + "\r\n"


def next_offset_change(zone, after):
    """The first local date after `after` on which `zone`'s UTC offset
    differs from the day before (a daylight saving change)."""
    tz = ZoneInfo(zone)
    day = after
    while True:
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=tz)
        if noon.utcoffset() != (noon - datetime.timedelta(days=1)).utcoffset():
            return day
        day += datetime.timedelta(days=1)


class Busy:
    """What one `leadgate calendar busy` printed and returned."""

    def __init__(self, result, elapsed):
        self.code = result.returncode
        self.stdout = result.stdout
        self.stderr = result.stderr
        self.elapsed = elapsed
        self.intervals = []
        self.summary = None
        if self.code == 0:
            lines = [json.loads(line) for line in result.stdout.splitlines()]
            self.summary = lines[-1]
            self.intervals = [(line["start"], line["end"]) for line in lines[:-1]]

    def __repr__(self):
        return f"exit {self.code}\nstdout: {self.stdout}\nstderr: {self.stderr}"


class CalendarTest(unittest.TestCase):
    def busy(self, url, *options, zone=BERLIN, stdin=None, timeout=60):
        started = time.monotonic()
        result = subprocess.run([BIN, "calendar", "busy", url, *options], cwd=ROOT,
                                env=base_environment({"LEADGATE_BOOKING_TIMEZONE": zone}), input=stdin,
                                capture_output=True, text=True, timeout=timeout)
        busy = Busy(result, time.monotonic() - started)
        for marker in SANITIZER_MARKERS:
            self.assertNotIn(marker, result.stderr, "sanitizer report")
        return busy

    def assert_busy(self, busy, intervals):
        self.assertEqual(busy.code, 0, busy)
        self.assertEqual(busy.intervals, intervals, busy)
        self.assertEqual(busy.summary["intervals"], len(intervals))
        self.assertTrue(busy.summary["changed"])

    def assert_fails(self, busy, *words):
        """Exit 1 (not a crash, not a sanitizer's code), nothing on stdout,
        and a message on stderr with each of `words`."""
        self.assertEqual(busy.code, 1, busy)
        self.assertEqual(busy.stdout, "", busy)
        self.assertTrue(busy.stderr.startswith("leadgate: "), busy)
        for word in words:
            self.assertIn(word, busy.stderr)


def require_binary(test):
    if not BIN:
        missing_prerequisite(test, "run through scripts/test (LEADGATE_BIN unset)")


class CalDavTest(CalendarTest):
    """A calendar collection on Radicale per test; events PUT over CalDAV."""

    @classmethod
    def setUpClass(cls):
        require_binary(cls)
        require_radicale(cls)
        cls.radicale = Radicale()
        cls.addClassCleanup(cls.radicale.destroy)
        cls.collections = 0

    def setUp(self):
        type(self).collections += 1
        self.collection = f"cal{self.collections}"
        self.url = self.radicale.make_calendar(self.collection)

    def put(self, uid, *properties, zones=()):
        self.radicale.put_event(self.collection, uid, calendar(event(uid, *properties), zones=zones))

    def test_a_weekly_meeting_is_busy_at_its_wall_clock_time_without_its_exception_and_with_its_moved_instance(self):
        # The series began nine weeks ago (in October, before the clocks went
        # back, when this runs in December): 10:00 in Berlin stays 10:00.
        first = today() + datetime.timedelta(days=2)
        week = datetime.timedelta(days=7)
        began = first - 9 * week
        master = event("weekly", f"DTSTART;TZID={BERLIN}:{local(began, '10:00')}",
                       f"DTEND;TZID={BERLIN}:{local(began, '11:00')}", "SUMMARY:Team meeting", "RRULE:FREQ=WEEKLY",
                       f"EXDATE;TZID={BERLIN}:{local(first + week, '10:00')}")
        moved = event("weekly", f"RECURRENCE-ID;TZID={BERLIN}:{local(first + 2 * week, '10:00')}",
                      f"DTSTART;TZID={BERLIN}:{local(first + 2 * week + datetime.timedelta(days=1), '15:00')}",
                      f"DTEND;TZID={BERLIN}:{local(first + 2 * week + datetime.timedelta(days=1), '15:30')}",
                      "SUMMARY:Team meeting (moved)")
        self.radicale.put_event(self.collection, "weekly", calendar(master, moved, zones=[BERLIN]))

        busy = self.busy(self.url, "--days", "28")

        moved_day = first + 2 * week + datetime.timedelta(days=1)
        self.assert_busy(busy, [(utc(first, "10:00", BERLIN), utc(first, "11:00", BERLIN)),
                                (utc(moved_day, "15:00", BERLIN), utc(moved_day, "15:30", BERLIN)),
                                (utc(first + 3 * week, "10:00", BERLIN), utc(first + 3 * week, "11:00", BERLIN))])

    def test_a_series_keeps_its_wall_clock_time_across_a_daylight_saving_change(self):
        change = next_offset_change(BERLIN, today() + datetime.timedelta(days=5))
        first = change - datetime.timedelta(days=3)
        self.put("across", f"DTSTART;TZID={BERLIN}:{local(first, '09:00')}",
                 f"DTEND;TZID={BERLIN}:{local(first, '09:45')}", "RRULE:FREQ=WEEKLY;COUNT=2", zones=[BERLIN])
        after = first + datetime.timedelta(days=7)
        # The test holds only if the two instances differ in UTC.
        self.assertNotEqual(utc(first, "09:00", BERLIN)[11:], utc(after, "09:00", BERLIN)[11:])

        busy = self.busy(self.url, "--days", str((after - today()).days + 2))

        self.assert_busy(busy, [(utc(first, "09:00", BERLIN), utc(first, "09:45", BERLIN)),
                                (utc(after, "09:00", BERLIN), utc(after, "09:45", BERLIN))])

    def test_an_all_day_event_blocks_the_whole_day_in_the_business_time_zone(self):
        day = today() + datetime.timedelta(days=3)
        following = day + datetime.timedelta(days=1)
        self.put("offsite", f"DTSTART;VALUE=DATE:{date_value(day)}", f"DTEND;VALUE=DATE:{date_value(following)}",
                 "SUMMARY:Offsite")

        for zone in (BERLIN, "America/Los_Angeles"):
            with self.subTest(zone=zone):
                busy = self.busy(self.url, zone=zone)
                self.assert_busy(busy, [(utc(day, "00:00", zone), utc(following, "00:00", zone))])

    def test_a_floating_time_is_read_in_the_business_time_zone(self):
        day = today() + datetime.timedelta(days=3)
        self.put("floating", f"DTSTART:{local(day, '09:00')}", f"DTEND:{local(day, '10:00')}")

        for zone in (BERLIN, "Asia/Tokyo"):
            with self.subTest(zone=zone):
                self.assert_busy(self.busy(self.url, zone=zone), [(utc(day, "09:00", zone), utc(day, "10:00", zone))])

    def test_an_event_in_new_york_is_busy_at_new_york_time_whatever_the_business_zone(self):
        day = today() + datetime.timedelta(days=4)
        zone = "America/New_York"
        self.put("call", f"DTSTART;TZID={zone}:{local(day, '09:00')}", f"DTEND;TZID={zone}:{local(day, '10:30')}",
                 "SUMMARY:Call with the New York office", zones=[zone])

        busy = self.busy(self.url, zone=BERLIN)

        self.assert_busy(busy, [(utc(day, "09:00", zone), utc(day, "10:30", zone))])

    def test_transparent_and_cancelled_events_are_not_busy(self):
        day = today() + datetime.timedelta(days=2)
        self.put("meeting", f"DTSTART:{local(day, '09:00')}Z", f"DTEND:{local(day, '10:00')}Z")
        self.put("reminder", f"DTSTART:{local(day, '11:00')}Z", f"DTEND:{local(day, '12:00')}Z", "TRANSP:TRANSPARENT")
        self.put("called-off", f"DTSTART:{local(day, '13:00')}Z", f"DTEND:{local(day, '14:00')}Z", "STATUS:CANCELLED")

        self.assert_busy(self.busy(self.url), [(utc(day, "09:00"), utc(day, "10:00"))])

    def test_a_deleted_event_is_no_longer_busy(self):
        day = today() + datetime.timedelta(days=2)
        self.put("stays", f"DTSTART:{local(day, '09:00')}Z", f"DTEND:{local(day, '10:00')}Z")
        self.put("goes", f"DTSTART:{local(day, '14:00')}Z", f"DTEND:{local(day, '15:00')}Z")
        self.assert_busy(self.busy(self.url),
                         [(utc(day, "09:00"), utc(day, "10:00")), (utc(day, "14:00"), utc(day, "15:00"))])

        self.radicale.delete_event(self.collection, "goes")

        self.assert_busy(self.busy(self.url), [(utc(day, "09:00"), utc(day, "10:00"))])

    def test_events_outside_the_window_are_not_shown(self):
        self.put("soon", f"DTSTART:{local(today() + datetime.timedelta(days=2), '09:00')}Z",
                 f"DTEND:{local(today() + datetime.timedelta(days=2), '10:00')}Z")
        self.put("later", f"DTSTART:{local(today() + datetime.timedelta(days=10), '09:00')}Z",
                 f"DTEND:{local(today() + datetime.timedelta(days=10), '10:00')}Z")
        self.put("past", f"DTSTART:{local(today() - datetime.timedelta(days=2), '09:00')}Z",
                 f"DTEND:{local(today() - datetime.timedelta(days=2), '10:00')}Z")

        busy = self.busy(self.url, "--days", "5")

        soon = today() + datetime.timedelta(days=2)
        self.assert_busy(busy, [(utc(soon, "09:00"), utc(soon, "10:00"))])

    def test_the_summary_names_the_calendar_without_its_credentials(self):
        day = today() + datetime.timedelta(days=2)
        self.put("meeting", f"DTSTART:{local(day, '09:00')}Z", f"DTEND:{local(day, '10:00')}Z")

        busy = self.busy(self.url)

        self.assert_busy(busy, [(utc(day, "09:00"), utc(day, "10:00"))])
        self.assertEqual(busy.summary, {"calendar": self.radicale.url(self.collection, with_credentials=False),
                                        "changed": True, "intervals": 1, "etag": None})
        self.assertNotIn("s3cret", busy.stdout + busy.stderr)

    def test_the_url_may_come_from_standard_input(self):
        day = today() + datetime.timedelta(days=2)
        self.put("meeting", f"DTSTART:{local(day, '09:00')}Z", f"DTEND:{local(day, '10:00')}Z")

        busy = self.busy("-", stdin=self.url + "\n")

        self.assert_busy(busy, [(utc(day, "09:00"), utc(day, "10:00"))])
        self.assertEqual(busy.summary["calendar"], self.radicale.url(self.collection, with_credentials=False))

    def test_a_wrong_password_fails_without_showing_it(self):
        busy = self.busy(self.radicale.url(self.collection, password="Wr0ng-pa55"))

        self.assert_fails(busy, "401", self.radicale.url(self.collection, with_credentials=False))
        self.assertNotIn("Wr0ng-pa55", busy.stderr)
        self.assertNotIn("ana:", busy.stderr)

    def test_a_url_that_is_not_a_calendar_fails(self):
        busy = self.busy(self.radicale.url("no-such-calendar"))

        self.assert_fails(busy, "404", self.radicale.url("no-such-calendar", with_credentials=False))

    def test_a_stopped_calendar_server_fails_and_one_back_again_answers(self):
        day = today() + datetime.timedelta(days=2)
        self.put("meeting", f"DTSTART:{local(day, '09:00')}Z", f"DTEND:{local(day, '10:00')}Z")
        self.radicale.stop()
        try:
            self.assert_fails(self.busy(self.url), self.radicale.url(self.collection, with_credentials=False))
        finally:
            self.radicale.start()

        self.assert_busy(self.busy(self.url), [(utc(day, "09:00"), utc(day, "10:00"))])


def multistatus(*calendar_texts, dav="d", caldav="cal"):
    """A 207 body as a CalDAV server might write it, with the prefixes
    given, and a decoy calendar-data in a namespace that is not CalDAV's."""
    decoy = calendar(event("decoy", "DTSTART:20261201T000000Z", "DTEND:20361201T000000Z"))
    responses = "".join(
        f"<{dav}:response><{dav}:href>/cal/{n}.ics</{dav}:href><{dav}:propstat><{dav}:prop>"
        f"<{dav}:getetag>\"{n}\"</{dav}:getetag>"
        f"<{caldav}:calendar-data>{text.replace(chr(13), '&#13;')}</{caldav}:calendar-data>"
        f"<C:calendar-data xmlns:C=\"urn:example:not-caldav\">{decoy}</C:calendar-data>"
        f"</{dav}:prop><{dav}:status>HTTP/1.1 200 OK</{dav}:status></{dav}:propstat></{dav}:response>"
        for n, text in enumerate(calendar_texts))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<{dav}:multistatus xmlns:{dav}="DAV:" '
            f'xmlns:{caldav}="urn:ietf:params:xml:ns:caldav">{responses}</{dav}:multistatus>')


class HttpTest(CalendarTest):
    """Feeds, and CalDAV answers no honest server gives, from FeedServer."""

    @classmethod
    def setUpClass(cls):
        require_binary(cls)

    def serve(self, body=b"", path="/team.ics"):
        server = FeedServer(body, path)
        self.addCleanup(server.stop)
        return server

    def one_event(self, day, start, end, uid="e"):
        return calendar(event(uid, f"DTSTART:{local(day, start)}Z", f"DTEND:{local(day, end)}Z"))

    def test_a_feed_is_read_then_not_modified_until_it_changes(self):
        day = today() + datetime.timedelta(days=2)
        feed = self.serve(self.one_event(day, "09:00", "10:00"))

        first = self.busy(feed.url())
        self.assert_busy(first, [(utc(day, "09:00"), utc(day, "10:00"))])
        self.assertEqual(first.summary["etag"], feed.etag)
        self.assertEqual(feed.methods(), ["GET"])
        self.assertNotIn("if-none-match", feed.last_request().headers)

        same = self.busy(feed.url(), "--if-none-match", first.summary["etag"])
        self.assertEqual(same.code, 0, same)
        self.assertEqual(same.intervals, [])
        self.assertEqual(same.summary, {"calendar": feed.url(), "changed": False, "intervals": 0, "etag": feed.etag})
        self.assertEqual(feed.last_request().headers["if-none-match"], feed.etag)
        self.assertEqual(feed.not_modified, 1)

        feed.set_body(self.one_event(day, "13:00", "14:30"))
        changed = self.busy(feed.url(), "--if-none-match", first.summary["etag"])
        self.assert_busy(changed, [(utc(day, "13:00"), utc(day, "14:30"))])
        self.assertEqual(changed.summary["etag"], feed.etag)
        self.assertNotEqual(changed.summary["etag"], first.summary["etag"])
        self.assertEqual(feed.not_modified, 1)

    def test_webcal_urls_and_an_upper_case_ics_path_are_fetched_as_feeds(self):
        day = today() + datetime.timedelta(days=2)
        feed = self.serve(self.one_event(day, "09:00", "10:00"), path="/calendar/feed")
        for url in (feed.url(scheme="webcal"), feed.url("/calendar/TEAM.ICS")):
            with self.subTest(url=url):
                busy = self.busy(url)
                self.assert_busy(busy, [(utc(day, "09:00"), utc(day, "10:00"))])
                self.assertEqual(busy.summary["calendar"], url)
                self.assertEqual(feed.last_request().method, "GET")

    def test_a_collection_is_asked_for_the_window_with_a_calendar_query(self):
        day = today() + datetime.timedelta(days=2)
        server = self.serve(multistatus(self.one_event(day, "09:00", "10:00"), self.one_event(day, "12:00", "13:00")),
                            path="/dav/ana/work/")
        server.status = 207
        server.content_type = "application/xml; charset=utf-8"

        before = datetime.datetime.now(UTC).replace(microsecond=0)
        busy = self.busy(server.url(), "--days", "3")
        after = datetime.datetime.now(UTC)

        # By namespace, whatever the prefixes; the decoy in another
        # namespace (a whole decade busy) is not read.
        self.assert_busy(busy, [(utc(day, "09:00"), utc(day, "10:00")), (utc(day, "12:00"), utc(day, "13:00"))])
        request = server.last_request()
        self.assertEqual((request.method, request.path), ("REPORT", "/dav/ana/work/"))
        self.assertEqual(request.headers["depth"], "1")
        self.assertEqual(request.headers["content-type"], "application/xml; charset=utf-8")
        dav, caldav = "{DAV:}", "{urn:ietf:params:xml:ns:caldav}"
        query = ElementTree.fromstring(request.body)
        self.assertEqual(query.tag, caldav + "calendar-query")
        self.assertEqual([child.tag for child in query.find(dav + "prop")], [dav + "getetag", caldav + "calendar-data"])
        outer = query.find(f"{caldav}filter/{caldav}comp-filter")
        inner = outer.find(caldav + "comp-filter")
        self.assertEqual((outer.get("name"), inner.get("name")), ("VCALENDAR", "VEVENT"))
        window = inner.find(caldav + "time-range")
        start = datetime.datetime.strptime(window.get("start"), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        end = datetime.datetime.strptime(window.get("end"), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        self.assertTrue(before <= start <= after, (before, start, after))
        self.assertEqual(end - start, datetime.timedelta(days=3))

    def test_a_different_prefix_for_each_namespace_reads_the_same(self):
        day = today() + datetime.timedelta(days=2)
        server = self.serve(multistatus(self.one_event(day, "09:00", "10:00"), dav="D", caldav="C"), path="/dav/")
        server.status = 207

        self.assert_busy(self.busy(server.url()), [(utc(day, "09:00"), utc(day, "10:00"))])

    def test_garbage_fails_without_a_crash(self):
        day = today() + datetime.timedelta(days=2)
        truncated = multistatus(self.one_event(day, "09:00", "10:00")).replace(
            "</d:multistatus>",
            "<d:response><d:href>/cal/</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>"
            "</d:multistatus>")
        # A calendar shared as free/busy only: the server lists the event but
        # withholds its data.
        withheld = multistatus(self.one_event(day, "09:00", "10:00")).replace(
            "HTTP/1.1 200 OK", "HTTP/1.1 403 Forbidden")
        cases = [
            ("/dav/", 207, "application/xml", withheld, "withheld"),
            ("/dav/", 207, "application/xml", b"this is not XML at all", "not XML"),
            ("/dav/", 207, "application/xml", b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>",
             "multistatus"),
            ("/dav/", 207, "application/xml", multistatus(self.one_event(day, "09:00", "10:00"))[:300], "not XML"),
            ("/dav/", 207, "application/xml", truncated, "507"),
            ("/dav/", 200, "text/calendar", self.one_event(day, "09:00", "10:00"), "200"),
            ("/dav/", 207, "application/xml", bytes(range(256)) * 4, "not XML"),
            ("/team.ics", 200, "text/html", "<!doctype html><html><body>Sign in</body></html>", ""),
            ("/team.ics", 200, "text/calendar", b"\x00\xff\xfe" * 1000, ""),
            ("/team.ics", 500, "text/plain", "Internal Server Error", "500"),
            ("/team.ics", 204, "text/calendar", "", ""),
        ]
        for path, status, content_type, body, word in cases:
            with self.subTest(path=path, status=status, body=body[:40]):
                server = self.serve(body, path)
                server.status = status
                server.content_type = content_type
                self.assert_fails(self.busy(server.url()), server.url(), word)

    def test_a_document_type_is_refused_and_no_entity_is_expanded_or_loaded(self):
        server = self.serve(b"", "/dav/")
        server.status = 207
        hostname = "localhost"
        if os.path.exists("/etc/hostname"):
            with open("/etc/hostname", encoding="utf-8") as handle:
                hostname = handle.read().strip() or hostname
        body = ('<?xml version="1.0"?><!DOCTYPE d:multistatus [<!ENTITY x SYSTEM "{target}">]>'
                '<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response><d:propstat>'
                '<d:prop><c:calendar-data>&x;</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status>'
                '</d:propstat></d:response></d:multistatus>')
        for target in ("file:///etc/hostname", "file:///dev/zero", server.url("/external")):
            with self.subTest(target=target):
                server.set_body(body.format(target=target))
                busy = self.busy(server.url(), timeout=30)
                self.assert_fails(busy, "document type")
                self.assertNotIn(hostname, busy.stderr.replace("127.0.0.1", ""))
        self.assertNotIn("/external", [request.path for request in server.requests])

        laughs = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
        server.set_body('<?xml version="1.0"?><!DOCTYPE d:multistatus [<!ENTITY l0 "lol">' + laughs + ']>'
                        '<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:response>'
                        '<d:propstat><d:prop><c:calendar-data>&l9;</c:calendar-data></d:prop>'
                        '<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>')
        busy = self.busy(server.url(), timeout=30)
        self.assertEqual(busy.code, 1, busy)
        self.assertLess(busy.elapsed, 10)

    def test_a_body_over_the_size_limit_fails(self):
        feed = self.serve(b"BEGIN:VCALENDAR\r\n" + b"X-FILLER:" + b"x" * (11 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n")

        self.assert_fails(self.busy(feed.url()), feed.url(), "larger than 10485760 bytes")

    def test_a_compressed_feed_is_read_and_its_unpacked_size_is_what_counts(self):
        day = today() + datetime.timedelta(days=2)
        feed = self.serve(self.one_event(day, "09:00", "10:00"))
        feed.gzip = True

        self.assert_busy(self.busy(feed.url()), [(utc(day, "09:00"), utc(day, "10:00"))])
        self.assertIn("gzip", feed.last_request().headers["accept-encoding"])

        feed.set_body(b"BEGIN:VCALENDAR\r\n" + b" " * (11 * 1024 * 1024) + b"END:VCALENDAR\r\n")
        self.assertLess(len(gzip.compress(feed.body)), 100_000)
        self.assert_fails(self.busy(feed.url()), "larger than 10485760 bytes")

    def test_a_server_that_never_answers_fails_within_the_timeout(self):
        silent = SilentServer()
        self.addCleanup(silent.stop)
        for url in (silent.url("/dav/"), silent.url("/team.ics")):
            with self.subTest(url=url):
                busy = self.busy(url, "--timeout", "2")
                self.assert_fails(busy, url, "no complete answer within 2 s")
                self.assertGreaterEqual(busy.elapsed, 1.9)
                self.assertLess(busy.elapsed, 10)

    def test_credentials_go_to_their_own_host_only(self):
        day = today() + datetime.timedelta(days=2)
        elsewhere = self.serve(self.one_event(day, "09:00", "10:00"))
        first = self.serve()
        first.location = elsewhere.url()
        url = first.url(credentials=("ana", "p@ss:wörd/1"))

        busy = self.busy(url)

        self.assert_busy(busy, [(utc(day, "09:00"), utc(day, "10:00"))])
        self.assertEqual(first.last_request().headers["authorization"],
                         "Basic " + base64.b64encode("ana:p@ss:wörd/1".encode()).decode())
        self.assertNotIn("authorization", elsewhere.last_request().headers)
        self.assertEqual(busy.summary["calendar"], first.url())

    def test_redirects_stop_after_three_and_never_leave_http(self):
        day = today() + datetime.timedelta(days=2)
        feed = self.serve(self.one_event(day, "09:00", "10:00"))
        feed.location = feed.url()
        self.assert_fails(self.busy(feed.url()), feed.url(), "redirects")
        self.assertEqual(len(feed.requests), 4)

        feed.location = "file:///etc/passwd"
        busy = self.busy(feed.url())
        self.assert_fails(busy, feed.url())
        self.assertNotIn("root:", busy.stderr)

    def test_only_http_urls_are_read(self):
        for url in ("ftp://ana:pw-9@127.0.0.1/team.ics", "file:///etc/passwd", "not a url", ""):
            with self.subTest(url=url):
                busy = self.busy(url)
                self.assert_fails(busy)
                self.assertNotIn("pw-9", busy.stderr)


if __name__ == "__main__":
    unittest.main()
