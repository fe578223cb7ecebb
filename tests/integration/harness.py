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
  CI                    "true" in CI, where a missing prerequisite fails
                        instead of skipping

Two habits keep the suite fast and honest. A database is a copy of one
migrated template (`CREATE DATABASE ... TEMPLATE`), not a fresh `migrate`.
And no test sleeps to let something happen: it polls for the state it needs
with wait_until(), which fails with the name of what never came.
"""

import contextlib
import hashlib
import http.client
import json
import os
import re
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

import api_contract

BIN = os.environ.get("LEADGATE_BIN", "")
ROOT = os.environ.get("LEADGATE_ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
PG_URL = os.environ.get("LEADGATE_TEST_PG_URL", "")
# ASan keeps freed memory in quarantine: memory figures mean nothing there.
SANITIZED = os.environ.get("LEADGATE_SANITIZED", "0") not in ("0", "", "FALSE")

SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")


def missing_prerequisite(test, reason):
    """Skips `test` (a TestCase, or its class in setUpClass) for want of
    `reason`; in CI (CI=true) fails it instead, since a skipped test there
    would be a check that silently stopped running."""
    if os.environ.get("CI") == "true":
        raise test.failureException(f"missing test prerequisite in CI: {reason}")
    raise unittest.SkipTest(reason)


def require_environment(test):
    if not BIN or not PG_URL:
        missing_prerequisite(test, "run through scripts/test (LEADGATE_BIN and LEADGATE_TEST_PG_URL unset)")


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls `predicate` until it returns something true, and returns that;
    after `timeout` seconds, an AssertionError naming `what` (a string, or a
    function giving one, e.g. to show the state last seen)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for " + (what() if callable(what) else what))
        time.sleep(interval)


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


# Any fixed number: it only has to differ from other advisory locks taken
# on the cluster's `postgres` database.
TEMPLATE_LOCK_ID = 0x6c67746d706c  # "lgtmpl"

_templates = {}  # admin URL -> name of the migrated template on that cluster


def migrations_digest():
    """A digest of db/migrations/*.sql, names and contents: a changed
    migration gives a new template rather than a stale one."""
    directory = os.path.join(ROOT, "db", "migrations")
    digest = hashlib.sha256()
    for name in sorted(name for name in os.listdir(directory) if name.endswith(".sql")):
        with open(os.path.join(directory, name), "rb") as handle:
            content = handle.read()
        digest.update(f"{name}\0{len(content)}\0".encode() + content)
    return digest.hexdigest()[:16]


def migrated_template(admin_url):
    """The name of a database on the cluster of `admin_url` that
    `leadgate migrate` built once, for every test to copy.

    Concurrent test processes (ctest -j) build it once between them: the
    first takes an advisory lock, the others wait for it and then find the
    template finished. Finished means it no longer allows connections, which
    is also what CREATE DATABASE ... TEMPLATE needs: it fails while anyone is
    connected to the template. A template left half-built by a crashed run
    still allows connections, and is built again."""
    if admin_url in _templates:
        return _templates[admin_url]
    name = "leadgate_template_" + migrations_digest()
    with connect(admin_url) as admin:
        cursor = admin.cursor()
        cursor.execute("SELECT pg_advisory_lock(%s)", (TEMPLATE_LOCK_ID,))
        cursor.execute("SELECT datallowconn FROM pg_database WHERE datname = %s", (name,))
        row = cursor.fetchone()
        if row is None or row[0]:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
            result = run_leadgate(["migrate"], {"LEADGATE_DATABASE_URL": database_url(admin_url, name)})
            if result.returncode != 0:
                raise AssertionError("leadgate migrate failed on the template: " + result.stderr + result.stdout)
            cursor.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
        cursor.execute("SELECT pg_advisory_unlock(%s)", (TEMPLATE_LOCK_ID,))
    _templates[admin_url] = name
    return name


class Database:
    """A database of a test's own on a cluster: a copy of the migrated
    template, or empty (migrate=False) for tests of migrate itself; dropped
    by drop()."""

    def __init__(self, admin_url=None, migrate=True):
        self.admin_url = admin_url or PG_URL
        self.name = "t_" + uuid.uuid4().hex[:16]
        template = f' TEMPLATE "{migrated_template(self.admin_url)}"' if migrate else ""
        with connect(self.admin_url) as admin:
            admin.cursor().execute(f'CREATE DATABASE "{self.name}"{template}')
        self.url = database_url(self.admin_url, self.name)

    def query(self, sql, params=()):
        with connect(self.url) as connection:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def scalar(self, sql, params=()):
        return self.query(sql, params)[0][0]

    def run_named(self, file, name, *params):
        """The rows of the named query of db/queries/FILE with `params` as $1, $2, …"""
        sql = named_query(file, name)
        for number in range(len(params), 0, -1):  # $10 before $1
            sql = sql.replace(f"${number}", f"%(p{number})s")
        return self.query(sql, {f"p{number}": value for number, value in enumerate(params, 1)})

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
    """The text of one named query in db/queries/FILE, without its comments,
    its "-- include: NAME" lines replaced by that fragment of the same file
    (as store/queries.cpp does)."""
    with open(os.path.join(ROOT, "db", "queries", file), encoding="utf-8") as handle:
        text = handle.read()

    def block(header):
        return re.split(r"^-- (?:name|fragment):", text.split(header, 1)[1], maxsplit=1, flags=re.M)[0]

    lines = []
    for line in block(f"-- name: {name}\n").splitlines():
        if line.strip().startswith("-- include:"):
            lines.extend(block(f"-- fragment: {line.split(':', 1)[1].strip()}\n").splitlines())
        else:
            lines.append(line)
    code = (line.split("--", 1)[0].rstrip() for line in lines)
    return "\n".join(line for line in code if line).rstrip(";")


def run_leadgate(arguments, environment, timeout=60):
    return subprocess.run([BIN, *arguments], cwd=ROOT, env=base_environment(environment),
                          capture_output=True, text=True, timeout=timeout)


# What the ops port (http.ops_listen) serves; every other path is a 404 there.
OPS_PATHS = ("/healthz", "/readyz", "/metrics")


def check_contract(method, target, response, only_paths=None):
    problems = api_contract.contract(ROOT).problems(method, target, response.status, response.headers, response.body,
                                                    only_paths)
    if problems:
        raise AssertionError("the response is not what docs/openapi.yaml describes:\n  " + "\n  ".join(problems))


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
        self.ops_address = None  # serve with http.ops_listen: where /readyz and /metrics are
        self._readers = [threading.Thread(target=self._read_stdout, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for reader in self._readers:
            reader.start()
        if not self._listening.wait(30):
            self.process.kill()
            raise AssertionError(f"leadgate {command} did not start: " + "".join(self.stderr) + str(self.lines))
        self.host, port = self.address.rsplit(":", 1) if self.address else (None, "0")
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
            if entry.get("event") == "listening" and entry.get("key") == "http.ops_listen":
                self.ops_address = entry["address"]
            elif entry.get("event") == "listening":
                self.address = entry["address"]
                self._listening.set()
            elif entry.get("event") == "metrics_off":  # a worker whose port another holds: no address
                self._listening.set()

    def _read_stderr(self):
        for raw in self.process.stderr:
            with self._lock:
                self.stderr.append(raw.decode("utf-8", "replace"))

    def log(self):
        with self._lock:
            return list(self.lines)

    def request(self, method, path, body=None, headers=None, timeout=30):
        """One request on a new connection. The answer must be one that
        docs/openapi.yaml describes (api_contract.py), or the test fails here."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            if isinstance(body, str):
                body = body.encode("utf-8")
            connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            response = Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
        finally:
            connection.close()
        check_contract(method, path, response)
        return response

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
        """wait_until() for a condition that asks this process over HTTP,
        which may refuse or drop connections until the condition holds."""
        def holds():
            try:
                return condition()
            except (OSError, http.client.HTTPException):
                return False

        return wait_until(holds, timeout, what)

    def _drain_output(self):
        """After exit: every line the process wrote is read (the readers end
        at end of file), then the pipes are closed."""
        for reader in self._readers:
            reader.join(10)
            if reader.is_alive():
                raise AssertionError("the output of leadgate was not read to its end")
        self.process.stdout.close()
        self.process.stderr.close()

    def kill(self):
        """SIGKILL: a crash, with no chance to clean up."""
        self.process.kill()
        self.process.wait(30)
        self._drain_output()

    def stop(self, timeout=30):
        """SIGTERM, then the exit code; fails on sanitizer reports."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError("leadgate did not exit after SIGTERM")
        self._drain_output()
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
            self.wait_until(lambda: self.ops_get("/readyz")[0] == 200, "ready")

    def ops_get(self, path):
        """(status, text) of GET `path` where /readyz and /metrics are: the
        http.ops_listen port when serve has one, else the public port."""
        if self.ops_address is None:
            reply = self.get(path)
            return reply.status, reply.text
        host, port = self.ops_address.rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request("GET", path)
            reply = connection.getresponse()
            response = Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
        finally:
            connection.close()
        check_contract("GET", path, response, OPS_PATHS)
        return response.status, response.text


class Worker(Process):
    """`leadgate worker`, its loop started."""

    def __init__(self, database_url, config=None, extra_env=None):
        super().__init__("worker", database_url, config, extra_env)
        self.wait_until(lambda: self.events("worker_started"), "the worker loop")


class Cluster:
    """A PostgreSQL cluster of a test's (or a test class's) own, for tests
    that stop and start it."""

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

    def running(self):
        status = self._shell(f'PGDIR=$(pg_resolve_dir "{self.directory}"); '
                             f'_pg_as_owner "$PG_BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null && echo yes || true')
        return status.strip() == "yes"

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


class DatabaseTest(unittest.TestCase):
    """A migrated database per test class, for tests of queries alone."""

    @classmethod
    def setUpClass(cls):
        require_environment(cls)
        cls.db = Database()

    @classmethod
    def tearDownClass(cls):
        cls.db.drop()


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
