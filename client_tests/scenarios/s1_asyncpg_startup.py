"""S1 example app for faults/scenarios/s1-db-down-at-start.yaml: an asyncpg service starting
while its database is down. Connection settings come from fauxgres run (PGHOST, PGPORT,
PGUSER, PGPASSWORD, PGDATABASE, which asyncpg reads by itself).

  good  start-up only schedules a background task that retries asyncpg.create_pool with a
        short backoff; the app is up at once and reports the database down until the
        pool exists, then serves a request (SELECT 1)
  bad   start-up awaits asyncpg.create_pool once (FastAPI's lifespan): while the database
        refuses, the app crashes before serving anything

Usage: python3 s1_asyncpg_startup.py good|bad
"""
import asyncio
import sys
import time

import asyncpg

DEADLINE = 15  # seconds the good app waits for its database


class App:
    def __init__(self, resilient):
        self.resilient = resilient
        self.pool = None
        self.task = None
        self.last_error = None

    async def startup(self):
        if not self.resilient:
            self.pool = await asyncpg.create_pool(min_size=1, max_size=2, timeout=3)
            return
        self.task = asyncio.create_task(self.connect_in_background())

    async def connect_in_background(self):
        delay = 0.05
        while self.pool is None:
            try:
                self.pool = await asyncpg.create_pool(min_size=1, max_size=2, timeout=3)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError,
                    asyncio.TimeoutError) as exc:
                if type(exc) is not type(self.last_error):
                    print(f"database not there yet: {type(exc).__name__}: {exc}", flush=True)
                self.last_error = exc
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.2)

    async def health(self):
        if self.pool is None:
            return "down"
        return f"up (SELECT 1 = {await self.pool.fetchval('SELECT 1')})"

    async def shutdown(self):
        if self.task:
            self.task.cancel()
        if self.pool:
            await self.pool.close()


async def main(mode):
    app = App(resilient=(mode == "good"))
    try:
        await app.startup()
    except Exception as exc:
        print(f"start-up failed: {type(exc).__name__}: {exc}", flush=True)
        return 1
    print("app started", flush=True)
    deadline = time.monotonic() + DEADLINE
    status = await app.health()
    while status == "down" and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        status = await app.health()
    print(f"/health: database {status}", flush=True)
    await app.shutdown()
    return 0 if status.startswith("up") else 1


if __name__ == "__main__":
    if sys.argv[1:] not in (["good"], ["bad"]):
        sys.exit(__doc__)
    sys.exit(asyncio.run(main(sys.argv[1])))
