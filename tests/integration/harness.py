"""Black-box test harness: the real `leadgate` binary, a real PostgreSQL,
real HTTP over loopback.

Integration tests are written in Python on purpose: they check leadgate
with independent, standard parsers (http.client, json, email, csv) rather
than with the C++ code under test, so a bug shared by our encoder and our
decoder cannot hide.

Environment (set by ctest / scripts/test):
  LEADGATE_BIN          the binary under test (normal or sanitizer build)
  LEADGATE_ROOT         the repository (templates/, db/, config/, scripts/)
  LEADGATE_TEST_PG_URL  a superuser URL of the shared throwaway cluster
"""

import contextlib
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

import psycopg2

BIN = os.environ.get("LEADGATE_BIN", "")
ROOT = os.environ.get("LEADGATE_ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
PG_URL = os.environ.get("LEADGATE_TEST_PG_URL", "")
# ASan keeps freed memory in quarantine: memory figures mean nothing there.
SANITIZED = os.environ.get("LEADGATE_SANITIZED", "0") not in ("0", "", "FALSE")

SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")


def require_environment(test):
    if not BIN or not PG_URL:
        raise unittest.SkipTest("run through scripts/test (LEADGATE_BIN and LEADGATE_TEST_PG_URL unset)")


def database_url(admin_url, name):
    """The admin URL with its database name replaced."""
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextlib.contextmanager
def connect(url):
    """An autocommit connection, closed after use. (psycopg2's own `with
    connection` opens a transaction block, in which CREATE DATABASE fails.)"""
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


class Database:
    """A fresh, empty database on a cluster; dropped by drop()."""

    def __init__(self, admin_url=None, migrate=True):
        self.admin_url = admin_url or PG_URL
        self.name = "t_" + uuid.uuid4().hex[:16]
        with connect(self.admin_url) as admin:
            admin.cursor().execute(f'CREATE DATABASE "{self.name}"')
        self.url = database_url(self.admin_url, self.name)
        if migrate:
            result = run_leadgate(["migrate"], {"LEADGATE_DATABASE_URL": self.url})
            assert result.returncode == 0, result.stderr + result.stdout

    def query(self, sql, params=()):
        with connect(self.url) as connection:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def scalar(self, sql, params=()):
        return self.query(sql, params)[0][0]

    def drop(self):
        try:
            with connect(self.admin_url) as admin:
                admin.cursor().execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        except psycopg2.Error:
            pass  # the cluster may already be gone (durability tests)


def base_environment(extra):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("LEADGATE_")}
    environment.update(extra)
    return environment


def named_query(file, name):
    """The text of one named query in db/queries/FILE, without its comments."""
    with open(os.path.join(ROOT, "db", "queries", file), encoding="utf-8") as handle:
        section = handle.read().split(f"-- name: {name}\n", 1)[1].split("-- name:", 1)[0]
    lines = (line.split("--", 1)[0].rstrip() for line in section.splitlines())
    return "\n".join(line for line in lines if line).rstrip(";")


def run_leadgate(arguments, environment, timeout=60):
    return subprocess.run([BIN, *arguments], cwd=ROOT, env=base_environment(environment),
                          capture_output=True, text=True, timeout=timeout)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case names
        self.body = body

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8")


class Process:
    """A `leadgate` subcommand (`serve`, `worker`) on a free port, with its
    JSON log lines collected."""

    def __init__(self, command, database_url, config=None, extra_env=None):
        environment = {
            "LEADGATE_DATABASE_URL": database_url,
            "LEADGATE_HTTP_LISTEN": "127.0.0.1:0",
            "LEADGATE_WORKER_LISTEN": "127.0.0.1:0",
            "LEADGATE_HTTP_DRAIN_SECONDS": "10",
            # Tests post far more than a visitor would; the tests of the
            # limits set their own.
            "LEADGATE_LIMITS_PER_MINUTE": "1000000",
            "LEADGATE_LIMITS_BURST": "1000000",
            "LEADGATE_LIMITS_EMAILS_PER_RECIPIENT_PER_DAY": "1000",
        }
        environment.update(extra_env or {})
        arguments = [BIN]
        if config is not None:
            handle = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
            handle.write(config)
            handle.close()
            self.config_file = handle.name
            arguments += ["--config", handle.name]
        arguments.append(command)
        self.process = subprocess.Popen(arguments, cwd=ROOT, env=base_environment(environment),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = []
        self.stderr = []
        self._lock = threading.Lock()
        self._listening = threading.Event()
        self.address = None
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        if not self._listening.wait(30):
            self.process.kill()
            raise AssertionError(f"leadgate {command} did not start: " + "".join(self.stderr) + str(self.lines))
        self.host, port = self.address.rsplit(":", 1)
        self.port = int(port)

    def events(self, name):
        return [line for line in self.log() if line.get("event") == name]

    def _read_stdout(self):
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            try:
                entry = json.loads(line)
            except ValueError:
                entry = {"unparsed": line}
            with self._lock:
                self.lines.append(entry)
            if entry.get("event") == "listening":
                self.address = entry["address"]
                self._listening.set()

    def _read_stderr(self):
        for raw in self.process.stderr:
            with self._lock:
                self.stderr.append(raw.decode("utf-8", "replace"))

    def log(self):
        with self._lock:
            return list(self.lines)

    def request(self, method, path, body=None, headers=None, timeout=30):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            if isinstance(body, str):
                body = body.encode("utf-8")
            connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
        finally:
            connection.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post_json(self, path, payload, headers=None):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        return self.request("POST", path, body, {"Content-Type": "application/json", **(headers or {})})

    def post_form(self, path, fields, headers=None):
        body = fields if isinstance(fields, (bytes, str)) else urllib.parse.urlencode(fields, doseq=True)
        return self.request("POST", path, body,
                            {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def raw(self, data, read_timeout=5):
        """Sends bytes as they are and returns what comes back until close or timeout."""
        with socket.create_connection((self.host, self.port), timeout=read_timeout) as sock:
            sock.sendall(data)
            chunks = []
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            except socket.timeout:
                pass
            return b"".join(chunks)

    def wait_until(self, condition, what, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    def kill(self):
        """SIGKILL: a crash, with no chance to clean up."""
        self.process.kill()
        self.process.wait(30)
        time.sleep(0.05)
        self.process.stdout.close()
        self.process.stderr.close()

    def stop(self, timeout=30):
        """SIGTERM, then the exit code; fails on sanitizer reports."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError("leadgate did not exit after SIGTERM")
        time.sleep(0.05)  # let the reader threads drain the pipes
        self.process.stdout.close()
        self.process.stderr.close()
        output = "".join(self.stderr)
        for marker in SANITIZER_MARKERS:
            if marker in output:
                raise AssertionError("sanitizer report:\n" + output)
        return code


class Server(Process):
    """`leadgate serve`, ready to answer (unless wait_ready=False)."""

    def __init__(self, database_url, config=None, extra_env=None, wait_ready=True):
        super().__init__("serve", database_url, config, extra_env)
        if wait_ready:
            self.wait_until(lambda: self.get("/readyz").status == 200, "ready")


class Worker(Process):
    """`leadgate worker`, its loop started."""

    def __init__(self, database_url, config=None, extra_env=None):
        super().__init__("worker", database_url, config, extra_env)
        self.wait_until(lambda: self.events("worker_started"), "the worker loop")


class Cluster:
    """A PostgreSQL cluster of a test's own, for tests that stop and start it."""

    def __init__(self, durable=True):
        self.directory = tempfile.mkdtemp(prefix="leadgate-cluster-")
        os.chmod(self.directory, 0o755)
        self.port = free_port()
        self.durability = "durable" if durable else "fast"
        self.start()
        self.admin_url = self._shell(f'pg_url "{self.directory}" {self.port} postgres').strip()

    def _shell(self, command):
        script = f'source "{ROOT}/scripts/lib/postgres.sh"; {command}'
        result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise AssertionError(f"{command}: {result.stderr}")
        return result.stdout

    def start(self):
        self._shell(f'pg_start "{self.directory}" {self.port} {self.durability}')

    def stop(self, mode="fast"):
        """mode "immediate" is a crash: no checkpoint, clients cut off."""
        self._shell(f'PGDIR=$(pg_resolve_dir "{self.directory}"); _pg_as_owner "$PG_BIN/pg_ctl" -D "$PGDIR/data" '
                    f'-m {mode} -w -t 60 stop')

    def destroy(self):
        try:
            self.stop("immediate")
        except AssertionError:
            pass
        subprocess.run(["rm", "-rf", self.directory])


def path_of(url):
    """The path and query of a link found in an e-mail, to request it from the test's server."""
    parts = urllib.parse.urlsplit(url)
    return parts.path + "?" + parts.query


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceTest(unittest.TestCase):
    """A migrated database and a running server per test class."""

    server_env = {}
    config = None

    @classmethod
    def setUpClass(cls):
        require_environment(cls)
        cls.db = Database()
        cls.server = Server(cls.db.url, config=cls.config, extra_env=cls.server_env)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.db.drop()
        assert code == 0, f"leadgate serve exited with {code}"
