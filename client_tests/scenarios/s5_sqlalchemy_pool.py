"""S5 example app for faults/scenarios/s5-pool-exhaustion.yaml: 6 concurrent web requests,
each running a query fauxgres answers 300 ms late, share a SQLAlchemy pool of
pool_size=2 + max_overflow=1.

  good  pool_timeout=5: requests wait for a connection; all 6 succeed in two waves
  bad   pool_timeout=0.1: the 3 requests that find the pool exhausted give up with
        sqlalchemy.exc.TimeoutError ("QueuePool limit of size 2 overflow 1 reached")

Either way every connection goes back to the pool. Usage: python3 s5_sqlalchemy_pool.py good|bad
"""
import os
import sys
import threading

import sqlalchemy
from sqlalchemy import text

REQUESTS = 6


def main(mode):
    engine = sqlalchemy.create_engine(
        os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg2://", 1),
        pool_size=2, max_overflow=1, pool_timeout=5 if mode == "good" else 0.1,
        pool_pre_ping=True, pool_recycle=300)
    start = threading.Barrier(REQUESTS, timeout=20)
    failures = []

    def request(n):
        start.wait()
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_sleep(0)"))
        except Exception as exc:
            failures.append(exc)
            print(f"request {n} failed: {type(exc).__name__}: {str(exc).splitlines()[0]}",
                  flush=True)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(REQUESTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    checked_out = engine.pool.checkedout()
    print(f"{REQUESTS - len(failures)} of {REQUESTS} requests succeeded; "
          f"checked out at the end: {checked_out}", flush=True)
    engine.dispose()
    return 1 if failures or checked_out else 0


if __name__ == "__main__":
    if sys.argv[1:] not in (["good"], ["bad"]):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
