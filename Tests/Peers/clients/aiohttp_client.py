"""aiohttp's client under test, driven as aiohttp's own Autobahn|Testsuite driver (tests/autobahn/client/client.py)
drives the fuzzingserver: getCaseCount, then runCase for each case (echoing every message, text as text and binary
as binary), then updateReports. aiohttp's defaults (autoping, autoclose) except the message size.

    python aiohttp_client.py ws://127.0.0.1:9001 [AGENT]
"""
import asyncio
import sys

import aiohttp

SERVER = sys.argv[1].rstrip("/")
AGENT = sys.argv[2] if len(sys.argv) > 2 else "aiohttp"
# 9.x sends 16 MiB messages; the default limit (4 MiB) would refuse them with 1009 by design.
MAX_MSG_SIZE = 2**25
CASE_DEADLINE = 60


async def get_case_count(session):
    async with session.ws_connect(f"{SERVER}/getCaseCount") as ws:
        return int((await ws.receive()).data)


async def run_case(session, case):
    try:
        async with session.ws_connect(f"{SERVER}/runCase?case={case}&agent={AGENT}", max_msg_size=MAX_MSG_SIZE) as ws:
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    await ws.send_str(message.data)
                elif message.type == aiohttp.WSMsgType.BINARY:
                    await ws.send_bytes(message.data)
                else:
                    break
    except (aiohttp.ClientError, OSError) as error:
        print(f"case {case}: {type(error).__name__}: {error}", file=sys.stderr)  # the case judges how it went


async def update_reports(session):
    async with session.ws_connect(f"{SERVER}/updateReports?agent={AGENT}"):  # the session's timeout is 5 min
        pass


async def main():
    async with aiohttp.ClientSession() as session:
        count = await get_case_count(session)
        for case in range(1, count + 1):
            try:
                await asyncio.wait_for(run_case(session, case), CASE_DEADLINE)
            except asyncio.TimeoutError:
                print(f"case {case}: no end within {CASE_DEADLINE} s; moving on", file=sys.stderr)
        await update_reports(session)


asyncio.run(main())
