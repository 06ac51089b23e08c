"""Echo server on tornado: every message back as it came, permessage-deflate offered.

Prints the port it listens on (loopback only) as its first line, then serves until killed. With the
argument `keepalive` it pings every second and closes when a pong is a second late.
"""
import asyncio
import sys

import tornado.web
import tornado.websocket


class Echo(tornado.websocket.WebSocketHandler):
    def check_origin(self, origin):
        return True

    def get_compression_options(self):
        return {}

    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))


async def main(port, keepalive):
    timers = dict(websocket_ping_interval=1, websocket_ping_timeout=1) if keepalive else {}
    # 9.x sends 16 MiB messages; the default limit (10 MiB) would refuse the largest by design.
    app = tornado.web.Application([(r"/", Echo)], websocket_max_message_size=2**25, **timers)
    server = app.listen(port, address="127.0.0.1")
    print(next(iter(server._sockets.values())).getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, "keepalive" in sys.argv[2:]))
