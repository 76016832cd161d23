"""S3 example app for faults/scenarios/s3-special-password.yaml: an asyncpg app whose
password has special characters (run fauxgres with --user 'app=s3:cr%40t').

  good  connects with DATABASE_URL, which fauxgres run percent-encodes
        (postgresql://app:s3%3Acr%2540t@...)
  bad   builds the URL itself from PGUSER/PGPASSWORD without encoding: "%40" in the
        password decodes to "@", so the server sees the wrong password: 28P01

Usage: python3 s3_asyncpg_password.py good|bad
"""
import asyncio
import os
import sys

import asyncpg


def dsn(mode):
    if mode == "good":
        return os.environ["DATABASE_URL"]
    e = os.environ
    return (f"postgresql://{e['PGUSER']}:{e['PGPASSWORD']}@{e['PGHOST']}:{e['PGPORT']}/"
            f"{e['PGDATABASE']}")


async def main(mode):
    try:
        conn = await asyncpg.connect(dsn(mode), timeout=5)
    except Exception as exc:
        code = getattr(exc, "sqlstate", None)
        print(f"connect failed: {type(exc).__name__}{' ' + code if code else ''}: {exc}",
              flush=True)
        return 1
    print(f"connected, SELECT 1 = {await conn.fetchval('SELECT 1')}", flush=True)
    await conn.close()
    return 0


if __name__ == "__main__":
    if sys.argv[1:] not in (["good"], ["bad"]):
        sys.exit(__doc__)
    sys.exit(asyncio.run(main(sys.argv[1])))
