#!/usr/bin/env python3
"""Hostile WebSocket clients against a server on 127.0.0.1, with a well-behaved probe beside them.

    hostile_client.py MODE PORT [PATH] [SECONDS]

MODE is one of: slow idle pings halfclose length bomb held fragments mix (all of them at once). The attack runs for
SECONDS (default 15) while a probe connects every half second, sends a text message and waits (2 s at most)
for a data frame back. The last line printed is: MODE probes=N failed=F worst_ms=W

The behaviours mirror the hostile-client matrix of the Swift tests (Tests/WebSocketNIOTests/
HostileClientTests.swift): a request trickled a byte a second, 1000 connections that send nothing, clients
that ping and never read, clients that half-close and never read, a 2^63-1 length, a deflate bomb, compressed
messages left in progress on many connections, and a flood of one-byte fragments. Loopback only; every loop is bounded by the attack's duration.
"""
import base64
import os
import socket
import struct
import sys
import threading
import time
import zlib

HOST = "127.0.0.1"


def request(port, path, extensions=None):
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}:{port}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13", "X-User: hostile"]
    if extensions:
        lines.append(f"Sec-WebSocket-Extensions: {extensions}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def frame(opcode, payload=b"", fin=True, rsv1=False):
    """A masked client frame with a zero mask key, so the payload goes as it is."""
    first = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", first, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", first, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", first, 0x80 | 127, n)
    return head + b"\0\0\0\0" + payload


def connect(port, timeout=5):
    sock = socket.create_connection((HOST, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def upgrade(port, path, extensions=None):
    sock = connect(port)
    sock.sendall(request(port, path, extensions))
    head = b""
    while b"\r\n\r\n" not in head:
        byte = sock.recv(1)
        if not byte:
            raise ConnectionError("closed during the handshake")
        head += byte
    return sock, head.decode("latin-1")


def write_until(sock, data, stop):
    """Writes `data` again and again, never reading, until `stop` is set or the socket has taken nothing for 2 s."""
    sock.setblocking(False)
    view, offset, last = memoryview(data), 0, time.monotonic()
    while not stop.is_set() and time.monotonic() - last < 2:
        try:
            offset = (offset + sock.send(view[offset:])) % len(data)
            last = time.monotonic()
        except (BlockingIOError, InterruptedError):
            time.sleep(0.01)
        except OSError:
            return


def guarded(body):
    def run(*args):
        try:
            body(*args)
        except OSError:
            pass  # the server dropping a hostile client is what it should do
    return run


@guarded
def slow(port, path, stop):
    sock = connect(port)
    for byte in request(port, path):
        if stop.wait(1):
            break
        sock.send(bytes([byte]))
    stop.wait()


def idle(port, path, stop, held, count):
    for _ in range(count):
        try:
            held.append(connect(port))
        except OSError:
            break
    stop.wait()


@guarded
def pings(port, path, stop):
    sock, _ = upgrade(port, path)
    write_until(sock, frame(0x9, b"p" * 125) * 500, stop)
    stop.wait()


@guarded
def halfclose(port, path, stop):
    sock, _ = upgrade(port, path)
    write_until(sock, frame(0x2, b"B" * (1 << 20)), stop)
    sock.shutdown(socket.SHUT_WR)
    stop.wait()


@guarded
def length(port, path, stop):
    while not stop.wait(0.2):
        sock, _ = upgrade(port, path)
        sock.sendall(b"\x82\xff\x7f" + b"\xff" * 7 + b"\0\0\0\0" + b"\0" * 1024)
        sock.close()


@guarded
def bomb(port, path, stop):
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    payload = compressor.compress(b"\0" * (64 << 20)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    payload = payload[:-4]  # RFC 7692 §7.2.1: the tail 00 00 ff ff is not sent
    while not stop.wait(0.2):
        sock, _ = upgrade(port, path, "permessage-deflate")
        sock.sendall(frame(0x2, payload, rsv1=True))
        sock.close()


@guarded
def held(port, path, stop):
    """Compressed messages left in progress: 16 MiB of zeros each, 16 KiB on the wire, never finished."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    payload = compressor.compress(b"\0" * (16 << 20)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    sockets = []
    for _ in range(30):
        sock, head = upgrade(port, path, "permessage-deflate")
        sock.sendall(frame(0x2, payload[:-4], fin=False, rsv1=True))
        sockets.append(sock)
    stop.wait()


@guarded
def fragments(port, path, stop):
    sock, _ = upgrade(port, path)
    one = frame(0x0, b"a", fin=False)
    flood = frame(0x1, b"a", fin=False) + one * 999_998 + frame(0x0, b"a")
    sock.sendall(flood)
    stop.wait()


def probe(port, path):
    """Milliseconds until a data frame came back, or None."""
    began = time.monotonic()
    try:
        sock, head = upgrade(port, path)
        if not head.startswith("HTTP/1.1 101"):
            return None
        sock.settimeout(2)
        sock.sendall(frame(0x1, b"probe"))
        first = sock.recv(2)
        sock.close()
        return (time.monotonic() - began) * 1000 if first and first[0] & 0x0F in (0x1, 0x2) else None
    except OSError:
        return None


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    path = sys.argv[3] if len(sys.argv) > 3 else "/"
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 15
    modes = ["slow", "idle", "pings", "halfclose", "length", "bomb", "held", "fragments"] if mode == "mix" else [mode]
    stop, held, threads = threading.Event(), [], []
    counts = {"slow": 20, "pings": 10, "halfclose": 10, "length": 5, "bomb": 5, "held": 10, "fragments": 4}
    for name in modes:
        if name == "idle":
            # Beside the others, fewer: 1000 plus them would pass the server's 1024-connection cap, and the probe
            # would be refused (503) by design rather than by failure.
            count = 1000 if mode == "idle" else 600
            threads.append(threading.Thread(target=idle, args=(port, path, stop, held, count), daemon=True))
        else:
            target = globals()[name]
            threads += [threading.Thread(target=target, args=(port, path, stop), daemon=True) for _ in range(counts[name])]
    for thread in threads:
        thread.start()
    results, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        results.append(probe(port, path))
        time.sleep(0.5)
    stop.set()
    failed = sum(1 for r in results if r is None)
    worst = max((r for r in results if r is not None), default=0)
    print(f"{mode} probes={len(results)} failed={failed} worst_ms={worst:.0f}")


if __name__ == "__main__":
    main()
