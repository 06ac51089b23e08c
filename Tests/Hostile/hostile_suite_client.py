#!/usr/bin/env python3
"""Hostile clients of `wsspec serve-suite` on 127.0.0.1, with a well-behaved probe beside them.

    hostile_suite_client.py nonreaders PORT [COUNT] [SECONDS]
    hostile_suite_client.py agents PORT [COUNT] [THREADS]

nonreaders: COUNT clients (40) open /runCase?casetuple=9.1.6 (a 16 MiB message to echo) with a 4 KiB receive
buffer and never read, for SECONDS (20).
agents: COUNT made-up agents (10000), each opening /runCase?casetuple=1.1.1 and closing at once after the 101,
then asking /updateReports, THREADS (16) at a time.
Meanwhile a probe opens /getCaseCount every half second and times the answer. The last line printed is:
MODE clients=N refused=R probes=P failed=F worst_ms=W
Loopback only; every loop is bounded.
"""
import base64
import os
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def request(port, path):
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()


def upgrade(port, path, receive_buffer=None, timeout=15):
    """Returns (socket, status) after the response head, or (None, 0) when the connection failed."""
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.settimeout(timeout)
        sock.connect((HOST, port))
        sock.sendall(request(port, path))
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 16384:
            chunk = sock.recv(1)
            if not chunk:
                break
            head += chunk
        status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
        return sock, status
    except OSError:
        return None, 0


class Probe(threading.Thread):
    def __init__(self, port, stop):
        super().__init__(daemon=True)
        self.port, self.stop, self.count, self.failed, self.worst = port, stop, 0, 0, 0.0

    def run(self):
        while not self.stop.is_set():
            began = time.monotonic()
            sock, status = upgrade(self.port, "/getCaseCount", timeout=10)
            ok = False
            if sock and status == 101:
                try:
                    data = sock.recv(64)
                    ok = len(data) >= 2 and data[0] == 0x81
                except OSError:
                    pass
            if sock:
                sock.close()
            self.count += 1
            self.failed += 0 if ok else 1
            self.worst = max(self.worst, time.monotonic() - began)
            self.stop.wait(0.5)


def nonreaders(port, count, seconds):
    sockets, lock, state = [], threading.Lock(), {"refused": 0}

    def open_one(index):
        sock, status = upgrade(port, f"/runCase?casetuple=9.1.6&agent=nonreader-{index}", receive_buffer=4096)
        with lock:
            if sock and status == 101:
                sockets.append(sock)
            else:
                state["refused"] += 1
                if sock:
                    sock.close()

    openers = [threading.Thread(target=open_one, args=(index,), daemon=True) for index in range(count)]
    for thread in openers:
        thread.start()
    for thread in openers:
        thread.join()
    time.sleep(seconds)
    for sock in sockets:
        sock.close()
    return count, state["refused"]


def agents(port, count, threads):
    lock = threading.Lock()
    state = {"next": 0, "refused": 0}

    def worker():
        while True:
            with lock:
                index = state["next"]
                if index >= count:
                    return
                state["next"] += 1
            for path in (f"/runCase?casetuple=1.1.1&agent=made-up-{index}", f"/updateReports?agent=made-up-{index}"):
                sock, status = upgrade(port, path)
                if status != 101:
                    with lock:
                        state["refused"] += 1
                if sock:
                    sock.close()

    workers = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return count, state["refused"]


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    stop = threading.Event()
    probe = Probe(port, stop)
    probe.start()
    if mode == "nonreaders":
        clients, refused = nonreaders(port, int(sys.argv[3]) if len(sys.argv) > 3 else 40,
                                      float(sys.argv[4]) if len(sys.argv) > 4 else 20)
    elif mode == "agents":
        clients, refused = agents(port, int(sys.argv[3]) if len(sys.argv) > 3 else 10000,
                                  int(sys.argv[4]) if len(sys.argv) > 4 else 16)
    else:
        sys.exit(f"unknown mode {mode}")
    stop.set()
    probe.join(15)
    print(f"{mode} clients={clients} refused={refused} probes={probe.count} failed={probe.failed} "
          f"worst_ms={int(probe.worst * 1000)}")


if __name__ == "__main__":
    main()
