"""autobahn-python's client under test (asyncio), driven as autobahn's own testee client (wstest/testee_client_aio.py)
drives the fuzzingserver: one factory whose resource moves from getCaseCount through runCase for each case (echoing
every message, text as text and binary as binary) to updateReports, one connection at a time. Unlike that testee it
offers no permessage-deflate and keeps autobahn's defaults (failByDrop included): RFC 6455 as users get it. The
defaults set no limit on message size.

    python autobahn_client.py ws://127.0.0.1:9001 [AGENT]
"""
import asyncio
import sys

import txaio

txaio.use_asyncio()

from autobahn.asyncio.websocket import WebSocketClientFactory, WebSocketClientProtocol  # noqa: E402
from autobahn.websocket.util import parse_url  # noqa: E402

SERVER = sys.argv[1].rstrip("/")
AGENT = sys.argv[2] if len(sys.argv) > 2 else "autobahn"
CASE_DEADLINE = 60


class TesteeClientProtocol(WebSocketClientProtocol):
    def onMessage(self, payload, isBinary):
        if self.factory.case_count is None:
            self.factory.case_count = int(payload)
        else:
            self.sendMessage(payload, isBinary)

    def onClose(self, wasClean, code, reason):
        if not self.factory.done.done():
            self.factory.done.set_result(None)


class TesteeClientFactory(WebSocketClientFactory):
    protocol = TesteeClientProtocol

    def __init__(self, url):
        WebSocketClientFactory.__init__(self, url)
        self.case_count = None
        self.done = None


async def connect(factory, resource, host, port, deadline):
    """One connection to `resource`; returns once it has closed, or has been dropped at the deadline."""
    factory.resource = resource
    factory.done = asyncio.get_running_loop().create_future()
    try:
        transport, _ = await asyncio.get_running_loop().create_connection(factory, host, port)
    except OSError as error:
        print(f"{resource}: {type(error).__name__}: {error}", file=sys.stderr)
        return
    try:
        await asyncio.wait_for(asyncio.shield(factory.done), deadline)
    except asyncio.TimeoutError:
        print(f"{resource}: no end within {deadline} s; dropping the connection", file=sys.stderr)
        transport.abort()
        await asyncio.sleep(0)


async def main():
    _, host, port, _, _, _ = parse_url(SERVER)
    factory = TesteeClientFactory(SERVER)
    await connect(factory, "/getCaseCount", host, port, CASE_DEADLINE)
    for case in range(1, factory.case_count + 1):
        await connect(factory, f"/runCase?case={case}&agent={AGENT}", host, port, CASE_DEADLINE)
    await connect(factory, f"/updateReports?agent={AGENT}", host, port, 300)


asyncio.run(main())
