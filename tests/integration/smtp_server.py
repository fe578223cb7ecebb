"""A real SMTP server (aiosmtpd) inside the test process, scripted per
recipient: answer 4xx a few times, reject with 5xx, or be slow, and record
every message accepted, as the recipient's server would see it."""

import asyncio
import email
import email.policy
import threading
import time

from aiosmtpd.controller import Controller


class Received:
    def __init__(self, mail_from, recipients, content):
        self.mail_from = mail_from
        self.recipients = recipients
        self.content = content  # bytes, as sent
        self.message = email.message_from_bytes(content, policy=email.policy.default)


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, session, smtp, envelope, address, options):
        reply = self.server._reply_for(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, session, smtp, envelope):
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        self.server._accept(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port, delay=0.0):
        self.port = port
        self.delay = delay
        self._lock = threading.Lock()
        self._received = []
        self._scripts = {}  # address -> replies still to give before accepting
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=port)
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
