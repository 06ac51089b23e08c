"""Echo server on wsproto (sans-IO), driven by a small asyncio loop of ours.

wsproto parses and frames; this loop only moves bytes and events: it accepts every upgrade (with
permessage-deflate when offered), echoes each finished message, answers pings, answers or sends the close
frame wsproto asks for, and then closes TCP (the server closes first, RFC 6455 §7.1.1).
Prints the port it listens on (loopback only) as its first line, then serves until killed.
"""
import asyncio
import sys

from wsproto import ConnectionType, WSConnection
from wsproto.connection import ConnectionState
from wsproto.events import BytesMessage, CloseConnection, Ping, Request, TextMessage, AcceptConnection
from wsproto.extensions import PerMessageDeflate
from wsproto.utilities import LocalProtocolError, RemoteProtocolError


async def serve_one(reader, writer):
    ws = WSConnection(ConnectionType.SERVER)
    parts = []
    done = False
    try:
        while not done:
            data = await reader.read(1 << 16)
            try:
                ws.receive_data(data or None)
            except RemoteProtocolError as error:
                # A malformed upgrade request: wsproto hands back the HTTP refusal to send.
                writer.write(ws.send(error.event_hint) if error.event_hint else b"")
                break
            for event in ws.events():
                if isinstance(event, Request):
                    writer.write(ws.send(AcceptConnection(extensions=[PerMessageDeflate()])))
                elif isinstance(event, (TextMessage, BytesMessage)):
                    parts.append(event.data)
                    if event.message_finished:
                        joined = ("" if isinstance(event, TextMessage) else b"").join(parts)
                        parts = []
                        writer.write(ws.send(type(event)(data=joined)))
                elif isinstance(event, Ping):
                    writer.write(ws.send(event.response()))
                elif isinstance(event, CloseConnection):
                    if ws.state is ConnectionState.REMOTE_CLOSING:
                        writer.write(ws.send(event.response()))   # the peer's close, answered
                    elif ws.state is ConnectionState.OPEN:
                        writer.write(ws.send(CloseConnection(code=event.code)))  # we fail the connection
                    done = True
                    break
            await writer.drain()
            if not data:
                break
    except (ConnectionError, LocalProtocolError):
        pass
    finally:
        writer.close()


async def main(port):
    server = await asyncio.start_server(serve_one, "127.0.0.1", port)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
