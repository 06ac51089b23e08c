#!/usr/bin/env python3
"""A deliberately hostile WebSocket server on loopback, for measuring what a server under test can do to the
harness (scripts/bench-hostile.sh). It answers every opening handshake with a valid 101, then misbehaves:

  flood        binary frames of 64 KiB, without end
  pings        pings, without end
  fragments    one text message that never ends: a first fragment, then continuation frames without end
  huge         a binary frame that announces 63 MiB, and its payload
  empty        100 000 empty text frames, then a close
  bomb         accepts permessage-deflate, then sends compressed messages of zeros (1 KiB on the wire
               inflates to 1 MiB), without end

Usage: hostile_server.py MODE [PORT]   prints the port on its first line, serves until killed.
Only 127.0.0.1. Standard library only."""
import asyncio, base64, hashlib, signal, struct, sys, zlib

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(opcode, payload, fin=True, rsv1=False):
    head = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
    n = len(payload)
    if n < 126:
        return bytes([head, n]) + payload
    if n < 1 << 16:
        return bytes([head, 126]) + struct.pack("!H", n) + payload
    return bytes([head, 127]) + struct.pack("!Q", n) + payload


def deflated_zeros(size):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(bytes(size)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return data[:-4]  # RFC 7692 §7.2.1: without the final 00 00 FF FF


async def serve(mode, reader, writer):
    try:
        request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    except Exception:
        writer.close()
        return
    key, deflate = b"", False
    for line in request.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"sec-websocket-key":
            key = value.strip()
        if name.strip().lower() == b"sec-websocket-extensions" and b"permessage-deflate" in value:
            deflate = True
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    response = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept
    if mode == "bomb" and deflate:
        response += b"\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover"
    writer.write(response + b"\r\n\r\n")

    async def drain_input():
        try:
            while await reader.read(65536):
                pass
        except Exception:
            pass

    drainer = asyncio.create_task(drain_input())
    try:
        if mode == "flood":
            chunk = frame(2, bytes(65536))
            while True:
                writer.write(chunk)
                await writer.drain()
        elif mode == "pings":
            chunk = frame(9, b"ping") * 256
            while True:
                writer.write(chunk)
                await writer.drain()
        elif mode == "fragments":
            writer.write(frame(1, b"a" * 1024, fin=False))
            chunk = frame(0, b"a" * 1024, fin=False) * 64
            while True:
                writer.write(chunk)
                await writer.drain()
        elif mode == "huge":
            size = 63 << 20
            writer.write(frame(2, b"")[:1] + bytes([127]) + struct.pack("!Q", size))
            block = bytes(1 << 20)
            for _ in range(63):
                writer.write(block)
                await writer.drain()
            await asyncio.sleep(30)
        elif mode == "empty":
            writer.write(frame(1, b"") * 100000 + frame(8, struct.pack("!H", 1000)))
            await writer.drain()
            await asyncio.sleep(30)
        elif mode == "bomb":
            if not deflate:
                writer.write(frame(8, struct.pack("!H", 1000)))
                await writer.drain()
                await asyncio.sleep(30)
                return
            chunk = frame(2, deflated_zeros(1 << 20), rsv1=True)
            while True:
                writer.write(chunk)
                await writer.drain()
    except Exception:
        pass
    finally:
        drainer.cancel()
        writer.close()


async def main():
    mode = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    server = await asyncio.start_server(lambda r, w: serve(mode, r, w), "127.0.0.1", port)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    # A parent may start this with signals blocked (a Swift test process's threads block them): SIGTERM and SIGINT
    # must still end it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    asyncio.run(main())
