"""Echo server on Hypercorn (ASGI), over HTTP/1.1 and cleartext HTTP/2 on one port: each WebSocket, opened by an
upgrade or by an extended CONNECT (RFC 8441), gets back every message as it came. Hypercorn's WebSocket protocol is
wsproto's, which negotiates permessage-deflate.
Prints the port it listens on (loopback only) as its first line, then serves until killed.
"""
import asyncio
import socket
import sys

from hypercorn.asyncio import serve
from hypercorn.config import Config


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": message["text"]})
        else:
            await send({"type": "websocket.send", "bytes": message.get("bytes") or b""})


def main():
    # The socket is ours, bound to a free port before Hypercorn serves on it, so the port can be printed.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    listener.listen(256)
    listener.set_inheritable(True)
    config = Config()
    config.bind = [f"fd://{listener.fileno()}"]
    # 9.x sends 16 MiB messages.
    config.websocket_max_message_size = 64 * 1024 * 1024
    config.accesslog = None
    config.errorlog = None
    print(listener.getsockname()[1], flush=True)
    asyncio.run(serve(app, config))


if __name__ == "__main__":
    main()
