"""S4 example app for faults/scenarios/s4-max-connections.yaml: a service scaled out to 2
instances (threads here, each with its own SQLAlchemy engine, as each Cloud Run instance
has its own pool), each serving 3 concurrent slow requests, against a server that allows
4 connections.

  good  pool_size=2, max_overflow=0 per instance: 2 x 2 = 4 fits the cap; requests queue
        in the pool (pool_timeout=10)
  bad   SQLAlchemy's defaults (pool_size=5, max_overflow=10): 2 x 3 = 6 connections,
        past the cap: FATAL 53300 "sorry, too many clients already"

Usage: python3 s4_sqlalchemy_scaleout.py good|bad
"""
import os
import sys
import threading

import sqlalchemy
from sqlalchemy import text

INSTANCES, REQUESTS = 2, 3


def engine(mode):
    pool = {"pool_size": 2, "max_overflow": 0, "pool_timeout": 10} if mode == "good" else {}
    return sqlalchemy.create_engine(os.environ["DATABASE_URL"].replace(
        "postgresql://", "postgresql+psycopg2://", 1), pool_pre_ping=True, **pool)


def main(mode):
    engines = [engine(mode) for _ in range(INSTANCES)]
    start = threading.Barrier(INSTANCES * REQUESTS, timeout=20)
    failures = []

    def request(instance, n):
        start.wait()
        try:
            with engines[instance].connect() as conn:
                conn.execute(text("SELECT pg_sleep(0)"))
        except Exception as exc:
            failures.append(exc)
            print(f"instance {instance} request {n} failed: {type(exc).__name__}: "
                  f"{str(exc).splitlines()[0]}", flush=True)

    threads = [threading.Thread(target=request, args=(i, n))
               for i in range(INSTANCES) for n in range(REQUESTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for e in engines:
        e.dispose()
    total = INSTANCES * REQUESTS
    print(f"{total - len(failures)} of {total} requests succeeded", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1:] not in (["good"], ["bad"]):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
