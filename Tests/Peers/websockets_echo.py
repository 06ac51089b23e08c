"""Echo server on Python `websockets` (asyncio API): every message back as it came, nothing else of ours.

Prints the port it listens on (loopback only) as its first line, then serves until killed. With the
argument `keepalive` it pings every second, closes when a pong is a second late, and waits a second for
the answer to its close frame.
"""
import asyncio
import sys

from websockets.asyncio.server import serve


async def echo(connection):
    async for message in connection:
        await connection.send(message)


async def main(port, keepalive):
    timers = dict(ping_interval=1, ping_timeout=1, close_timeout=1) if keepalive else dict(ping_interval=None)
    # 9.x sends 16 MiB messages: the default limit (1 MiB) would refuse them with 1009 by design.
    async with serve(echo, "127.0.0.1", port, max_size=2**25, compression="deflate", **timers) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, "keepalive" in sys.argv[2:]))
