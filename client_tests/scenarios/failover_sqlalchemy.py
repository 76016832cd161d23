"""Example app for faults/scenarios/failover.yaml (run fauxgres with
--fixtures client_tests/scenarios/fixtures.yaml, which answers the INSERT): a SQLAlchemy
service that writes an order per request. 0.5 s after its first login the database fails
over: sessions are killed, connects refused for 300 ms, and what comes back is a read-only
standby, so INSERT gets 25006 "cannot execute INSERT in a read-only transaction".

  good  pool_pre_ping=True and a retry for connection errors; 25006 means "the primary
        moved": the pool is disposed (new connections would find the new primary), the
        write is held back for later and the service keeps serving reads
  bad   the same pool and retry, but 25006 is treated like any other error: the service
        crashes

Usage: python3 failover_sqlalchemy.py good|bad
"""
import os
import sys
import time

import sqlalchemy
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

IDLE = 1.5  # seconds idle after the first request: the failover comes 0.5 s after its login
INSERT = text("INSERT INTO orders (item) VALUES ('book')")


def first_line(exc):
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]


def sqlstate(exc):
    return getattr(getattr(exc, "orig", None), "pgcode", None)


def with_retry(engine, work):
    for attempt in range(6):
        try:
            with engine.begin() as conn:
                return work(conn)
        except sa_exc.OperationalError as exc:  # the connection went away, or refused
            if attempt == 5:
                raise
            print(f"retrying after: {first_line(exc)}", flush=True)
            time.sleep(0.2)


def place_order(engine, mode, held):
    try:
        return with_retry(engine, lambda conn: conn.execute(INSERT).rowcount)
    except sa_exc.DBAPIError as exc:
        if mode == "good" and sqlstate(exc) == "25006":
            print(f"read-only database ({first_line(exc)}): the primary moved; "
                  f"holding the write back", flush=True)
            engine.dispose()  # new connections go to wherever the name points now
            held.append("book")
            return 0
        raise


def main(mode):
    engine = sqlalchemy.create_engine(
        os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg2://", 1),
        pool_size=1, max_overflow=0, pool_pre_ping=True)
    held = []
    try:
        print(f"order 1: {place_order(engine, mode, held)} row(s) written", flush=True)
        time.sleep(IDLE)
        print(f"order 2: {place_order(engine, mode, held)} row(s) written", flush=True)
        value = with_retry(engine, lambda conn: conn.execute(text("SELECT 1")).scalar())
        print(f"read after the failover: SELECT 1 = {value}; writes held back: {len(held)}",
              flush=True)
    except sa_exc.DBAPIError as exc:
        print(f"request failed: {sqlstate(exc) or ''} {first_line(exc)}", flush=True)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    if sys.argv[1:] not in (["good"], ["bad"]):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
