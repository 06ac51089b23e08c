#!/usr/bin/env python3
"""Times an echo of one large message sent in small fragments, with Python websockets' client (the peers' venv),
against any echo server: what a server's reassembly costs when a real client fragments.

    bench_fragmented_echo.py URL [SIZE_MIB] [FRAGMENT] [ROUNDS]

Sends a binary message of SIZE_MIB (16) MiB as frames of FRAGMENT (64) bytes, waits for the whole echo and checks
it, ROUNDS (3) times on one connection; prints `seconds=BEST` (the best round) and the rate. The client's own cost
is the same for every server, so servers are compared by the ratio of their times in one run
(scripts/bench-fragmented-echo.sh). Loopback only.
"""
import asyncio
import sys
import time

from websockets.asyncio.client import connect


async def main():
    url = sys.argv[1]
    size = int(float(sys.argv[2]) * (1 << 20)) if len(sys.argv) > 2 else 16 << 20
    fragment = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    payload = bytes((i * 31) & 0xFF for i in range(size))
    best = float("inf")
    async with connect(url, max_size=None, compression=None, ping_interval=None, open_timeout=10, close_timeout=10) as ws:
        for _ in range(rounds):
            began = time.monotonic()
            # An iterable sends one fragment per item: the server reassembles size / fragment frames.
            await ws.send(payload[start:start + fragment] for start in range(0, size, fragment))
            echo = await asyncio.wait_for(ws.recv(), 300)
            elapsed = time.monotonic() - began
            if echo != payload:
                sys.exit(f"the echo differs ({len(echo)} bytes)")
            best = min(best, elapsed)
    print(f"seconds={best:.3f} size={size} fragment={fragment} rate={size / best / 1e6:.1f}MB/s")


if __name__ == "__main__":
    asyncio.run(main())
