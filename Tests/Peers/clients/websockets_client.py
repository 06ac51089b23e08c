"""Python websockets' client under test, driven as client libraries drive Autobahn|Testsuite's fuzzingserver:
getCaseCount, then runCase for each case (echoing every message), then updateReports.

    python websockets_client.py ws://127.0.0.1:9001 [AGENT]

Given one case's URL (`wsspec run-client --exec 'python websockets_client.py {url}'`), it runs that case alone.
"""
import asyncio
import json
import sys

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

SERVER = sys.argv[1].rstrip("/")
AGENT = sys.argv[2] if len(sys.argv) > 2 else "websockets"


async def get_case_count():
    async with connect(f"{SERVER}/getCaseCount") as ws:
        return json.loads(await ws.recv())


async def run_case(case):
    await run_case_url(f"{SERVER}/runCase?case={case}&agent={AGENT}")


async def run_case_url(url):
    try:
        async with connect(url, max_size=2**25) as ws:
            async for message in ws:
                await ws.send(message)
    except (WebSocketException, OSError):
        pass  # the case judges how the connection went


async def update_reports():
    async with connect(f"{SERVER}/updateReports?agent={AGENT}", open_timeout=60):
        pass


async def main():
    if "/runCase" in SERVER:
        await run_case_url(SERVER)
        return
    count = await get_case_count()
    for case in range(1, count + 1):
        await asyncio.wait_for(run_case(case), 60)
    await update_reports()


asyncio.run(main())
