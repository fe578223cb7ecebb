"""PostgreSQL outages: 503 while it is away, recovery without a restart, and
no accepted lead lost or split from its e-mails (docs/operations.md, "When
PostgreSQL is unreachable"; issue 2)."""

import collections
import http.client
import threading
import unittest

from harness import Cluster, Database, Server, require_environment, wait_until

LEAD = {"name": "Durable", "message": "Please keep this lead safe."}


class PostingClients:
    """`count` threads posting estimates to `server` (each with addresses of
    its own) until stopped, keeping every status and the id of every lead
    answered 201. A connection error ends a client when `stop_on_error`
    (the server is gone for good), else it tries again."""

    def __init__(self, server, prefix, count, stop_on_error=False):
        self.accepted, self.statuses = [], []
        self.lock, self._stop = threading.Lock(), threading.Event()
        # Daemons: a test that fails before stop() must not hang the run.
        self._threads = [threading.Thread(target=self._post, args=(server, f"{prefix}-{n}", stop_on_error),
                                          daemon=True)
                         for n in range(count)]
        for thread in self._threads:
            thread.start()

    def _post(self, server, name, stop_on_error):
        sequence = 0
        while not self._stop.is_set():
            sequence += 1
            try:
                reply = server.post_json("/v1/forms/estimate", {**LEAD, "email": f"{name}-{sequence}@example.com"})
            except (OSError, http.client.HTTPException):
                if stop_on_error:
                    return
                continue
            with self.lock:
                self.statuses.append(reply.status)
                if reply.status == 201:
                    self.accepted.append(reply.json()["id"])

    def wait_for(self, what, condition, timeout=30):
        """Until condition(accepted, statuses) holds for what was answered so far."""
        def holds():
            with self.lock:
                return condition(self.accepted, self.statuses)

        def seen():
            with self.lock:
                return f"{what}; answers so far: {dict(collections.Counter(self.statuses))}"

        wait_until(holds, timeout, seen)

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join()


def assert_every_accepted_lead_stored_whole(test, db, accepted):
    stored = {row[0] for row in db.query("SELECT id::text FROM leads")}
    test.assertEqual(set(accepted) - stored, set(), "a lead answered with 201 is missing")
    split = db.scalar("SELECT count(*) FROM leads l WHERE (SELECT count(*) FROM jobs j WHERE j.lead_id = l.id) <> 2")
    test.assertEqual(split, 0, "a lead is stored without both of its e-mails")


class DatabaseOutageTest(unittest.TestCase):
    """Each test stops and starts the class's own cluster (fsync on), and has
    a database of its own on it."""

    @classmethod
    def setUpClass(cls):
        require_environment(cls)
        cls.cluster = Cluster(durable=True)
        cls.addClassCleanup(cls.cluster.destroy)

    def setUp(self):
        if not self.cluster.running():  # a test that failed with it stopped
            self.cluster.start()
        self.db = Database(self.cluster.admin_url)
        self.addCleanup(self.db.drop)

    def post(self, server, email):
        return server.post_json("/v1/forms/estimate", {**LEAD, "email": email})

    def test_unreachable_database_gives_503_and_service_recovers_by_itself(self):
        self.cluster.stop()
        server = Server(self.db.url, wait_ready=False)
        try:
            self.assertEqual(server.get("/healthz").status, 200)
            self.assertEqual(server.get("/readyz").status, 503)
            reply = self.post(server, "during-outage@example.com")
            self.assertEqual(reply.status, 503)
            self.assertEqual(reply.headers["retry-after"], "5")
            problem = reply.json()
            self.assertEqual(problem["status"], 503)
            for internal in ("connect", "socket", "postgres", "pqxx", "server"):
                self.assertNotIn(internal, problem["detail"].lower())
            self.cluster.start()
            server.wait_until(lambda: self.post(server, "after-outage@example.com").status == 201, "recovery")
            self.assertEqual(server.get("/readyz").status, 200)
        finally:
            self.assertEqual(server.stop(), 0)

    def test_crash_and_restart_under_load_loses_no_accepted_lead(self):
        server = Server(self.db.url)
        try:
            clients = PostingClients(server, "load", 8)
            try:
                clients.wait_for("leads accepted under load", lambda accepted, _: len(accepted) >= 50)
                self.cluster.stop("immediate")  # a crash: requests in flight are cut off
                clients.wait_for("the outage noticed", lambda _, statuses: 503 in statuses)
                self.cluster.start()
                with clients.lock:
                    accepted_before_recovery = len(clients.accepted)
                clients.wait_for("leads accepted after the restart",
                                 lambda accepted, _: len(accepted) >= accepted_before_recovery + 50)
            finally:
                clients.stop()
            self.assertIn(503, clients.statuses, "the outage was not noticed")
            self.assertGreater(len(clients.accepted), accepted_before_recovery, "no lead was accepted after the restart")
            self.assertTrue(set(clients.statuses) <= {201, 503}, set(clients.statuses))
            assert_every_accepted_lead_stored_whole(self, self.db, clients.accepted)
        finally:
            self.assertEqual(server.stop(), 0)


class ServerCrashTest(unittest.TestCase):
    """Group commit answers 201 only after the group's commit: killing the
    server in the middle of groups loses no lead that was answered."""

    def test_kill_9_of_serve_under_load_loses_no_accepted_lead(self):
        require_environment(self)
        db = Database()
        self.addCleanup(db.drop)
        server = Server(db.url, extra_env={"LEADGATE_DATABASE_BATCH_LINGER_MICROSECONDS": "2000"})
        clients = PostingClients(server, "crash", 16, stop_on_error=True)
        try:
            # Killed in full flow, with groups being written.
            clients.wait_for("leads accepted under load", lambda accepted, _: len(accepted) >= 100)
        finally:
            server.kill()
            clients.stop()
        self.assertGreater(len(clients.accepted), 0)
        assert_every_accepted_lead_stored_whole(self, db, clients.accepted)


class GroupWithABadRowTest(unittest.TestCase):
    def test_one_lead_the_database_refuses_does_not_fail_its_group(self):
        require_environment(self)
        db = Database()
        self.addCleanup(db.drop)
        # A row PostgreSQL refuses, though it passed validation: a trigger
        # stands in for whatever could go wrong with one lead.
        db.query("CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                 "IF NEW.email = 'poison@example.com' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$")
        db.query("CREATE TRIGGER refuse_poison BEFORE INSERT ON leads FOR EACH ROW EXECUTE FUNCTION refuse_poison()")
        server = Server(db.url, extra_env={"LEADGATE_DATABASE_BATCH_LINGER_MICROSECONDS": "50000"})
        self.addCleanup(lambda: self.assertEqual(server.stop(), 0))
        emails = [f"neighbour{n}@example.com" for n in range(7)] + ["poison@example.com"]
        statuses = {}

        def post(email):
            statuses[email] = server.post_json("/v1/forms/estimate", {**LEAD, "email": email}).status

        threads = [threading.Thread(target=post, args=(email,)) for email in emails]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(statuses.pop("poison@example.com"), 500)
        self.assertEqual(set(statuses.values()), {201})
        self.assertEqual(db.scalar("SELECT count(*) FROM leads"), 7)
        self.assertTrue(any(line.get("event") == "group_commit_split" for line in server.log()),
                        "the leads were not written as one group: the test proves nothing")


if __name__ == "__main__":
    unittest.main()
