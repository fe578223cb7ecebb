"""A real SMTP server (aiosmtpd) inside the test process, scripted per
recipient: answer 4xx a few times, reject with 5xx, or be slow, and record
every message accepted, as the recipient's server would see it."""

import asyncio
import email
import email.policy
import os
import ssl
import subprocess
import tempfile
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def self_signed_certificate():
    """A certificate for 127.0.0.1 and its key, in a temporary directory:
    (cert_path, key_path)."""
    directory = tempfile.mkdtemp(prefix="leadgate-tls-")
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


class Received:
    def __init__(self, mail_from, recipients, content, session, transport):
        self.mail_from = mail_from
        self.recipients = recipients
        self.content = content  # bytes, as sent
        self.message = email.message_from_bytes(content, policy=email.policy.default)
        self.connection = id(session)  # one per SMTP connection
        self.encrypted = transport.get_extra_info("ssl_object") is not None
        self.authenticated_as = session.auth_data if session.authenticated else None


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, options):
        reply = self.server._reply_for(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        self.server._accept(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, session, smtp.transport))
        return "250 Message accepted for delivery"


class SmtpServer:
    """tls: None, "starttls" (required) or "implicit" (smtps); `certificate`
    is (cert, key). login: (user, password) required before MAIL FROM."""

    def __init__(self, port, delay=0.0, tls=None, certificate=None, login=None):
        self.port = port
        self.delay = delay
        self._lock = threading.Lock()
        self._received = []
        self._scripts = {}  # address -> replies still to give before accepting
        self._logins = []   # every user name a client tried to authenticate as
        options = {}
        context = None
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*certificate)
        if tls == "starttls":
            options.update(tls_context=context, require_starttls=True)
        if login is not None:
            def authenticate(server, session, envelope, mechanism, data):
                with self._lock:
                    self._logins.append(data.login.decode() if isinstance(data, LoginPassword) else mechanism)
                ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == login
                return AuthResult(success=ok, auth_data=data.login.decode() if ok else None)
            options.update(authenticator=authenticate, auth_required=True, auth_require_tls=tls is not None)
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=port,
                                      ssl_context=context if tls == "implicit" else None,
                                      server_hostname="127.0.0.1", **options)
        self._controller.start()

    def stop(self):
        self._controller.stop()

    def script(self, address, replies):
        """Answer RCPT TO `address` with each of `replies` in turn, then accept.
        A reply of None in the list accepts that attempt."""
        with self._lock:
            self._scripts[address] = list(replies)

    def always(self, address, reply):
        with self._lock:
            self._scripts[address] = [reply] * 10000

    def accept(self, address):
        with self._lock:
            self._scripts.pop(address, None)

    def _reply_for(self, address):
        with self._lock:
            replies = self._scripts.get(address)
            if replies:
                return replies.pop(0)
            return None

    def _accept(self, received):
        with self._lock:
            self._received.append(received)

    def logins(self):
        with self._lock:
            return list(self._logins)

    def received(self, recipient=None):
        with self._lock:
            return [r for r in self._received if recipient is None or recipient in r.recipients]

    def wait_for(self, count, recipient=None, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.received(recipient)
            if len(messages) >= count:
                return messages
            time.sleep(0.05)
        raise AssertionError(f"{len(self.received(recipient))} of {count} messages arrived within {timeout} s")
