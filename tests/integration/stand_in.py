"""Stand-ins for the HTTP services leadgate calls (a captcha provider's
widget script and siteverify API): a quiet request handler that answers in
one call, and a server for it on a free loopback port, serving in the
background for the rest of the test run."""

import http.server
import threading
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    def posted_form(self):
        """The request's application/x-www-form-urlencoded body, as lists."""
        return urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())

    def answer(self, body, content_type="application/json", status=200):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(handler_class):
    """A running server of `handler_class` (a Handler) on 127.0.0.1; its
    origin is f"http://127.0.0.1:{server.server_port}"."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)  # the system picks a free port
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
