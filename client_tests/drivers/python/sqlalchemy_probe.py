"""SQLAlchemy 1.4 probe, with psycopg2 (create_engine) or asyncpg (create_async_engine).

Usage: sqlalchemy_probe.py psycopg2|asyncpg. The engine pools with pool_pre_ping,
pool_size=2, max_overflow=1; `ping` checks out a pooled connection twice and requires the
pre-ping to keep the same DBAPI connection (a failed pre-ping would silently reconnect).
"""
import asyncio
import sys

import sqlalchemy
from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import create_async_engine

from probe_common import Reporter, Target, expect, expect_error, run_form, arun_form, StepFailed

POOL_ARGS = {"pool_pre_ping": True, "pool_size": 2, "max_overflow": 1}
PARAM_SQL = text("SELECT CAST(:v AS INTEGER) + 1")


def engine_url(t, form, dbapi):
    drivername = f"postgresql+{dbapi}"
    if form == "url":
        return t.url(scheme=drivername)
    if form == "keyword":
        return URL.create(drivername, username=t.user, password=t.password, host=t.host,
                          port=t.port, database=t.db)
    return URL.create(drivername, username=t.user, port=t.unix_port, database=t.db,
                      query={"host": t.unix_dir})


def watch_pool(engine, st):
    st["invalidated"] = []

    def on_invalidate(dbapi_conn, record, exc):
        st["invalidated"].append(repr(exc))

    event.listen(engine, "invalidate", on_invalidate)
    event.listen(engine, "soft_invalidate", on_invalidate)


def check_ping_result(st, ids):
    expect(st["invalidated"], [], "connections invalidated by the pool (failed pre-ping?)")
    expect(ids[1], ids[0], "DBAPI connection on the 2nd checkout (pre-ping kept it)")


# --- psycopg2 (sync) ---------------------------------------------------------------------

def probe_sync(rep, t, form):
    st = {}

    def connect():
        st["engine"] = sqlalchemy.create_engine(engine_url(t, form, "psycopg2"), future=True,
                                                connect_args={"connect_timeout": 10},
                                                **POOL_ARGS)
        watch_pool(st["engine"], st)
        st["conn"] = st["engine"].connect()
        return f"server_version_info {st['conn'].dialect.server_version_info}"

    def select1():
        conn = st["conn"]
        expect(conn.execute(text("SELECT 1")).scalar_one(), 1, "SELECT 1")
        conn.commit()
        return "1"

    def param():
        conn = st["conn"]
        expect(conn.execute(PARAM_SQL, {"v": 41}).scalar_one(), 42, "CAST(:v AS INTEGER) + 1")
        conn.commit()
        return "42"

    def repeat7():
        conn = st["conn"]
        for i in range(7):
            expect(conn.execute(PARAM_SQL, {"v": 100 + i}).scalar_one(), 101 + i, f"run {i + 1}")
        conn.commit()
        return "7 runs"

    def txn():
        conn = st["conn"]
        with conn.begin():
            expect(conn.execute(text("SELECT 2")).scalar_one(), 2, "SELECT 2 in transaction")
            expect(conn.in_transaction(), True, "in_transaction() inside")
        expect(conn.in_transaction(), False, "in_transaction() after commit")
        return "conn.begin(): BEGIN/SELECT 2/COMMIT"

    def error():
        conn = st["conn"]
        notes = []
        try:
            with conn.begin():
                conn.execute(text("SELECT 1/0"))
            raise StepFailed("SELECT 1/0 did not fail")
        except sqlalchemy.exc.DBAPIError as exc:
            notes.append(expect_error(exc, "22012", "in conn.begin()"))
        expect(conn.in_transaction(), False, "in_transaction() after rollback")
        expect(conn.execute(text("SELECT 1")).scalar_one(), 1, "SELECT 1 after rollback")
        conn.commit()
        try:
            conn.execute(text("SELECT 1/0"))
            raise StepFailed("SELECT 1/0 (autobegin) did not fail")
        except sqlalchemy.exc.DBAPIError as exc:
            notes.append(expect_error(exc, "22012", "autobegin"))
        conn.rollback()
        expect(conn.execute(PARAM_SQL, {"v": 1}).scalar_one(), 2, "statement after rollback")
        conn.commit()
        return "; ".join(notes)

    def ping():
        engine = st["engine"]
        ids = []
        for round_ in (1, 2):
            with engine.connect() as c:  # 2nd checkout: pre-ping SELECT 1 first
                expect(c.execute(text("SELECT 1")).scalar_one(), 1, f"SELECT 1 on checkout {round_}")
                dbapi_conn = c.connection.dbapi_connection
                expect(dbapi_conn is not None, True, "checked-out DBAPI connection present")
                ids.append(id(dbapi_conn))
        check_ping_result(st, ids)
        return "pool_pre_ping on the 2nd checkout, same connection"

    def close():
        st["conn"].close()
        expect(st["conn"].closed, True, "conn.closed")
        st["engine"].dispose()
        return "conn.close() (pool reset: ROLLBACK) + engine.dispose()"

    def cleanup():
        if st.get("engine"):
            st["engine"].dispose()

    run_form(rep, form, {"connect": connect, "select1": select1, "param": param,
                         "repeat7": repeat7, "txn": txn, "error": error, "ping": ping,
                         "close": close, "cleanup": cleanup})


# --- asyncpg (async) ---------------------------------------------------------------------

async def probe_async(rep, t, form):
    st = {}

    async def connect():
        st["engine"] = create_async_engine(engine_url(t, form, "asyncpg"),
                                           connect_args={"timeout": 10}, **POOL_ARGS)
        watch_pool(st["engine"].sync_engine, st)
        st["conn"] = await st["engine"].connect()
        return f"server_version_info {st['conn'].dialect.server_version_info}"

    async def scalar(conn, sql, params=None):
        return (await conn.execute(sql, params)).scalar_one()

    async def select1():
        conn = st["conn"]
        expect(await scalar(conn, text("SELECT 1")), 1, "SELECT 1")
        await conn.commit()
        return "1"

    async def param():
        conn = st["conn"]
        expect(await scalar(conn, PARAM_SQL, {"v": 41}), 42, "CAST(:v AS INTEGER) + 1")
        await conn.commit()
        return "42"

    async def repeat7():
        conn = st["conn"]
        for i in range(7):
            expect(await scalar(conn, PARAM_SQL, {"v": 100 + i}), 101 + i, f"run {i + 1}")
        await conn.commit()
        return "7 runs"

    async def txn():
        conn = st["conn"]
        async with conn.begin():
            expect(await scalar(conn, text("SELECT 2")), 2, "SELECT 2 in transaction")
            expect(conn.in_transaction(), True, "in_transaction() inside")
        expect(conn.in_transaction(), False, "in_transaction() after commit")
        return "conn.begin(): BEGIN ISOLATION LEVEL READ COMMITTED;/SELECT 2/COMMIT;"

    async def error():
        conn = st["conn"]
        notes = []
        try:
            async with conn.begin():
                await conn.execute(text("SELECT 1/0"))
            raise StepFailed("SELECT 1/0 did not fail")
        except sqlalchemy.exc.DBAPIError as exc:
            notes.append(expect_error(exc, "22012", "in conn.begin()"))
        expect(conn.in_transaction(), False, "in_transaction() after rollback")
        expect(await scalar(conn, text("SELECT 1")), 1, "SELECT 1 after rollback")
        await conn.commit()
        try:
            await conn.execute(text("SELECT 1/0"))
            raise StepFailed("SELECT 1/0 (autobegin) did not fail")
        except sqlalchemy.exc.DBAPIError as exc:
            notes.append(expect_error(exc, "22012", "autobegin"))
        await conn.rollback()
        expect(await scalar(conn, PARAM_SQL, {"v": 1}), 2, "statement after rollback")
        await conn.commit()
        return "; ".join(notes)

    async def ping():
        engine = st["engine"]
        ids = []
        for round_ in (1, 2):
            async with engine.connect() as c:
                expect(await scalar(c, text("SELECT 1")), 1, f"SELECT 1 on checkout {round_}")
                raw = await c.get_raw_connection()
                expect(raw.dbapi_connection is not None, True, "checked-out DBAPI connection present")
                ids.append(id(raw.dbapi_connection))
        check_ping_result(st, ids)
        return "pool_pre_ping on the 2nd checkout, same connection"

    async def close():
        await st["conn"].close()
        expect(st["conn"].closed, True, "conn.closed")
        await st["engine"].dispose()
        return "conn.close() (pool reset: ROLLBACK;) + engine.dispose()"

    async def cleanup():
        if st.get("engine"):
            await st["engine"].dispose()

    await arun_form(rep, form, {"connect": connect, "select1": select1, "param": param,
                                "repeat7": repeat7, "txn": txn, "error": error, "ping": ping,
                                "close": close, "cleanup": cleanup})


def main():
    dbapi = sys.argv[1] if len(sys.argv) > 1 else "psycopg2"
    t = Target()
    rep = Reporter(f"sqlalchemy+{dbapi}")
    if dbapi == "psycopg2":
        for form in t.forms:
            probe_sync(rep, t, form)
    elif dbapi == "asyncpg":
        async def run_all():
            for form in t.forms:
                await probe_async(rep, t, form)
        asyncio.run(run_all())
    else:
        sys.exit(f"unknown DBAPI {dbapi!r}")


if __name__ == "__main__":
    main()
