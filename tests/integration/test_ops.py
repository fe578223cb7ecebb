"""/healthz, /readyz, /metrics, and SIGTERM draining (docs/operations.md)."""

import socket
import threading
import time
import unittest

import psycopg2

from harness import Database, Server, ServiceTest, require_environment, run_leadgate, wait_until

LEAD = {"name": "Ops Test", "email": "ops@example.com", "message": "Checking the ops endpoints."}


class HealthAndMetricsTest(ServiceTest):
    def test_healthz_answers_ok(self):
        reply = self.server.get("/healthz")
        self.assertEqual((reply.status, reply.json()), (200, {"status": "ok"}))

    def test_readyz_reports_the_schema_version(self):
        reply = self.server.get("/readyz")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.json()["schema_version"], self.db.scalar("SELECT max(version) FROM schema_migrations"))

    def test_metrics_count_requests_leads_and_queue(self):
        self.assertEqual(self.server.post_json("/v1/forms/estimate", LEAD).status, 201)
        self.server.get("/nowhere")
        text = self.server.get("/metrics").text
        self.assertIn('leadgate_http_requests_total{route="/v1/forms/estimate",status="201"} 1', text)
        self.assertIn('leadgate_http_requests_total{route="unmatched",status="404"} 1', text)
        self.assertIn('leadgate_http_request_duration_seconds_count{route="/v1/forms/estimate"} 1', text)
        self.assertIn('leadgate_leads_total{form="estimate",spam="false"} 1', text)
        # Present before the first one, so that rates and alerts see a zero.
        self.assertIn('leadgate_leads_total{form="consultation",spam="false"} 0', text)
        self.assertIn("leadgate_database_up 1", text)
        self.assertIn('leadgate_jobs{status="queued"} 2', text)
        self.assertIn("leadgate_jobs_oldest_due_seconds", text)

    def test_head_is_answered_like_get_without_a_body(self):
        reply = self.server.request("HEAD", "/healthz")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.body, b"")
        self.assertEqual(reply.headers["content-length"], "15")

    def test_responses_carry_no_server_banner(self):
        self.assertNotIn("server", self.server.get("/healthz").headers)


class OpsListenerTest(ServiceTest):
    """http.ops_listen: /readyz and /metrics on a port of their own, gone
    from the public one (issue 16 item 7)."""

    server_env = {"LEADGATE_HTTP_OPS_LISTEN": "127.0.0.1:0"}

    def test_readiness_and_metrics_leave_the_public_port(self):
        self.assertIsNotNone(self.server.ops_address, "serve logged no listener for http.ops_listen")
        self.assertNotEqual(self.server.ops_address, self.server.address)
        for path in ("/readyz", "/metrics"):
            with self.subTest(path=path):
                self.assertEqual(self.server.get(path).status, 404, "the public port keeps no operational detail")
        self.assertEqual(self.server.get("/healthz").status, 200, "liveness stays on the public port")
        self.assertEqual(self.server.post_json("/v1/forms/estimate", LEAD).status, 201)

        status, ready = self.server.ops_get("/readyz")
        self.assertEqual(status, 200, ready)
        self.assertIn("schema_version", ready)
        status, metrics = self.server.ops_get("/metrics")
        self.assertEqual(status, 200)
        self.assertIn('leadgate_leads_total{form="estimate",spam="false"} 1', metrics, "the ops port counts the public port's leads")
        self.assertEqual(self.server.ops_get("/healthz")[0], 200)
        self.assertEqual(self.server.ops_get("/v1/admin/leads")[0], 404, "no sales API on the ops port")


class ReadinessFollowsTheSchemaTest(unittest.TestCase):
    def test_serve_is_not_ready_until_migrated_and_then_ready_without_restart(self):
        require_environment(self)
        db = Database(migrate=False)
        server = Server(db.url, wait_ready=False)
        try:
            reply = server.get("/readyz")
            self.assertEqual(reply.status, 503)
            self.assertIn("migrate", reply.json()["reason"])
            self.assertEqual(server.get("/healthz").status, 200)
            self.assertEqual(run_leadgate(["migrate"], {"LEADGATE_DATABASE_URL": db.url}).returncode, 0)
            server.wait_until(lambda: server.get("/readyz").status == 200, "ready after migrate")
            self.assertEqual(server.post_json("/v1/forms/estimate", LEAD).status, 201)
        finally:
            self.assertEqual(server.stop(), 0)
            db.drop()


class SlowDatabaseWorkTest(unittest.TestCase):
    """A request stuck on a lock must not stall other connections, and
    SIGTERM lets it finish before the process exits 0."""

    def setUp(self):
        require_environment(self)
        self.db = Database()
        self.server = Server(self.db.url)
        self.locker = psycopg2.connect(self.db.url)

    def tearDown(self):
        self.locker.close()
        self.db.drop()

    def lock_leads(self):
        cursor = self.locker.cursor()
        cursor.execute("LOCK TABLE leads IN ACCESS EXCLUSIVE MODE")

    def post_in_background(self, replies):
        """Posts an estimate from another thread; returns once its insert
        waits for the lock on leads."""
        thread = threading.Thread(target=lambda: replies.append(self.server.post_json("/v1/forms/estimate", LEAD)))
        thread.start()
        wait_until(lambda: self.db.scalar("SELECT count(*) FROM pg_locks WHERE NOT granted "
                                          "AND relation = 'leads'::regclass"), 10, "the insert to wait for its lock")
        return thread

    def test_blocked_insert_leaves_other_requests_answering(self):
        self.lock_leads()
        replies = []
        blocked = self.post_in_background(replies)
        started = time.monotonic()
        self.assertEqual(self.server.get("/healthz").status, 200)
        self.assertEqual(self.server.get("/readyz").status, 200)  # another pooled connection
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertEqual(replies, [])
        self.locker.rollback()
        blocked.join(10)
        self.assertEqual(replies[0].status, 201)
        self.assertEqual(self.server.stop(), 0)

    def test_sigterm_finishes_requests_in_flight_and_exits_0(self):
        idle = socket.create_connection((self.server.host, self.server.port))
        idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        idle.recv(4096)  # an idle keep-alive connection from now on
        self.lock_leads()
        replies = []
        in_flight = self.post_in_background(replies)
        self.server.process.send_signal(15)
        self.server.wait_until(lambda: self.server.events("draining"), "the server to start draining")
        self.assertIsNone(self.server.process.poll(), "exited with a request in flight")
        idle.settimeout(2)
        try:
            closed = idle.recv(4096) == b""
        except socket.timeout:
            closed = False
        self.assertTrue(closed, "the idle connection was not closed at once")
        with self.assertRaises(OSError):
            socket.create_connection((self.server.host, self.server.port), timeout=1).close()
        self.locker.rollback()
        in_flight.join(10)
        self.assertEqual(replies[0].status, 201)
        self.assertEqual(replies[0].headers.get("connection"), "close")
        self.assertEqual(self.server.stop(timeout=10), 0)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM leads"), 1)
        idle.close()


if __name__ == "__main__":
    unittest.main()
