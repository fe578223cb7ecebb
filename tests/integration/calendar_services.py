"""Calendar servers for tests that read the team's calendars: a real CalDAV
server (Radicale, the Debian package) with one user, and a small HTTP server
for iCalendar feeds and for answers no honest server gives (garbage, huge
bodies, silence, redirects).

Both answer on a free loopback port and are stopped by stop(); both can be
restarted on the same port with start(), for tests of a calendar server
that goes away and comes back."""

import base64
import collections
import gzip
import hashlib
import http.client
import http.server
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.parse
from xml.etree import ElementTree

from harness import free_port, missing_prerequisite, wait_until

RADICALE = shutil.which("radicale") or "/usr/bin/radicale"


def require_radicale(test):
    """Skips (fails in CI) `test` when Radicale is not installed."""
    if not os.access(RADICALE, os.X_OK):
        missing_prerequisite(test, "radicale is not installed (apt-get install radicale)")


class Radicale:
    """Radicale on 127.0.0.1:`port` with htpasswd plain authentication for
    one `user`, its storage in a fresh folder. Calendars are collections
    /user/NAME/; events are PUT as /user/NAME/UID.ics.

    The password holds characters that must be percent-encoded in a URL
    (':' '@' '/'), so a client that does not decode them fails to log in."""

    def __init__(self, user="ana", password="s3cret:@/pw"):
        self.user = user
        self.password = password
        self.directory = tempfile.mkdtemp(prefix="leadgate-radicale-")
        self.port = free_port()
        self.storage = os.path.join(self.directory, "storage")
        os.mkdir(self.storage)
        users = os.path.join(self.directory, "users")
        with open(users, "w", encoding="utf-8") as handle:
            handle.write(f"{user}:{password}\n")
        self.config = os.path.join(self.directory, "config")
        with open(self.config, "w", encoding="utf-8") as handle:
            handle.write(f"""[server]
hosts = 127.0.0.1:{self.port}
[auth]
type = htpasswd
htpasswd_filename = {users}
htpasswd_encryption = plain
# No pause after a wrong password: the tests of one would only wait.
delay = 0
[storage]
filesystem_folder = {self.storage}
[rights]
type = owner_only
[web]
type = none
[logging]
level = warning
""")
        self.log_path = os.path.join(self.directory, "radicale.log")
        self.process = None
        self.start()

    def start(self):
        """Starts it (again: same port, same storage) and waits until it
        answers."""
        assert self.process is None, "Radicale is already running"
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen([RADICALE, "--config", self.config], stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT)
        finally:
            log.close()

        def answers():
            if self.process.poll() is not None:
                raise AssertionError(f"radicale exited with {self.process.returncode}: {self.log()}")
            try:
                return self.request("OPTIONS", "/")[0] > 0
            except OSError:
                return False

        wait_until(answers, 30, lambda: "radicale to answer: " + self.log())

    def stop(self):
        """Stops it; the port refuses connections afterwards."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(30)
        self.process = None

    def destroy(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def request(self, method, path, body=None, headers=None):
        """(status, body) of one request as the user."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            connection.request(method, path, body=body.encode("utf-8") if isinstance(body, str) else body,
                               headers={"Authorization": f"Basic {token}", **(headers or {})})
            reply = connection.getresponse()
            return reply.status, reply.read()
        finally:
            connection.close()

    def path(self, collection):
        return f"/{self.user}/{collection}/"

    def url(self, collection, with_credentials=True, password=None):
        """The collection's URL, by default with user:password@ in it
        (percent-encoded); `password` puts another one there."""
        credentials = ""
        if with_credentials:
            secret = self.password if password is None else password
            credentials = f"{urllib.parse.quote(self.user, safe='')}:{urllib.parse.quote(secret, safe='')}@"
        return f"http://{credentials}127.0.0.1:{self.port}{self.path(collection)}"

    def make_calendar(self, name):
        """A new, empty calendar collection; its URL with credentials."""
        status, body = self.request("MKCALENDAR", self.path(name))
        if status != 201:
            raise AssertionError(f"MKCALENDAR {name}: {status} {body!r}")
        return self.url(name)

    def put_event(self, collection, uid, ics_text):
        status, body = self.request("PUT", f"{self.path(collection)}{uid}.ics", ics_text,
                                    {"Content-Type": "text/calendar; charset=utf-8"})
        if status not in (201, 204):
            raise AssertionError(f"PUT {uid} into {collection}: {status} {body!r}")

    def delete_event(self, collection, uid):
        status, body = self.request("DELETE", f"{self.path(collection)}{uid}.ics")
        if status not in (200, 204):
            raise AssertionError(f"DELETE {uid} from {collection}: {status} {body!r}")

    def get_event(self, collection, uid):
        """(status, ETag or None, text) of GET /user/COLLECTION/UID.ics."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            connection.request("GET", f"{self.path(collection)}{urllib.parse.quote(uid, safe='@')}.ics",
                               headers={"Authorization": f"Basic {token}"})
            reply = connection.getresponse()
            return reply.status, reply.getheader("ETag"), reply.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def list_events(self, collection):
        """The names of the resources in the collection (e.g. "UID.ics"), by
        PROPFIND with Depth 1."""
        status, body = self.request("PROPFIND", self.path(collection),
                                    '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
                                    {"Depth": "1", "Content-Type": "application/xml"})
        if status != 207:
            raise AssertionError(f"PROPFIND {collection}: {status} {body!r}")
        hrefs = [element.text for element in ElementTree.fromstring(body).iter("{DAV:}href")]
        collection_path = self.path(collection)
        return sorted(urllib.parse.unquote(href.rsplit("/", 1)[-1]) for href in hrefs
                      if href.rstrip("/") != collection_path.rstrip("/"))


# One request as the feed server saw it; header names in lower case.
Request = collections.namedtuple("Request", "method path headers body")


def strong_etag(body):
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


class FeedServer:
    """An HTTP server on a free loopback port that answers every request
    (any method, any path) with what the test set: by default 200 with
    `body` (bytes or text) and a strong ETag of it, and 304 to a request
    whose If-None-Match names that ETag.

    What can be set (attributes, any time): `status`, `content_type`,
    `location` (a redirect target: the answer becomes `status` (302 unless
    set otherwise) with that Location), `gzip` (send the body
    gzip-compressed to a client that accepts it).

    It records every request in `requests` (Request: method, path,
    headers with lower-case names, body) and counts the 304s in
    `not_modified`."""

    def __init__(self, body=b"", path="/team.ics"):
        self.path = path
        self.status = 200
        self.content_type = "text/calendar; charset=utf-8"
        self.location = None
        self.gzip = False
        self.not_modified = 0
        self.requests = []
        self._lock = threading.Lock()
        self.set_body(body)
        self.port = None
        self._server = None
        self.start()

    def set_body(self, body):
        """A new body and so a new ETag."""
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.etag = strong_etag(self.body)

    def url(self, path=None, scheme="http", credentials=None):
        """`credentials`: (user, password), percent-encoded into the URL."""
        userinfo = ""
        if credentials:
            userinfo = ":".join(urllib.parse.quote(part, safe="") for part in credentials) + "@"
        return f"{scheme}://{userinfo}127.0.0.1:{self.port}{self.path if path is None else path}"

    def start(self):
        """Starts it (again: on the same port after stop())."""
        feed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                with feed._lock:
                    feed.requests.append(Request(self.command, self.path, headers, body))
                try:
                    feed._answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up, as it should when a body is too large
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_REPORT = do_PROPFIND = answer

        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _answer(self, handler):
        if self.location is not None:
            handler.send_response(302 if self.status == 200 else self.status)
            handler.send_header("Location", self.location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if self.status == 200 and handler.headers.get("If-None-Match") == self.etag:
            with self._lock:
                self.not_modified += 1
            handler.send_response(304)
            handler.send_header("ETag", self.etag)
            handler.end_headers()
            return
        body = self.body
        handler.send_response(self.status)
        handler.send_header("Content-Type", self.content_type)
        handler.send_header("ETag", self.etag)
        if self.gzip and "gzip" in (handler.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def methods(self):
        with self._lock:
            return [request.method for request in self.requests]

    def last_request(self):
        with self._lock:
            return self.requests[-1] if self.requests else None


class SilentServer:
    """Accepts connections on a free loopback port and never answers: a
    calendar server that hangs."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]
        self._held = []
        self._stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._stopping:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self._held.append(connection)  # open, unread, unanswered

    def url(self, path="/team/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self._stopping = True
        self._socket.close()
        for connection in self._held:
            connection.close()
