"""serve and worker on one database with a real SMTP server, for tests that
follow what visitors receive (links in e-mails, calendar invitations,
webhooks beside the e-mails)."""

import unittest

from harness import Database, Server, Worker, free_port, require_environment
from smtp_server import SmtpServer


def worker_env(smtp_port, **overrides):
    """Settings for a worker that sends to the SMTP server on `smtp_port`
    quickly: no pacing to speak of, every retry after 0.5 to 1.5 s (the
    shortest backoff there is: 1 s with its jitter). `overrides` are mail.*
    keys, e.g. per_second=1."""
    environment = {
        "LEADGATE_MAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "LEADGATE_MAIL_FROM": "Studio Nørd <hello@studio.example>",
        "LEADGATE_MAIL_SALES_INBOX": "sales@studio.example",
        "LEADGATE_MAIL_PER_SECOND": "1000",
        "LEADGATE_MAIL_RETRY_BASE_SECONDS": "1",
        "LEADGATE_MAIL_RETRY_MAX_SECONDS": "1",
        "LEADGATE_MAIL_TIMEOUT_SECONDS": "5",
    }
    environment.update({f"LEADGATE_MAIL_{key.upper()}": str(value) for key, value in overrides.items()})
    return environment


class MailServiceTest(unittest.TestCase):
    """Per test class: a database, an SMTP server (`smtp`), `server` (whose
    http.public_url is its own address, so links in e-mails work) and
    `worker`. `environment` adds settings; `mail` overrides mail.* keys."""

    environment = {}
    mail = {}

    @classmethod
    def setUpClass(cls):
        # Each part is cleaned up even when a later one fails to start.
        require_environment(cls)
        cls.db = Database()
        cls.addClassCleanup(cls.db.drop)
        smtp_port = free_port()
        cls.smtp = SmtpServer(smtp_port)
        cls.addClassCleanup(cls.smtp.stop)
        listen = f"127.0.0.1:{free_port()}"
        cls.service_env = {**worker_env(smtp_port, **cls.mail), "LEADGATE_HTTP_LISTEN": listen,
                           "LEADGATE_HTTP_PUBLIC_URL": f"http://{listen}", **cls.environment}
        cls.server = cls.start(Server)
        cls.worker = cls.start(Worker)

    @classmethod
    def start(cls, kind, **overrides):
        """Another process of `kind` (Server or Worker) with the class's
        settings; it must exit cleanly (0) when the class is done."""
        process = kind(cls.db.url, extra_env={**cls.service_env, **overrides})

        def stop():
            code = process.stop()
            assert code == 0, f"leadgate {kind.__name__.lower()} exited with {code}"

        cls.addClassCleanup(stop)
        return process
