"""An SMTP sink for bench/email: accepts and counts every message, keeps nothing."""

import signal
import sys
import threading

from aiosmtpd.controller import Controller


class CountingSink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


if __name__ == "__main__":
    controller = Controller(CountingSink(), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()
