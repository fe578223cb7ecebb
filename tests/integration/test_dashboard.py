"""The dashboard (issue 22 item 3; docs/sales-api.md, "Dashboard"):
GET /v1/admin/stats and /admin/dashboard count exactly the leads, status
changes, bookings and spam this test creates at known times, in days of the
business zone; the page shows the same numbers in its tables, passes
axe-core and fits a 360 px phone."""

import datetime
import statistics
import unittest
import uuid
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By

import browser
from admin_api import bearer, create_token
from harness import ServiceTest
from test_admin_page import BrowserSteps

ZONE = "America/New_York"
LOCAL = ZoneInfo(ZONE)
UTC = datetime.timezone.utc
# Two weeks across the start of daylight saving time (2026-03-08 in New
# York), so that a day is not always 24 hours long.
FROM, TO = datetime.date(2026, 3, 1), datetime.date(2026, 3, 14)
FORMS = ("estimate", "consultation")
STATUSES = ("new", "contacted", "qualified", "won", "lost", "spam")


def utc(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


# (when it came in (UTC), form, utm_source, referrer, status changes as
# (hours after it came in, new status), spam by honeypot)
LEADS = [
    # 22:00 on 28 February in New York: before the range.
    ("2026-03-01T03:00:00", "estimate", "google", None, [], False),
    # 00:30 on 1 March in New York: the first day.
    ("2026-03-01T05:30:00", "estimate", "google", None, [(2, "contacted"), (30, "won")], False),
    ("2026-03-02T15:00:00", "consultation", None, "https://www.Bing.com/search?q=apps", [(5, "qualified")], False),
    ("2026-03-02T16:00:00", "estimate", "", "http://user@news.example:8080/item", [], False),
    ("2026-03-03T12:00:00", "estimate", None, None, [(1, "lost")], False),
    ("2026-03-08T06:30:00", "consultation", "newsletter", None, [(10, "contacted")], False),
    ("2026-03-09T14:00:00", "estimate", "google", None, [], True),
    ("2026-03-10T14:00:00", "estimate", None, None, [(4, "spam")], False),
    # 23:30 on 14 March in New York (EDT, UTC-4): the last day.
    ("2026-03-15T03:30:00", "consultation", "google", None, [], False),
    # 00:30 on 15 March in New York: after the range.
    ("2026-03-15T04:30:00", "estimate", "google", None, [], False),
]

# (meeting start (UTC), status, outcome)
BOOKINGS = [
    ("2026-03-02T15:00:00", "confirmed", "attended"),
    ("2026-03-04T15:00:00", "confirmed", None),
    ("2026-03-05T15:00:00", "cancelled", None),
    ("2026-03-06T15:00:00", "confirmed", "no_show"),
    ("2026-03-15T05:00:00", "confirmed", "attended"),  # 15 March in New York: after the range
]


def source_of(utm_source, referrer):
    if utm_source:
        return utm_source
    if referrer:
        host = referrer.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
        return host.lower()
    return "direct"


def local_day(instant):
    return instant.astimezone(LOCAL).date()


def period_start(day, group):
    return day - datetime.timedelta(days=day.weekday()) if group == "week" else day


def expected_stats(group):
    """The figures for FROM..TO as computed here from LEADS and BOOKINGS."""
    in_range = [lead for lead in LEADS if FROM <= local_day(utc(lead[0])) <= TO]
    statuses = {status: 0 for status in STATUSES}
    for lead in in_range:
        status = "spam" if lead[5] else (lead[4][-1][1] if lead[4] else "new")
        statuses[status] += 1
    first, day = period_start(FROM, group), datetime.timedelta(days=7 if group == "week" else 1)
    periods = {}
    while first <= TO:
        periods[first.isoformat()] = {"start": first.isoformat(), "total": 0,
                                      "by_form": {form: 0 for form in FORMS}, "by_source": {}}
        first += day
    by_form, by_source = {form: 0 for form in FORMS}, {}
    for when, form, utm_source, referrer, changes, honeypot in in_range:
        status = "spam" if honeypot else (changes[-1][1] if changes else "new")
        if status == "spam":
            continue
        source = source_of(utm_source, referrer)
        period = periods[period_start(local_day(utc(when)), group).isoformat()]
        period["total"] += 1
        period["by_form"][form] += 1
        period["by_source"][source] = period["by_source"].get(source, 0) + 1
        by_form[form] += 1
        by_source[source] = by_source.get(source, 0) + 1
    waits = [lead[4][0][0] * 3600 for lead in in_range if lead[4]]
    meetings = [b for b in BOOKINGS if FROM <= local_day(utc(b[0])) <= TO]
    all_leads = sum(statuses.values())
    return {
        "from": FROM.isoformat(), "to": TO.isoformat(), "group": group, "timezone": ZONE,
        "leads": {"total": sum(by_form.values()), "by_form": by_form,
                  "by_source": [{"source": s, "count": c} for s, c in sorted(by_source.items(), key=lambda i: (-i[1], i[0]))],
                  "periods": list(periods.values())},
        "funnel": statuses,
        "first_status_change": {"leads": len(waits), "median_seconds": statistics.median(waits) if waits else None},
        "bookings": {"held": sum(1 for b in meetings if b[1] == "confirmed" and b[2] != "no_show"),
                     "cancelled": sum(1 for b in meetings if b[1] == "cancelled"),
                     "no_show": sum(1 for b in meetings if b[1] == "confirmed" and b[2] == "no_show")},
        "spam": {"spam": statuses["spam"], "all": all_leads, "share": statuses["spam"] / all_leads},
    }


class DashboardTest(BrowserSteps, ServiceTest):
    server_env = {"LEADGATE_BOOKING_TIMEZONE": ZONE}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.token = create_token(cls.db, "Ana (sales)", "sales")
        cls.lead_ids = [cls.create_lead(*lead) for lead in LEADS]
        for number, (starts, status, outcome) in enumerate(BOOKINGS):
            start = utc(starts)
            cls.db.query(
                "INSERT INTO bookings (id, lead_id, starts_at, ends_at, blocked, visitor_timezone, status, outcome,"
                " cancelled_at) VALUES (%s, %s, %s, %s, tstzrange(%s, %s), %s, %s, %s, %s)",
                (str(uuid.uuid4()), cls.lead_ids[number + 1], start, start + datetime.timedelta(minutes=30), start,
                 start + datetime.timedelta(minutes=30), ZONE, status, outcome,
                 start if status == "cancelled" else None))

    @classmethod
    def create_lead(cls, when, form, utm_source, referrer, changes, honeypot):
        """Posts the lead, changes its status through the sales API, then
        moves it and its history to the times given."""
        email = f"d{uuid.uuid4().hex[:10]}@example.com"
        fields = {"name": "Dana Dashboard", "email": email, "message": "A project for the dashboard."}
        if utm_source is not None:
            fields["utm_source"] = utm_source
        if referrer is not None:
            fields["referrer"] = referrer
        if honeypot:
            fields["_gotcha"] = "x"
        reply = cls.server.post_json("/v1/forms/estimate", fields)
        assert reply.status == 201, reply.body
        lead_id = cls.db.scalar("SELECT id::text FROM leads WHERE email = %s", (email,))
        for _, status in changes:
            patched = cls.server.request("PATCH", f"/v1/admin/leads/{lead_id}", '{"status": "%s"}' % status,
                                         {"Content-Type": "application/json", **bearer(cls.token)})
            assert patched.status == 200, patched.body
        created = utc(when)
        cls.db.query("UPDATE leads SET created_at = %s, form = %s WHERE id = %s", (created, form, lead_id))
        events = cls.db.query("SELECT id FROM lead_events WHERE lead_id = %s AND field = 'status' ORDER BY id",
                              (lead_id,))
        for (event_id,), (hours, _) in zip(events, changes):
            cls.db.query("UPDATE lead_events SET created_at = %s WHERE id = %s",
                         (created + datetime.timedelta(hours=hours), event_id))
        return lead_id

    def stats(self, query):
        return self.server.get("/v1/admin/stats" + query, bearer(self.token))

    def test_the_stats_count_what_was_created_by_day_in_the_business_zone(self):
        reply = self.stats(f"?from={FROM}&to={TO}&group=day")
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(reply.json(), expected_stats("day"))

    def test_weeks_start_on_monday_and_count_the_same_leads(self):
        reply = self.stats(f"?from={FROM}&to={TO}&group=week")
        self.assertEqual(reply.status, 200, reply.body)
        stats = reply.json()
        self.assertEqual(stats, expected_stats("week"))
        self.assertEqual([p["start"] for p in stats["leads"]["periods"]], ["2026-02-23", "2026-03-02", "2026-03-09"])

    def test_the_default_range_is_the_30_days_to_today_by_day(self):
        stats = self.stats("").json()
        today = datetime.datetime.now(LOCAL).date()
        self.assertEqual((stats["from"], stats["to"], stats["group"]),
                         ((today - datetime.timedelta(days=29)).isoformat(), today.isoformat(), "day"))
        self.assertEqual(len(stats["leads"]["periods"]), 30)

    def test_bad_input_is_a_422_naming_the_parameter(self):
        for query, field in (("?group=month", "group"), ("?from=2026-02-30", "from"), ("?to=yesterday", "to"),
                             ("?from=2026-03-02&to=2026-03-01", "from"), ("?from=2025-01-01&to=2026-01-02", "from")):
            with self.subTest(query=query):
                reply = self.stats(query)
                self.assertEqual(reply.status, 422, reply.body)
                self.assertEqual([error["field"] for error in reply.json()["errors"]], [field])
        self.assertEqual(self.stats("?from=2025-01-02&to=2026-01-02").status, 200, "366 days are allowed")
        self.assertEqual(self.server.get("/v1/admin/stats").status, 401)

    def test_the_dashboard_page_shows_the_same_figures_accessibly_and_fits_a_phone(self):
        browser.require_chromium(self)
        browser.require_axe(self)
        self.browser = browser.chromium()
        self.addCleanup(self.browser.quit)
        self.base = f"http://{self.server.address}"
        self.sign_in(self.token)
        self.browser.get(f"{self.base}/admin/dashboard?from={FROM}&to={TO}&group=day")
        self.assertEqual(self.browser.title, "Dashboard · leadgate")
        expected = expected_stats("day")

        def table(name):
            return {row.get_attribute("data-key"): [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
                    for row in self.browser.find_elements(By.CSS_SELECTOR, f"table#{name} tbody tr")}

        self.assertEqual(table("funnel"), {status: [str(count)] for status, count in expected["funnel"].items()})
        self.assertEqual(table("bookings"), {key: [str(count)] for key, count in expected["bookings"].items()})
        self.assertEqual(table("sources"), {s["source"]: [str(s["count"])] for s in expected["leads"]["by_source"]})
        self.assertEqual(table("periods"), {p["start"]: [str(p["by_form"][form]) for form in FORMS] + [str(p["total"])]
                                            for p in expected["leads"]["periods"]})
        summary = table("summary")
        spam = expected["spam"]
        self.assertEqual(summary["leads"], [str(expected["leads"]["total"])])
        self.assertEqual(summary["spam"], [f"{spam['spam']} of {spam['all']} ({spam['share'] * 100:.1f} %)"])
        changes = expected["first_status_change"]
        self.assertEqual(summary["first_change"], [f"{int(changes['median_seconds'] // 3600)} h 0 min "
                                                   f"({changes['leads']} leads changed)"])

        # Every chart is an image named for screen readers.
        charts = self.browser.find_elements(By.CSS_SELECTOR, "svg.chart")
        self.assertEqual(len(charts), 4)
        for chart in charts:
            self.assertEqual(chart.get_attribute("role"), "img")
            title = chart.find_element(By.TAG_NAME, "title").get_attribute("textContent")
            self.assertIn(f"{FROM} to {TO}", title)
        self.assert_no_axe_violation()
        browser.screenshot(self.browser, "dashboard")

        browser.set_viewport(self.browser, 360, 780, mobile=True)
        browser.screenshot(self.browser, "dashboard-phone")
        self.assertLessEqual(self.browser.execute_script("return document.documentElement.scrollWidth"), 360,
                             "the dashboard scrolls sideways on a phone")
        self.assert_no_axe_violation()

        # The range form: weeks.
        group = self.browser.find_element(By.NAME, "group")
        group.find_element(By.CSS_SELECTOR, "option[value=week]").click()
        self.leave_page_by(group.submit, group)
        self.assertIn("group=week", self.browser.current_url)
        self.assertEqual(list(table("periods")), ["2026-02-23", "2026-03-02", "2026-03-09"])


if __name__ == "__main__":
    unittest.main()
