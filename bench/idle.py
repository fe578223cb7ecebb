"""bench/run helper: holds COUNT keep-alive connections to a server open,
each after one request, and prints the server's resident memory before and
with them (kB), then closes them."""

import resource
import socket
import sys
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def main():
    host, port, pid, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 1000), hard))
    before = rss_kb(pid)
    sockets = []
    request = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"
    for _ in range(count):
        sock = socket.create_connection((host, port))
        sock.sendall(request)
        sockets.append(sock)
    for sock in sockets:
        sock.recv(4096)
    time.sleep(1)
    with_connections = rss_kb(pid)
    print(before, with_connections)
    for sock in sockets:
        sock.close()


main()
