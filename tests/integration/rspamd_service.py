"""A real rspamd (Debian's package, 3.4) for tests of the rspamd spam signal,
started on free loopback ports with a minimal local configuration in a
fresh folder, and stopped by the test.

    from rspamd_service import Rspamd, require_rspamd

    class SpamTest(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            require_rspamd(cls)          # skips (fails in CI) without rspamd
            cls.rspamd = Rspamd()        # started: answers /ping
            cls.addClassCleanup(cls.rspamd.destroy)

        def test_...(self):
            config = {"forms.rspamd_url": self.rspamd.url}   # "http://127.0.0.1:PORT"
            ...
            self.rspamd.stop()           # the port refuses connections now
            ...
            self.rspamd.start()          # again, same port

or `with Rspamd() as rspamd: ...` (destroyed on leaving).

API:
- `Rspamd(start=True)`: configures it (normal worker on `port`, controller
  and proxy on two more free ports) and, unless start=False, starts it.
- `url`: the normal worker, "http://127.0.0.1:PORT", for forms.rspamd_url.
- `start()`: starts it (again: same ports) and waits until /ping answers.
  The first start on a machine takes 10-15 s (rspamd compiles its regular
  expressions and the public suffix list with Hyperscan); later ones about
  1 s, since the compiled forms are kept in a cache folder shared by every
  instance (CACHE_DIR).
- `stop()`: SIGTERM, then SIGKILL to its process group after 20 s.
- `destroy()`: stop() and remove the folder. `__exit__` calls it.
- `check(message, headers=None)`: POSTs `message` (str or bytes) to
  /checkv2 with rspamd's protocol `headers` (e.g. {"IP": ..., "From": ...});
  rspamd's answer as a dict ("score", "required_score", "action", "symbols").
- `log()`: rspamd's log so far, for failure messages.
- `GTUBE`: the test string that makes rspamd answer "reject" with score 15.

What the configuration does: DNS goes to 127.0.0.1:53 with a 0.1 s timeout
and no retries, so the checks that need the network (blocklists, SPF, ...)
fail fast instead of holding a check for rspamd's 8 s task timeout; a check
then takes about 0.3 s. No redis: Bayes and the other learning modules are
off. Run as root, rspamd drops to the _rspamd user, which owns the folder;
run as anyone else, it runs as that user.
"""

import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile

from harness import free_port, missing_prerequisite, wait_until

RSPAMD = shutil.which("rspamd") or "/usr/sbin/rspamd"
SYSTEM_CONFIG = "/etc/rspamd/rspamd.conf"
USER = "_rspamd"

# Compiled Hyperscan databases, reused by every instance and every run:
# they depend only on rspamd's shipped rules.
CACHE_DIR = os.path.join(tempfile.gettempdir(), "leadgate-rspamd-cache")

GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"


def require_rspamd(test):
    """Skips (fails in CI) `test` when rspamd is not installed."""
    if not os.access(RSPAMD, os.X_OK) or not os.path.exists(SYSTEM_CONFIG):
        missing_prerequisite(test, "rspamd is not installed (apt-get install rspamd)")


def _owned_by_rspamd(path):
    """As root, rspamd's workers run as _rspamd and must write here."""
    if os.geteuid() != 0:
        return
    import pwd  # Unix only, like rspamd itself

    entry = pwd.getpwnam(USER)
    os.chown(path, entry.pw_uid, entry.pw_gid)


class Rspamd:
    def __init__(self, start=True):
        self.directory = tempfile.mkdtemp(prefix="leadgate-rspamd-")
        os.chmod(self.directory, 0o755)
        self.port = free_port()
        self.controller_port = free_port()
        self.proxy_port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.directory, "rspamd.log")
        self.process = None
        self._configure()
        if start:
            self.start()

    def _configure(self):
        local = os.path.join(self.directory, "local.d")
        db = os.path.join(self.directory, "db")
        run = os.path.join(self.directory, "run")
        for folder in (local, db, run):
            os.mkdir(folder)
        os.makedirs(CACHE_DIR, exist_ok=True)
        files = {
            # local.d merges into the shipped sections; a key set here
            # replaces the shipped one (the default ports included).
            "worker-normal.inc": f'bind_socket = "127.0.0.1:{self.port}";\ncount = 1;\n',
            "worker-controller.inc": f'bind_socket = "127.0.0.1:{self.controller_port}";\n',
            "worker-proxy.inc": f'bind_socket = "127.0.0.1:{self.proxy_port}";\n',
            "options.inc": (f'pidfile = "{run}/rspamd.pid";\n'
                            f'hs_cache_dir = "{CACHE_DIR}/";\n'
                            'dns { nameserver = ["127.0.0.1:53"]; timeout = 0.1s; retransmits = 0; }\n'),
            "logging.inc": f'type = "file";\nfilename = "{self.log_path}";\nlevel = "info";\n',
        }
        for name, text in files.items():
            with open(os.path.join(local, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        open(self.log_path, "a").close()
        for root, folders, names in os.walk(self.directory):
            _owned_by_rspamd(root)
            for name in names:
                _owned_by_rspamd(os.path.join(root, name))
        _owned_by_rspamd(CACHE_DIR)
        self.command = [RSPAMD, "-f", "-c", SYSTEM_CONFIG,
                        f"--var=LOCAL_CONFDIR={self.directory}", f"--var=DBDIR={db}", f"--var=RUNDIR={run}"]
        if os.geteuid() == 0:
            self.command[2:2] = ["-u", USER, "-g", USER]

    def start(self):
        """Starts it (again: same ports, same folder) and waits until it
        answers."""
        assert self.process is None, "rspamd is already running"
        output = open(os.path.join(self.directory, "output.log"), "ab")
        try:
            # Its own process group: stop() ends the workers with it.
            self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            output.close()

        def answers():
            if self.process.poll() is not None:
                raise AssertionError(f"rspamd exited with {self.process.returncode}: {self.output()}\n"
                                     + self.log()[-4000:])
            try:
                return self._request("GET", "/ping", timeout=2)[1].strip() == b"pong"
            except OSError:
                return False

        try:
            wait_until(answers, 120, lambda: "rspamd to answer /ping: " + self.log()[-4000:], interval=0.1)
        except AssertionError:
            self.stop()
            raise

    def stop(self):
        """Stops it; its ports refuse connections afterwards."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            pass
        # Workers that outlive their main process (or a main process that
        # did not end) go with the group.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(20)
        self.process = None

    def destroy(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.destroy()

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def output(self):
        with open(os.path.join(self.directory, "output.log"), encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def _request(self, method, path, body=None, headers=None, timeout=30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            return reply.status, reply.read()
        finally:
            connection.close()

    def check(self, message, headers=None):
        """rspamd's /checkv2 answer to `message`, as a dict."""
        body = message.encode("utf-8") if isinstance(message, str) else message
        status, answer = self._request("POST", "/checkv2", body, headers)
        if status != 200:
            raise AssertionError(f"rspamd /checkv2 answered {status}: {answer[:500]!r}")
        return json.loads(answer)
