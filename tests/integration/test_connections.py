"""Every connection is bounded: read timeout, idle timeout, connection limit
(docs/api-behaviour.md, "Headers and connections")."""

import resource
import socket
import time
import unittest

from harness import ServiceTest


class ConnectionLimitsTest(ServiceTest):
    server_env = {
        "LEADGATE_HTTP_READ_TIMEOUT_SECONDS": "1",
        "LEADGATE_HTTP_IDLE_TIMEOUT_SECONDS": "1",
        "LEADGATE_HTTP_MAX_CONNECTIONS": "20",
    }

    def connect(self):
        sock = socket.create_connection((self.server.host, self.server.port), timeout=5)
        self.addCleanup(sock.close)
        return sock

    def seconds_until_closed(self, sock):
        started = time.monotonic()
        while sock.recv(4096):
            pass
        return time.monotonic() - started

    def test_a_request_that_never_completes_is_dropped_after_the_read_timeout(self):
        sock = self.connect()
        sock.sendall(b"POST /v1/forms/estimate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"name\"")
        self.assertLess(self.seconds_until_closed(sock), 3)

    def test_headers_sent_one_byte_at_a_time_do_not_extend_the_read_timeout(self):
        sock = self.connect()
        started = time.monotonic()
        closed = False
        for byte in b"GET /healthz HTTP/1.1\r\nX-Slow: " + b"a" * 100:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.05)
            if time.monotonic() - started > 4:
                break
        if not closed:
            self.assertEqual(sock.recv(4096), b"")
        self.assertLess(time.monotonic() - started, 3)

    def test_an_idle_keep_alive_connection_is_closed_after_the_idle_timeout(self):
        sock = self.connect()
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertTrue(sock.recv(4096).startswith(b"HTTP/1.1 200"))
        self.assertLess(self.seconds_until_closed(sock), 3)

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        sock = self.connect()
        for _ in range(3):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertTrue(sock.recv(4096).startswith(b"HTTP/1.1 200"))

    def test_connections_over_the_limit_get_503_and_others_keep_working(self):
        # No wait is needed between them: the server accepts connections in
        # the order they were made, one at a time, and counts each as it
        # accepts it, so the 21st is counted after the first 20.
        idle = [self.connect() for _ in range(20)]
        extra = self.connect()
        self.assertTrue(extra.recv(4096).startswith(b"HTTP/1.1 503"))
        for sock in idle:
            sock.setblocking(False)
            with self.assertRaises(BlockingIOError, msg="one of the first 20 was refused or closed"):
                sock.recv(4096)
        for sock in idle:
            sock.close()
        self.server.wait_until(lambda: self.server.get("/healthz").status == 200, "a free connection slot")

    def test_silent_connections_do_not_delay_other_clients(self):
        silent = [self.connect() for _ in range(15)]
        started = time.monotonic()
        self.assertEqual(self.server.get("/healthz").status, 200)
        self.assertLess(time.monotonic() - started, 0.5)
        self.assertEqual(len(silent), 15)


class SlowLorisTest(ServiceTest):
    server_env = {"LEADGATE_HTTP_READ_TIMEOUT_SECONDS": "3"}

    def test_a_thousand_slow_connections_do_not_stop_normal_requests_and_are_dropped(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
        slow = []
        try:
            opened = time.monotonic()
            for _ in range(1000):
                sock = socket.create_connection((self.server.host, self.server.port), timeout=10)
                sock.sendall(b"POST /v1/forms/estimate HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                slow.append(sock)
            for attempt in range(5):
                started = time.monotonic()
                reply = self.server.post_json("/v1/forms/estimate", {"name": "Patient Person",
                                                                     "email": "patient@example.com",
                                                                     "message": "Am I still answered quickly?"})
                self.assertEqual(reply.status, 201)
                self.assertLess(time.monotonic() - started, 1.0, "a normal request waited behind slow ones")
            # The normal requests were answered while the slow connections
            # were still held (else the test proves nothing): the last one
            # opened is still open.
            slow[-1].setblocking(False)
            with self.assertRaises(BlockingIOError, msg="the slow connections were dropped before the requests"):
                slow[-1].recv(1)
            slow[-1].setblocking(True)
            # Each is dropped once idle for the read timeout (3 s) after its
            # last byte; slack for a busy machine, shared by all of them.
            closed = 0
            deadline = opened + 3 + 4
            for sock in slow:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                try:
                    if sock.recv(1) == b"":
                        closed += 1
                except socket.timeout:
                    pass  # still open: the server did not drop it
                except ConnectionError:
                    closed += 1
            self.assertEqual(closed, 1000, "slow connections outlived the read timeout")
        finally:
            for sock in slow:
                sock.close()


if __name__ == "__main__":
    unittest.main()
