#!/usr/bin/env python3
"""Opens N raw PostgreSQL connections, completes the startup of each (trust auth) and
holds them idle until SIGTERM or SIGINT arrives. Used by scripts/bench to
measure memory per idle connection.

Prints one line "ready OK FAILED" once every connection is either logged in (ReadyForQuery
received) or has failed, then waits.

usage: idle_conns.py (--tcp HOST:PORT | --unix PATH) --count N [--user U] [--database D]
"""
import argparse
import asyncio
import resource
import signal
import struct
import sys


def startup_message(user: str, database: str) -> bytes:
    body = struct.pack("!i", 0x00030000)
    for k, v in (("user", user), ("database", database)):
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    return struct.pack("!i", len(body) + 4) + body


async def login(args, msg: bytes, writers: list) -> bool:
    try:
        if args.unix:
            reader, writer = await asyncio.open_unix_connection(args.unix)
        else:
            host, port = args.tcp.rsplit(":", 1)
            reader, writer = await asyncio.open_connection(host, int(port))
    except OSError:
        return False
    writers.append(writer)
    try:
        writer.write(msg)
        await writer.drain()
        while True:
            header = await reader.readexactly(5)
            kind, length = header[:1], struct.unpack("!i", header[1:])[0]
            if length < 4 or length > 1 << 20:
                return False
            await reader.readexactly(length - 4)
            if kind == b"Z":
                return True
            if kind == b"E":
                return False
    except (OSError, asyncio.IncompleteReadError):
        return False


async def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--tcp")
    p.add_argument("--unix")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--user", default="bench")
    p.add_argument("--database", default="bench")
    p.add_argument("--concurrency", type=int, default=200)
    p.add_argument("--timeout", type=float, default=120.0)
    args = p.parse_args()
    if bool(args.tcp) == bool(args.unix):
        p.error("give exactly one of --tcp and --unix")

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.count + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))

    msg = startup_message(args.user, args.database)
    writers: list = []
    gate = asyncio.Semaphore(args.concurrency)

    async def one() -> bool:
        async with gate:
            return await login(args, msg, writers)

    try:
        results = await asyncio.wait_for(
            asyncio.gather(*(one() for _ in range(args.count))), args.timeout)
    except asyncio.TimeoutError:
        print("ready 0 %d (timed out)" % args.count, flush=True)
        return 1
    ok = sum(results)
    print("ready %d %d" % (ok, args.count - ok), flush=True)

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for w in writers:
        w.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
