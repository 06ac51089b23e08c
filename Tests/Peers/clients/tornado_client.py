"""tornado's client under test, driven as tornado's own Autobahn|Testsuite driver (maint/test/websocket/client.py)
drives the fuzzingserver: getCaseCount, then runCase for each case (echoing every message, text as text and binary
as binary), then updateReports. tornado's defaults except the message size, and, as that driver does, it offers
permessage-deflate (compression_options={}: tornado's own parameters).

    python tornado_client.py ws://127.0.0.1:9001 [AGENT]
"""
import asyncio
import sys

from tornado.httpclient import HTTPClientError
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError, WebSocketError, websocket_connect

SERVER = sys.argv[1].rstrip("/")
AGENT = sys.argv[2] if len(sys.argv) > 2 else "tornado"
# 9.x sends 16 MiB messages; the default limit (10 MiB) would refuse the largest by design.
MAX_MESSAGE_SIZE = 2**25
CASE_DEADLINE = 60


async def get_case_count():
    ws = await websocket_connect(f"{SERVER}/getCaseCount")
    count = int(await ws.read_message())
    assert await ws.read_message() is None
    return count


async def run_case(case, connection):
    try:
        ws = await websocket_connect(f"{SERVER}/runCase?case={case}&agent={AGENT}", max_message_size=MAX_MESSAGE_SIZE,
                                     compression_options={})
        connection.append(ws)  # for the deadline in main()
        while True:
            message = await ws.read_message()
            if message is None:
                break
            await ws.write_message(message, binary=isinstance(message, bytes))
    except (HTTPClientError, WebSocketError, WebSocketClosedError, StreamClosedError, OSError) as error:
        print(f"case {case}: {type(error).__name__}: {error}", file=sys.stderr)  # the case judges how it went


async def update_reports():
    ws = await websocket_connect(f"{SERVER}/updateReports?agent={AGENT}", connect_timeout=300)
    assert await ws.read_message() is None


async def main():
    count = await get_case_count()
    for case in range(1, count + 1):
        connection = []
        try:
            await asyncio.wait_for(run_case(case, connection), CASE_DEADLINE)
        except asyncio.TimeoutError:
            print(f"case {case}: no end within {CASE_DEADLINE} s; closing and moving on", file=sys.stderr)
            if connection:
                connection[0].close()
    await update_reports()


asyncio.run(main())
