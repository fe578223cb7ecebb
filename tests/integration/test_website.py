"""The website kit in a real headless Chromium (browser.py): the example
site's three forms with scripts on and off, a post lost on the network and
retried with one Idempotency-Key, booking on /book with the keyboard alone
in another zone than the business's, axe-core on every page a visitor
meets, /book on a phone and on a desktop (docs/website.md; issue 20).

The browser reaches leadgate through a proxy of the test's (LeadgateProxy,
also leadgate's http.public_url): every answer it passes on is held to
docs/openapi.yaml like the harness's own requests, and it can lose one.

The screenshots of /book, book-360px.png and book-1280px.png, are kept in
$LEADGATE_TEST_ARTIFACTS: under ctest, tests/integration/test-artifacts/ of
the build directory (build/tests/integration/test-artifacts/ for scripts/test's
first build); run by hand, build/test-artifacts/ of the repository. After
a failure, what each of the test's browsers showed is kept there too (a
screenshot, the page's HTML, its console)."""

import datetime
import os
import queue
import re
import signal
import socket
import struct
import subprocess
import threading
import time
import unittest
import urllib.parse
import zoneinfo

from icalendar import Calendar
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

import browser
from harness import ROOT, api_contract, free_port, path_of, require_environment
from mail_services import MailServiceTest
from test_booking import BOOKING_ENV

SITE = os.path.join(ROOT, "examples", "site", "serve.py")
WAIT = 15  # seconds for anything a page does on its own: a script's request, a navigation
# Europe/Berlin, a short notice, no per-address cap; the default office
# hours (weekdays 09:00-17:00), so that /book looks as it will: two weeks
# always hold working days.
BOOKING = {key: value for key, value in BOOKING_ENV.items() if not key.startswith("LEADGATE_BOOKING_HOURS_")}


# -- the example site and the proxy in front of leadgate

class ExampleSite:
    """examples/site/serve.py on a free port, its pages calling `leadgate`
    (a base URL). It must exit cleanly on SIGTERM."""

    def __init__(self, leadgate):
        self.process = subprocess.Popen(["/usr/bin/python3", SITE, "--listen", "127.0.0.1:0", "--leadgate", leadgate],
                                        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stderr = []
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True).start()
        threading.Thread(target=lambda: [self.stderr.append(line) for line in self.process.stderr], daemon=True).start()
        try:
            first = lines.get(timeout=15)
        except queue.Empty:
            self.process.kill()
            raise AssertionError("examples/site/serve.py printed nothing within 15 s: " + "".join(self.stderr))
        match = re.fullmatch(r"example site at (http://127\.0\.0\.1:\d+)/", first.rstrip("\n"))
        if not match:
            self.process.kill()
            raise AssertionError(f"examples/site/serve.py's first line is {first!r}")
        self.origin = match.group(1)
        self.url = self.origin + "/"

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(10)
        assert code == 0, f"examples/site/serve.py exited with {code} on SIGTERM: " + "".join(self.stderr)


def read_message(reader, request_method=None):
    """One HTTP/1.1 message from the binary file `reader`: a request, or the
    answer to a `request_method` request. (start line, {lower-case name:
    value}, head bytes as read, body bytes as read, body decoded), or None
    at the end of the stream."""
    start = reader.readline()
    if not start:
        return None
    head = [start]
    headers = {}
    while True:
        line = reader.readline()
        head.append(line)
        if line in (b"\r\n", b"\n", b""):
            break
        name, value = line.decode("latin-1").split(":", 1)
        headers[name.strip().lower()] = value.strip()
    status = int(start.split()[1]) if request_method else None
    if request_method == "HEAD" or status in (204, 304):
        raw = body = b""
    elif "chunked" in headers.get("transfer-encoding", ""):
        raw, body = [], []
        while True:
            size_line = reader.readline()
            raw.append(size_line)
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                while True:  # trailers, then the empty line
                    line = reader.readline()
                    raw.append(line)
                    if line in (b"\r\n", b"\n", b""):
                        break
                break
            chunk = reader.read(size + 2)
            raw.append(chunk)
            body.append(chunk[:size])
        raw, body = b"".join(raw), b"".join(body)
    elif "content-length" in headers:
        raw = body = reader.read(int(headers["content-length"]))
    elif request_method:
        raw = body = reader.read()  # until leadgate closes
    else:
        raw = body = b""
    return start.decode("latin-1").rstrip("\r\n"), headers, b"".join(head), raw, body


class Exchange:
    """One request the browser sent through the proxy and leadgate's answer."""

    def __init__(self, method, target, headers, status, response_headers, dropped):
        self.method, self.target, self.path = method, target, urllib.parse.urlsplit(target).path
        self.headers = headers
        self.status = status
        self.response_headers = response_headers
        self.dropped = dropped

    def __repr__(self):
        return f"{self.method} {self.target} → {self.status}{' (dropped)' if self.dropped else ''}"


class LeadgateProxy:
    """A TCP proxy on a free loopback port, between the browser and leadgate
    at `upstream` ("host:port"), one thread per connection.

    Every answer it passes on is checked against docs/openapi.yaml (see
    `problems`). drop_next(method, path) makes it lose one answer: it
    forwards that request, reads leadgate's whole answer (so whatever
    leadgate stores is stored) and resets the browser's connection instead
    of passing it on, as a network failure after the server did the work.
    hold_next(method, path) keeps such a request until released.

    It serves one request per connection (it answers `Connection: close`):
    Chromium re-sends a request by itself when a reused keep-alive
    connection turns out dead, and that re-send would hide the script's own
    retry, or lack of one."""

    def __init__(self, upstream):
        host, port = upstream.rsplit(":", 1)
        self.upstream = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.exchanges = []
        self.problems = []
        self._drop = None
        self._hold = None
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self._closed = True
        self.listener.close()

    def drop_next(self, method, path):
        with self._lock:
            self._drop = (method, path)

    def hold_next(self, method, path):
        """The next `method` `path` request waits until the returned event is set."""
        release = threading.Event()
        with self._lock:
            self._hold = (method, path, release)
        return release

    def seen(self, method, path):
        with self._lock:
            return [exchange for exchange in self.exchanges if (exchange.method, exchange.path) == (method, path)]

    def take_problems(self):
        with self._lock:
            problems, self.problems = self.problems, []
        return problems

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self.listener.accept()
                threading.Thread(target=self._relay, args=(client,), daemon=True).start()
            except (OSError, RuntimeError) as error:
                # A connection reset before it was taken, or no thread to
                # spare: the next one may do. Only close() ends the loop.
                if not self._closed:
                    with self._lock:
                        self.problems.append(f"the proxy could not take a connection: {error!r}")

    def _relay(self, client):
        try:
            with client:
                self._exchange(client)
        except OSError:
            pass  # the browser gave up on a connection (a page left, a connection opened in advance and unused)
        except Exception as error:  # noqa: BLE001 - the test must hear of it, not a thread's stderr
            with self._lock:
                self.problems.append(f"the proxy could not relay a request: {error!r}")

    def _exchange(self, client):
        client.settimeout(30)
        request = read_message(client.makefile("rb"))
        if request is None:
            return
        start, headers, head, raw, _ = request
        method, target, _ = start.split(" ", 2)
        path = urllib.parse.urlsplit(target).path
        with self._lock:
            hold, self._hold = (self._hold, None) if self._hold and self._hold[:2] == (method, path) \
                else (None, self._hold)
            drop, self._drop = (True, None) if self._drop == (method, path) else (False, self._drop)
        if hold:
            hold[2].wait(WAIT)
        with socket.create_connection(self.upstream, timeout=30) as upstream:
            upstream.sendall(head + raw)
            answer = read_message(upstream.makefile("rb"), method)
        if answer is None:
            raise AssertionError(f"leadgate closed the connection without answering {method} {target}")
        status_line, response_headers, response_head, response_raw, response_body = answer
        status = int(status_line.split()[1])
        problems = api_contract.contract(ROOT).problems(method, target, status, response_headers, response_body)
        with self._lock:
            self.exchanges.append(Exchange(method, target, headers, status, response_headers, drop))
            self.problems += problems
        if drop:
            # SO_LINGER 0: close() sends a reset, not an orderly end.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        lines = response_head.split(b"\r\n")
        kept = [line for line in lines[1:] if line and not line.lower().startswith(b"connection:")]
        client.sendall(b"\r\n".join([lines[0], *kept, b"Connection: close", b"", b""]) + response_raw)


# -- reading pages

def local(start, zone):
    """A slot's UTC value ("2026-12-14T08:00:00Z") in `zone`."""
    return datetime.datetime.fromisoformat(start.replace("Z", "+00:00")).astimezone(zoneinfo.ZoneInfo(zone))


def day_legend(moment):
    """"Monday 14 December", as the slot picker names a day."""
    return f"{moment:%A} {moment.day} {moment:%B}"


SLOTS_SHOWN = """
    return Array.from(arguments[0].querySelectorAll('input[type=radio][name=slot_start]')).map(radio => {
      const label = radio.closest('label') || document.querySelector('label[for="' + radio.id + '"]');
      const fieldset = radio.closest('fieldset');
      const legend = fieldset && fieldset.querySelector('legend');
      return [radio.value, label ? label.textContent.trim() : null, legend ? legend.textContent.trim() : null];
    });"""


def wrong_slots(driver, container, zone):
    """The radios of a slot picker whose label (HH:MM) or day (legend) is
    not their UTC value in `zone`: [] when all are right; the slots, as
    (value, label, legend)."""
    shown = driver.execute_script(SLOTS_SHOWN, container)
    wrong = []
    for value, label, legend in shown:
        moment = local(value, zone)
        if label != f"{moment:%H:%M}" or legend != day_legend(moment):
            wrong.append((value, label, legend))
    return shown, wrong


WIDER_THAN = """
    return Array.from(document.body.querySelectorAll('*'))
      .filter(element => element.getBoundingClientRect().right > arguments[0] + 0.5)
      .map(element => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
                      + ' (right edge at ' + Math.round(element.getBoundingClientRect().right) + ' px)');"""


EVENTS = """
    window.leadgateTestMarker = 'the page was not reloaded';
    window.leadgateEvents = [];
    for (const type of ['leadgate:success', 'leadgate:error']) {
      document.addEventListener(type, event => window.leadgateEvents.push({
        type: event.type, form: event.target.getAttribute('data-leadgate'),
        kind: event.detail && event.detail.kind, status: event.detail && event.detail.status,
        fields: event.detail && event.detail.problem && event.detail.problem.errors
                ? event.detail.problem.errors.map(error => error.field) : null}));
    }"""


class WebsiteTest(MailServiceTest):
    """leadgate (public URL: the proxy), a worker and an SMTP server, the
    example site, its origin allowed; a browser per test."""

    @classmethod
    def setUpClass(cls):
        require_environment(cls)
        browser.require_chromium(cls)
        browser.require_axe(cls)
        listen = f"127.0.0.1:{free_port()}"
        cls.proxy = LeadgateProxy(listen)
        cls.addClassCleanup(cls.proxy.close)
        cls.site = ExampleSite(cls.proxy.url)
        cls.addClassCleanup(cls.site.stop)
        cls.environment = {
            **BOOKING, "LEADGATE_HTTP_LISTEN": listen, "LEADGATE_HTTP_PUBLIC_URL": cls.proxy.url,
            "LEADGATE_HTTP_ALLOWED_ORIGINS": cls.site.origin,
            # A test fills a form within a second: as people take longer,
            # the fill-time check would call every test post a bot's.
            "LEADGATE_FORMS_MIN_FILL_SECONDS": "0",
        }
        super().setUpClass()

    def setUp(self):
        self.proxy.take_problems()
        self.addCleanup(self.check_answers)

    def check_answers(self):
        problems = self.proxy.take_problems()
        if problems:
            raise AssertionError("what the browser got from leadgate is not what docs/openapi.yaml describes:\n  "
                                 + "\n  ".join(problems))

    def open_browser(self, **options):
        driver = browser.chromium(**options)
        self.browsers = getattr(self, "browsers", 0) + 1
        self.addCleanup(driver.quit)
        self.addCleanup(self.keep_evidence, driver, f"{self._testMethodName}-browser{self.browsers}")
        driver.set_script_timeout(60)
        driver.set_page_load_timeout(30)
        return driver

    def keep_evidence(self, driver, name):
        """After a failure, what the browser showed: a screenshot, the page's
        HTML and its console in the artifacts directory."""
        result = self._outcome.result
        failed = [test for test, _ in result.errors + result.failures
                  if test is self or getattr(test, "test_case", None) is self]
        if failed:
            browser.keep_evidence(driver, name)

    # -- helpers

    def wait(self, driver, condition, what, timeout=WAIT):
        try:
            return WebDriverWait(driver, timeout).until(lambda _: condition())
        except Exception as error:
            if isinstance(error, AssertionError):
                raise
            raise AssertionError(f"timed out after {timeout} s waiting for {what}") from error

    def leave_page_by(self, driver, act, element):
        """`act` starts a navigation: wait until `element`'s page is gone, so
        that what the test reads next comes from the new page (a POST to
        /book answers on the same URL)."""
        act()

        def gone():
            try:
                element.is_enabled()
                return False
            except WebDriverException:
                return True

        self.wait(driver, gone, "the next page")
        self.wait(driver, lambda: driver.execute_script("return document.readyState") == "complete", "the page to load")

    def open_site(self, driver):
        driver.get(self.site.url)
        self.assertEqual(driver.current_url, self.site.url)

    def form(self, driver, kind):
        return driver.find_element(By.CSS_SELECTOR, f"form[data-leadgate={kind}]")

    def enhanced(self, driver, kind):
        """The `kind` form once embed.js has enhanced it (its `_ts` is filled)."""
        self.wait(driver, lambda: driver.execute_script(
            f"const ts = document.querySelector('form[data-leadgate={kind}] input[name=_ts]');"
            "return ts && /^[0-9]+$/.test(ts.value)"), f"embed.js to fill the {kind} form's _ts")
        form = self.form(driver, kind)
        filled = int(form.find_element(By.NAME, "_ts").get_attribute("value"))
        self.assertLess(abs(filled - time.time()), 60, "_ts is the time the script enhanced the form, in seconds")
        return form

    def fill(self, form, **values):
        for name, value in values.items():
            field = form.find_element(By.NAME, name)
            field.clear()
            field.send_keys(value)

    def submit(self, form):
        form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()

    def events(self, driver, type=None):
        return [event for event in driver.execute_script("return window.leadgateEvents")
                if type is None or event["type"] == type]

    def assert_inline_errors(self, driver, form, invalid, kept):
        """After a 422: each field of `invalid` (in form order) marked and
        described by a visible error, no other; focus on the first; the
        entries `kept` ({name: value}) still there; the page not reloaded."""
        self.wait(driver, lambda: self.events(driver, "leadgate:error"), "the leadgate:error event")
        errors = self.events(driver, "leadgate:error")
        self.assertEqual(len(errors), 1, errors)
        self.assertEqual(errors[0]["status"], 422, errors)
        self.assertEqual(sorted(errors[0]["fields"]), sorted(invalid), errors)
        self.assertEqual(driver.execute_script("return window.leadgateTestMarker"), "the page was not reloaded")
        marked = [field.get_attribute("name") for field in form.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]")]
        self.assertEqual(marked, invalid, "aria-invalid on exactly the fields in error")
        for name in invalid:
            field = form.find_element(By.NAME, name)
            described_by = (field.get_attribute("aria-describedby") or "").split()
            self.assertTrue(described_by, f"{name} has no aria-describedby")
            shown = [element for element in (driver.find_element(By.ID, ident) for ident in described_by)
                     if "leadgate-error" in (element.get_attribute("class") or "").split()
                     and element.is_displayed() and element.text.strip()]
            self.assertTrue(shown, f"{name}'s aria-describedby names no visible .leadgate-error with text")
        active = driver.switch_to.active_element
        self.assertEqual(active.get_attribute("name"), invalid[0], "focus on the first invalid field")
        for name, value in kept.items():
            self.assertEqual(form.find_element(By.NAME, name).get_attribute("value"), value, f"{name} was kept")

    def assert_success_in_place(self, driver, kind, status):
        """The `kind` form replaced by its success message, focused; the
        leadgate:success event fired once with `status`; the status
        element's text."""
        self.wait(driver, lambda: self.events(driver, "leadgate:success"), "the leadgate:success event")
        successes = self.events(driver, "leadgate:success")
        self.assertEqual([(event["form"], event["kind"], event["status"]) for event in successes],
                         [(kind, kind, status)])
        self.assertEqual(driver.execute_script("return window.leadgateTestMarker"), "the page was not reloaded")
        active = driver.switch_to.active_element
        self.assertEqual(active.get_attribute("role"), "status", "focus on the success message")
        self.assertTrue(active.is_displayed() and active.text.strip(), "the success message is shown")
        shown_forms = [form for form in driver.find_elements(By.CSS_SELECTOR, f"form[data-leadgate={kind}]")
                       if form.is_displayed()]
        self.assertEqual(shown_forms, [], "the form made way for the success message")
        return active.text

    def count(self, sql, *params):
        return self.db.scalar(sql, params)

    def slot_radios(self, container):
        return container.find_elements(By.CSS_SELECTOR, "input[type=radio][name=slot_start]")

    def picker_in_zone(self, driver, container, zone):
        """Waits until the slot picker in `container` shows its times in
        `zone`; its radios."""
        def right():
            shown, wrong = wrong_slots(driver, container, zone)
            return shown and not wrong

        try:
            self.wait(driver, right, f"slots shown in {zone}")
        except AssertionError:
            shown, wrong = wrong_slots(driver, container, zone)
            raise AssertionError(f"{len(shown)} slots shown, of which not in {zone} (value, label, day): {wrong[:5]}")
        return self.slot_radios(container)

    def tab_to(self, driver, condition, what, limit=80):
        """Presses Tab until `condition` (JavaScript, on document.activeElement
        as `element`) holds; the focused element."""
        for _ in range(limit):
            if driver.execute_script("const element = document.activeElement; return " + condition):
                return driver.switch_to.active_element
            ActionChains(driver).send_keys(Keys.TAB).perform()
        raise AssertionError(f"{limit} presses of Tab never reached {what}")

    def book_page_in_zone(self, driver, zone):
        """/book, loaded and re-rendered by its script for the browser's `zone`."""
        driver.get(self.proxy.url + "/book")
        self.wait(driver, lambda: driver.execute_script(
            "const zone = document.querySelector('[data-leadgate-zone-name]');"
            "return zone && zone.textContent.trim()") == zone, f"/book to name the browser's zone {zone}")
        slot_form = driver.find_element(By.ID, "slot-form")
        self.assertEqual(slot_form.find_element(By.CSS_SELECTOR, "input[name=timezone]").get_attribute("value"), zone)
        self.assertEqual(Select(driver.find_element(By.ID, "tz")).first_selected_option.get_attribute("value"), zone)
        return slot_form

    # -- the example page with scripts on

    def test_the_estimate_form_shows_field_errors_in_place_then_succeeds_without_a_reload(self):
        driver = self.open_browser()
        self.open_site(driver)
        form = self.enhanced(driver, "estimate")
        driver.execute_script(EVENTS)
        # Both pass the browser's own checks (required, type=email) and
        # fail leadgate's: a name with a link, a domain without a dot.
        self.fill(form, name="Ada, see www.cheap-deals.com", email="ada@localhost", company="Lovelace Ltd",
                  message="A booking app for our clinics.")
        Select(form.find_element(By.NAME, "budget")).select_by_value("25k_50k")
        for service in ("web_app", "design"):
            form.find_element(By.CSS_SELECTOR, f"input[type=checkbox][value={service}]").click()
        self.submit(form)
        self.assert_inline_errors(driver, form, ["name", "email"],
                                  {"name": "Ada, see www.cheap-deals.com", "email": "ada@localhost",
                                   "company": "Lovelace Ltd", "message": "A booking app for our clinics.",
                                   "budget": "25k_50k"})
        ticked = [box.get_attribute("value") for box in form.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
                  if box.is_selected()]
        self.assertEqual(ticked, ["web_app", "design"], "the ticked services were kept")
        self.assertEqual(self.count("SELECT count(*) FROM leads WHERE email LIKE 'ada@%%'"), 0)

        self.fill(form, name="Ada Lovelace", email="ada@lovelace.example")
        self.submit(form)
        self.assert_success_in_place(driver, "estimate", 201)
        rows = self.db.query("SELECT name, company, budget, services, message, status FROM leads "
                             "WHERE email = 'ada@lovelace.example'")
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0][:3] + (sorted(rows[0][3]),) + rows[0][4:],
                         ("Ada Lovelace", "Lovelace Ltd", "25k_50k", ["design", "web_app"],
                          "A booking app for our clinics.", "new"), "stored as entered, not as a bot's")

    def test_the_newsletter_form_shows_field_errors_in_place_then_succeeds_without_a_reload(self):
        driver = self.open_browser()
        self.open_site(driver)
        form = self.enhanced(driver, "newsletter")
        driver.execute_script(EVENTS)
        self.fill(form, email="reader@localhost")
        self.submit(form)
        self.assert_inline_errors(driver, form, ["email"], {"email": "reader@localhost"})
        self.fill(form, email="reader@newsletter.example")
        self.submit(form)
        self.assert_success_in_place(driver, "newsletter", 202)
        self.assertEqual(self.db.query("SELECT state FROM subscribers WHERE email LIKE 'reader@%%'"), [("pending",)])

    def test_the_consultation_form_offers_slots_in_the_visitors_zone_shows_errors_then_books(self):
        # India is 5 h 30 min off UTC: a picker that rounds or assumes the
        # business zone shows the wrong times.
        zone = "Asia/Kolkata"
        driver = self.open_browser(timezone=zone)
        self.open_site(driver)
        # Chromium's ICU names it by its older alias, Asia/Calcutta: the page
        # sends the name the browser gives.
        reported = driver.execute_script("return Intl.DateTimeFormat().resolvedOptions().timeZone")
        self.assertIn(reported, ("Asia/Kolkata", "Asia/Calcutta"))
        form = self.enhanced(driver, "consultation")
        driver.execute_script(EVENTS)
        picker = form.find_element(By.CSS_SELECTOR, "[data-leadgate-slot-list]")
        radios = self.picker_in_zone(driver, picker, zone)
        self.assertEqual(form.find_element(By.CSS_SELECTOR, "input[name=timezone]").get_attribute("value"), reported)
        fieldsets = picker.find_elements(By.TAG_NAME, "fieldset")
        self.assertGreater(len(fieldsets), 2, "slots on more than two days")
        chosen = self.slot_radios(fieldsets[1])[3]
        start = chosen.get_attribute("value")
        chosen.click()
        self.assertIn(start, [radio.get_attribute("value") for radio in radios])

        self.fill(form, name="Ravi www.cheap-deals.com", email="ravi@localhost", topic="A new shop for our tea.")
        self.submit(form)
        self.assert_inline_errors(driver, form, ["name", "email"], {"name": "Ravi www.cheap-deals.com",
                                                                    "email": "ravi@localhost",
                                                                    "topic": "A new shop for our tea."})
        self.assertTrue(chosen.is_selected(), "the chosen time was kept")
        self.assertEqual(self.count("SELECT count(*) FROM leads WHERE email LIKE 'ravi@%%'"), 0)

        self.fill(form, name="Ravi Menon", email="ravi@tea.example")
        self.submit(form)
        message = self.assert_success_in_place(driver, "consultation", 201)
        self.assertIn(f"{local(start, zone):%H:%M}", message, "the success names the time in the visitor's zone")
        rows = self.db.query("SELECT l.name, l.message, b.starts_at, b.visitor_timezone, b.status FROM leads l "
                             "JOIN bookings b ON b.lead_id = l.id WHERE l.email = 'ravi@tea.example'")
        self.assertEqual(rows, [("Ravi Menon", "A new shop for our tea.", local(start, "UTC"), reported, "confirmed")])
        self.assertEqual(self.count("SELECT count(*) FROM leads WHERE email = 'ravi@tea.example'"), 1)

    def test_a_post_lost_on_the_network_is_retried_with_its_key_and_stored_once(self):
        driver = self.open_browser()
        self.open_site(driver)
        form = self.enhanced(driver, "estimate")
        driver.execute_script(EVENTS)
        self.fill(form, name="Grace Hopper", email="grace@hopper.example", message="Our compiler needs a website.")
        self.proxy.drop_next("POST", "/v1/forms/estimate")
        before = len(self.proxy.seen("POST", "/v1/forms/estimate"))
        self.submit(form)
        self.assert_success_in_place(driver, "estimate", 201)
        posts = self.proxy.seen("POST", "/v1/forms/estimate")[before:]
        self.assertEqual([(post.status, post.dropped) for post in posts], [(201, True), (201, False)],
                         "leadgate stored the first, its answer was lost, the script sent it again")
        keys = [post.headers.get("idempotency-key") for post in posts]
        self.assertTrue(keys[0], "the script sent an Idempotency-Key")
        self.assertEqual(keys[0], keys[1], "the retry has the first attempt's key")
        self.assertEqual(posts[1].response_headers.get("idempotent-replayed"), "true")
        self.assertEqual(self.count("SELECT count(*) FROM leads WHERE email = 'grace@hopper.example'"), 1)

    def test_a_second_submit_while_the_first_is_on_its_way_sends_nothing(self):
        driver = self.open_browser()
        self.open_site(driver)
        form = self.enhanced(driver, "newsletter")
        driver.execute_script(EVENTS)
        self.fill(form, email="twice@newsletter.example")
        release = self.proxy.hold_next("POST", "/v1/forms/newsletter")
        before = len(self.proxy.seen("POST", "/v1/forms/newsletter"))
        button = form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]")
        button.click()
        try:
            self.wait(driver, lambda: button.get_attribute("disabled") is not None, "the submit button disabled")
            self.assertEqual(button.get_attribute("aria-busy"), "true")
            # The button cannot be clicked now; requestSubmit() fires a
            # submit event whatever its state, as another script could.
            driver.execute_script("arguments[0].requestSubmit()", form)
        finally:
            release.set()
        self.assert_success_in_place(driver, "newsletter", 202)
        self.assertEqual(len(self.proxy.seen("POST", "/v1/forms/newsletter")) - before, 1)
        self.assertEqual(self.count("SELECT count(*) FROM subscribers WHERE email = 'twice@newsletter.example'"), 1)

    # -- the example page with scripts off

    def test_without_scripts_the_estimate_and_newsletter_forms_post_plainly_to_the_thanks_page(self):
        driver = self.open_browser(scripts=False)
        for kind, fields, email, table in (
                ("estimate", {"name": "Plain Estimate", "email": "plain@estimate.example",
                              "message": "A plain form, no scripts."}, "plain@estimate.example", "leads"),
                ("newsletter", {"email": "plain@newsletter.example"}, "plain@newsletter.example", "subscribers")):
            with self.subTest(kind=kind):
                self.open_site(driver)
                self.assertEqual(driver.find_elements(By.CSS_SELECTOR, "[data-leadgate-slot-list] input"), [],
                                 "no script ran")
                form = self.form(driver, kind)
                self.fill(form, **fields)
                self.leave_page_by(driver, lambda: self.submit(form), form)
                self.assertEqual(driver.current_url, self.proxy.url + "/thanks")
                post = self.proxy.seen("POST", f"/v1/forms/{kind}")[-1]
                self.assertEqual((post.status, post.headers["content-type"]), (303, "application/x-www-form-urlencoded"))
                self.assertEqual(self.count(f"SELECT count(*) FROM {table} WHERE email = %s", email), 1)

    def test_without_scripts_a_field_error_answers_the_error_page_with_the_entries(self):
        driver = self.open_browser(scripts=False)
        self.open_site(driver)
        form = self.form(driver, "estimate")
        self.fill(form, name="Wrong Address", email="wrong@localhost", message="Kept across the error.")
        self.leave_page_by(driver, lambda: self.submit(form), form)
        self.assertEqual(self.proxy.seen("POST", "/v1/forms/estimate")[-1].status, 422)
        again = driver.find_element(By.CSS_SELECTOR, "form")
        self.assertEqual(again.find_element(By.NAME, "name").get_attribute("value"), "Wrong Address")
        self.assertEqual(again.find_element(By.NAME, "message").get_attribute("value"), "Kept across the error.")
        self.assertEqual(self.count("SELECT count(*) FROM leads WHERE email LIKE 'wrong@%%'"), 0)

    def test_without_scripts_the_consultation_form_continues_on_book_and_books(self):
        driver = self.open_browser(scripts=False)
        self.open_site(driver)
        form = self.form(driver, "consultation")
        self.fill(form, name="Noa Plain", email="noa@plain.example", topic="Booked without scripts.")
        self.leave_page_by(driver, lambda: self.submit(form), form)
        self.assertEqual(urllib.parse.urlsplit(driver.current_url).path, "/book")
        slot_form = driver.find_element(By.ID, "slot-form")
        carried = {field.get_attribute("name"): field.get_attribute("value")
                   for field in slot_form.find_elements(By.CSS_SELECTOR, "input[type=hidden]")}
        self.assertEqual({name: carried.get(name) for name in ("name", "email", "topic", "timezone")},
                         {"name": "Noa Plain", "email": "noa@plain.example", "topic": "Booked without scripts.",
                          "timezone": "Europe/Berlin"})
        picker = slot_form.find_element(By.CSS_SELECTOR, "[data-leadgate-slot-list]")
        self.picker_in_zone(driver, picker, "Europe/Berlin")
        chosen = self.slot_radios(picker.find_elements(By.TAG_NAME, "fieldset")[2])[0]
        start = chosen.get_attribute("value")
        chosen.click()
        self.leave_page_by(driver, lambda: self.submit(slot_form), slot_form)

        details = driver.find_element(By.ID, "details-form")
        self.assertEqual(details.find_element(By.NAME, "slot_start").get_attribute("value"), start)
        self.assertEqual(details.find_element(By.NAME, "name").get_attribute("value"), "Noa Plain")
        self.assertEqual(details.find_element(By.NAME, "email").get_attribute("value"), "noa@plain.example")
        self.assertEqual(details.find_element(By.NAME, "topic").get_attribute("value"), "Booked without scripts.")
        self.leave_page_by(driver, lambda: self.submit(details), details)

        self.assertEqual(urllib.parse.urlsplit(driver.current_url).path, "/book/confirmed")
        self.assertRegex(driver.current_url, r"\?token=[0-9a-f]{48}$")
        when = driver.find_element(By.CSS_SELECTOR, "#when-visitor time")
        self.assertEqual(when.get_attribute("datetime"), start)
        rows = self.db.query("SELECT b.starts_at, b.visitor_timezone, l.message FROM bookings b "
                             "JOIN leads l ON l.id = b.lead_id WHERE l.email = 'noa@plain.example'")
        self.assertEqual(rows, [(local(start, "UTC"), "Europe/Berlin", "Booked without scripts.")])

        ics = self.server.get(path_of(driver.find_element(By.ID, "add-to-calendar").get_attribute("href")))
        self.assertEqual(ics.status, 200)
        self.assertEqual(ics.headers["content-type"].lower(), "text/calendar; charset=utf-8")
        event = Calendar.from_ical(ics.body).walk("VEVENT")[0]
        self.assertEqual(event.decoded("DTSTART"), local(start, "UTC"))
        for link, path in (("reschedule", "/v1/booking/reschedule"), ("cancel", "/v1/booking/cancel")):
            href = urllib.parse.urlsplit(driver.find_element(By.ID, link).get_attribute("href"))
            self.assertEqual(href.path, path)
            self.assertEqual(href.query, urllib.parse.urlsplit(driver.current_url).query, "the same token")

    def test_without_scripts_book_offers_a_zone_select_defaulting_to_the_business_zone(self):
        driver = self.open_browser(scripts=False, timezone="America/New_York")
        driver.get(self.proxy.url + "/book")
        select = Select(driver.find_element(By.ID, "tz"))
        self.assertEqual(select.first_selected_option.get_attribute("value"), "Europe/Berlin")
        self.picker_in_zone(driver, driver.find_element(By.CSS_SELECTOR, "[data-leadgate-slot-list]"), "Europe/Berlin")
        select.select_by_visible_text("America/New_York")
        button = driver.find_element(By.CSS_SELECTOR, "#zone-form button[type=submit]")
        self.leave_page_by(driver, button.click, button)
        self.assertEqual(urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)["tz"],
                         ["America/New_York"])
        self.picker_in_zone(driver, driver.find_element(By.CSS_SELECTOR, "[data-leadgate-slot-list]"),
                            "America/New_York")
        self.assertEqual(driver.find_element(By.CSS_SELECTOR, "[data-leadgate-zone-name]").text, "America/New_York")

    # -- /book

    def test_booking_on_book_with_the_keyboard_alone_in_new_york_lands_on_the_chosen_slot(self):
        zone = "America/New_York"  # the business is in Europe/Berlin (BOOKING)
        driver = self.open_browser(timezone=zone)
        slot_form = self.book_page_in_zone(driver, zone)
        radios = self.picker_in_zone(driver, slot_form.find_element(By.CSS_SELECTOR, "[data-leadgate-slot-list]"), zone)
        values = [radio.get_attribute("value") for radio in radios]
        offered = {slot["start"] for slot in self.server.get(
            f"/v1/booking/slots?from={datetime.date.today() - datetime.timedelta(days=1)}"
            f"&to={datetime.date.today() + datetime.timedelta(days=15)}&tz={zone}").json()["slots"]}
        self.assertLessEqual(set(values), offered, "only free slots are shown")

        # Into the slot list (one tab stop), then five times down: each
        # arrow moves to the next time and picks it.
        self.tab_to(driver, "element.name === 'slot_start'", "the slot list")
        self.assertEqual(driver.switch_to.active_element.get_attribute("value"), values[0])
        for _ in range(5):
            ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
        start = values[5]
        focused = driver.switch_to.active_element
        self.assertEqual((focused.get_attribute("value"), focused.is_selected()), (start, True))
        ActionChains(driver).send_keys(Keys.TAB).perform()
        button = driver.switch_to.active_element
        self.assertEqual((button.tag_name, button.get_attribute("type")), ("button", "submit"), "Tab reached Continue")
        self.leave_page_by(driver, lambda: ActionChains(driver).send_keys(Keys.ENTER).perform(), button)

        details = driver.find_element(By.ID, "details-form")
        self.assertEqual(details.find_element(By.NAME, "slot_start").get_attribute("value"), start)
        self.assertEqual(details.find_element(By.NAME, "timezone").get_attribute("value"), zone)
        page = driver.find_element(By.TAG_NAME, "body").text
        self.assertIn(f"{local(start, zone):%H:%M}", page, "the details page shows the time in the visitor's zone")
        self.assertIn(f"{local(start, 'Europe/Berlin'):%H:%M}", page, "and in the business's")
        for name, text in (("name", "Kim Keyboard"), ("email", "kim@keys.example"), ("topic", "Only keys, no mouse.")):
            self.tab_to(driver, f"element.name === '{name}'", f"the {name} field")
            ActionChains(driver).send_keys(text).perform()
        book = self.tab_to(driver, "element.type === 'submit' && element.form && element.form.id === 'details-form'",
                           "the booking button")
        self.leave_page_by(driver, lambda: ActionChains(driver).send_keys(Keys.SPACE).perform(), book)

        self.assertEqual(urllib.parse.urlsplit(driver.current_url).path, "/book/confirmed")
        when = driver.find_element(By.CSS_SELECTOR, "#when-visitor time")
        self.assertEqual(when.get_attribute("datetime"), start)
        self.assertIn(f"{local(start, zone):%H:%M}", driver.find_element(By.ID, "when-visitor").text)
        self.assertIn(f"{local(start, 'Europe/Berlin'):%H:%M}", driver.find_element(By.ID, "when-business").text)
        rows = self.db.query("SELECT b.starts_at, b.visitor_timezone, l.name, l.message FROM bookings b "
                             "JOIN leads l ON l.id = b.lead_id WHERE l.email = 'kim@keys.example'")
        self.assertEqual(rows, [(local(start, "UTC"), zone, "Kim Keyboard", "Only keys, no mouse.")])

    def test_book_fits_a_phone_and_a_desktop_and_its_screenshots_are_kept(self):
        driver = self.open_browser(timezone="America/New_York")
        for width, height, mobile in ((360, 780, True), (1280, 900, False)):
            with self.subTest(width=width):
                browser.set_viewport(driver, width, height, mobile)
                self.book_page_in_zone(driver, "America/New_York")
                self.assertTrue(driver.execute_script(f"return matchMedia('(width: {width}px)').matches"),
                                "the page's media queries see the width asked for")
                scroll_width = driver.execute_script("return document.documentElement.scrollWidth")
                path = browser.screenshot(driver, f"book-{width}px")
                with open(path, "rb") as handle:
                    png = handle.read(24)
                self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
                self.assertEqual(struct.unpack(">I", png[16:20])[0], scroll_width, "the whole page's width")
                wider = driver.execute_script(WIDER_THAN, width)
                self.assertLessEqual(scroll_width, width, f"the page scrolls sideways; too wide: {wider}")
        browser.set_viewport(driver, 360, 780, True)
        self.open_site(driver)
        self.assertLessEqual(driver.execute_script("return document.documentElement.scrollWidth"), 360,
                             f"the example page scrolls sideways on a phone; too wide: {driver.execute_script(WIDER_THAN, 360)}")

    # -- accessibility

    def test_axe_finds_no_violation_on_the_pages_a_visitor_meets(self):
        found = {}

        def check(driver, page):
            found[page] = browser.axe_violations(driver)

        plain = self.open_browser(scripts=False)
        self.open_site(plain)
        check(plain, "the example page without scripts")
        plain.get(self.proxy.url + "/book")
        check(plain, "/book without scripts")

        self.open_site(plain)
        form = self.form(plain, "estimate")
        self.fill(form, name="Axe Error", email="axe@localhost", message="An error page, please.")
        self.leave_page_by(plain, lambda: self.submit(form), form)
        self.assertEqual(self.proxy.seen("POST", "/v1/forms/estimate")[-1].status, 422)
        check(plain, "the error page")

        self.open_site(plain)
        form = self.form(plain, "newsletter")
        self.fill(form, email="axe@newsletter.example")
        self.leave_page_by(plain, lambda: self.submit(form), form)
        self.assertEqual(urllib.parse.urlsplit(plain.current_url).path, "/thanks")
        check(plain, "/thanks")
        text = self.smtp.wait_for(1, "axe@newsletter.example")[0].message.get_body(("plain",)).get_content()
        plain.get(re.search(r"(http://\S+/v1/newsletter/confirm\?token=[0-9a-f]+)", text).group(1))
        self.assertEqual(self.proxy.seen("GET", "/v1/newsletter/confirm")[-1].status, 200)
        check(plain, "the newsletter confirm page")

        plain.get(self.proxy.url + "/book")
        slot_form = plain.find_element(By.ID, "slot-form")
        self.slot_radios(slot_form.find_elements(By.TAG_NAME, "fieldset")[1])[-1].click()
        self.leave_page_by(plain, lambda: self.submit(slot_form), slot_form)
        check(plain, "the /book details page")
        details = plain.find_element(By.ID, "details-form")
        self.fill(details, name="Axe Booker", email="axe@booker.example")
        self.leave_page_by(plain, lambda: self.submit(details), details)
        self.assertEqual(urllib.parse.urlsplit(plain.current_url).path, "/book/confirmed")
        check(plain, "the /book confirmation page")
        plain.get(plain.find_element(By.ID, "cancel").get_attribute("href"))
        self.assertEqual(self.proxy.seen("GET", "/v1/booking/cancel")[-1].status, 200)
        check(plain, "the cancel page")

        scripted = self.open_browser(timezone="America/New_York")
        self.book_page_in_zone(scripted, "America/New_York")
        check(scripted, "/book with scripts")
        self.open_site(scripted)
        form = self.enhanced(scripted, "estimate")
        self.wait(scripted, lambda: scripted.find_elements(
            By.CSS_SELECTOR, "form[data-leadgate=consultation] [data-leadgate-slot-list] input[name=slot_start]"),
            "the example page's slot picker")
        check(scripted, "the example page with scripts")
        scripted.execute_script(EVENTS)
        self.fill(form, name="Axe Inline", email="axe@localhost", message="Inline errors, please.")
        self.submit(form)
        self.wait(scripted, lambda: self.events(scripted, "leadgate:error"), "the leadgate:error event")
        check(scripted, "the example page showing field errors")

        failed = {page: violations for page, violations in found.items() if violations}
        if failed:
            self.fail("axe-core found violations:\n" + "\n".join(
                f"on {page}:\n" + browser.describe_violations(violations) for page, violations in failed.items()))


if __name__ == "__main__":
    unittest.main()
