"""Echo server on autobahn-python (asyncio): every message back as it came, permessage-deflate accepted.

Prints the port it listens on (loopback only) as its first line, then serves until killed. With the
argument `keepalive` it pings every second, drops the connection when a pong is a second late, and waits a
second for the answer to its close frame.
"""
import asyncio
import sys

from autobahn.asyncio.websocket import WebSocketServerFactory, WebSocketServerProtocol
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept


class Echo(WebSocketServerProtocol):
    def onMessage(self, payload, isBinary):
        self.sendMessage(payload, isBinary)


def accept(offers):
    for offer in offers:
        if isinstance(offer, PerMessageDeflateOffer):
            return PerMessageDeflateOfferAccept(offer)
    return None


async def main(port, keepalive):
    factory = WebSocketServerFactory()
    factory.protocol = Echo
    factory.setProtocolOptions(perMessageCompressionAccept=accept)
    if keepalive:
        factory.setProtocolOptions(autoPingInterval=1, autoPingTimeout=1, closeHandshakeTimeout=1)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, "127.0.0.1", port)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, "keepalive" in sys.argv[2:]))
