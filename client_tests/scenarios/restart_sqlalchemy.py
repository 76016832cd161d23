"""Example app for faults/scenarios/restart.yaml: a SQLAlchemy service whose pooled
connection sits idle while the database restarts (0.5 s after the app's first login;
refused for 300 ms).

  good  pool_pre_ping=True (the pool tests a connection at checkout and replaces a dead
        one) and a short retry for requests that meet the database while it is down
  bad   no pre-ping, no retry: the first request after the restart runs on the killed
        connection and fails ("server closed the connection unexpectedly": the 57P01 the
        server sent while it was idle)

The app serves a request, idles 1.5 s (its pooled connection across the restart), and
serves another. Usage: python3 restart_sqlalchemy.py good|bad
"""
import os
import sys
import time

import sqlalchemy
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

IDLE = 1.5  # seconds idle after the first request: the restart comes 0.5 s after its login


def request(engine, retries):
    for attempt in range(retries + 1):
        try:
            with engine.connect() as conn:
                return conn.execute(text("SELECT 1")).scalar()
        except sa_exc.OperationalError as exc:
            if attempt == retries:
                raise
            print(f"retrying after: {str(exc.orig).splitlines()[0]}", flush=True)
            time.sleep(0.2)


def main(mode):
    good = mode == "good"
    engine = sqlalchemy.create_engine(
        os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg2://", 1),
        pool_size=1, max_overflow=0, pool_pre_ping=good, pool_recycle=300)
    retries = 5 if good else 0
    try:
        print(f"request 1: SELECT 1 = {request(engine, retries)}", flush=True)
        time.sleep(IDLE)
        print(f"request 2: SELECT 1 = {request(engine, retries)}", flush=True)
    except sa_exc.OperationalError as exc:
        print(f"request failed: {str(exc.orig).strip().splitlines()[0]}", flush=True)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    if sys.argv[1:] not in (["good"], ["bad"]):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
