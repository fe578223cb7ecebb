#!/usr/bin/env python3
"""Serves the example site (this directory) for trying leadgate's embed script in a browser.

    python3 examples/site/serve.py --listen 127.0.0.1:8081 --leadgate http://127.0.0.1:8080

The files name leadgate as http://localhost:8080; each served file has that text replaced by --leadgate,
so the page works against whichever leadgate runs. Port 0 picks a free port. The first line printed is
"example site at http://HOST:PORT/" once it listens (scripts and tests wait for it). Standard library only.
"""

import argparse
import http.server
import pathlib
import signal
import socket
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parent
PLACEHOLDER = b"http://localhost:8080"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
         ".ico": "image/x-icon"}


def make_handler(leadgate):
    class Handler(http.server.BaseHTTPRequestHandler):
        def version_string(self):
            return "example-site"

        def do_GET(self):
            self.answer(with_body=True)

        def do_HEAD(self):
            self.answer(with_body=False)

        def answer(self, with_body):
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path.endswith("/"):
                path += "index.html"
            file = (ROOT / path.lstrip("/")).resolve()
            # Only the site's own files: nothing outside this directory, and not this script.
            if ROOT not in file.parents or file.suffix not in TYPES or not file.is_file():
                self.send_error(404)
                return
            body = file.read_bytes().replace(PLACEHOLDER, leadgate)
            self.send_response(200)
            self.send_header("Content-Type", TYPES[file.suffix])
            self.send_header("Content-Length", str(len(body)))
            # The page is edited while trying it: the browser asks again each time.
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def log_message(self, format, *args):
            sys.stderr.write("example site: %s %s\n" % (self.address_string(), format % args))

    return Handler


def parse_listen(text):
    host, _, port = text.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:8081", help="HOST:PORT (port 0: any free port)")
    parser.add_argument("--leadgate", default="http://localhost:8080", help="leadgate's base URL")
    args = parser.parse_args()
    host, port = parse_listen(args.listen)
    leadgate = args.leadgate.rstrip("/").encode()

    server_class = http.server.ThreadingHTTPServer
    if ":" in host:
        class Server6(http.server.ThreadingHTTPServer):
            address_family = socket.AF_INET6
        server_class = Server6
    server = server_class((host, port), make_handler(leadgate))
    server.daemon_threads = True
    shown = "[%s]" % host if ":" in host else host
    print("example site at http://%s:%d/" % (shown, server.server_address[1]), flush=True)

    # serve_forever must be stopped from another thread; SIGTERM and Ctrl-C both end it cleanly.
    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
