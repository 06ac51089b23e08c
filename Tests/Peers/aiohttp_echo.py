"""Echo server on aiohttp: every message back as it came, with aiohttp's defaults for pings and closing.

Prints the port it listens on (loopback only) as its first line, then serves until killed. With the
argument `keepalive` it pings after a second without input, closes when the pong is half a second late,
and waits a second for the answer to its close frame.
"""
import asyncio
import sys

from aiohttp import WSMsgType, web


KEEPALIVE = "keepalive" in sys.argv[2:]


async def echo(request):
    timers = dict(heartbeat=1.0, timeout=1.0) if KEEPALIVE else {}
    # 9.x sends 16 MiB messages; the default limit (4 MiB) would refuse them with 1009 by design.
    response = web.WebSocketResponse(max_msg_size=2**25, compress=True, **timers)
    await response.prepare(request)
    async for message in response:
        if message.type == WSMsgType.TEXT:
            await response.send_str(message.data)
        elif message.type == WSMsgType.BINARY:
            await response.send_bytes(message.data)
    return response


async def main(port):
    app = web.Application()
    app.router.add_get("/", echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    print(site._server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
