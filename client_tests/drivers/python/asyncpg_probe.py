"""asyncpg probe: named binary prepared statements, Flush round trips, pool reset on release."""
import asyncio

import asyncpg

from probe_common import Reporter, Target, expect, expect_error, arun_form, StepFailed


def connect_args(t, form):
    """(dsn, kwargs) for asyncpg.connect / asyncpg.create_pool."""
    if form == "url":
        return t.url(), {}
    if form == "keyword":
        return None, {"host": t.host, "port": t.port, "user": t.user, "password": t.password,
                      "database": t.db}
    return None, {"host": t.unix_dir, "port": t.unix_port, "user": t.user, "database": t.db}


async def probe_form(rep, t, form):
    st = {}
    dsn, kwargs = connect_args(t, form)

    async def connect():
        st["conn"] = await asyncpg.connect(dsn, timeout=10, **kwargs)
        return f"server_version {st['conn'].get_server_version()}"

    async def select1():
        expect(await st["conn"].fetchval("SELECT 1"), 1, "SELECT 1")
        return "1"

    async def param():
        expect(await st["conn"].fetchval("SELECT $1::int + 1", 41), 42, "SELECT $1::int + 1 (41)")
        return "42"

    async def repeat7():
        conn = st["conn"]
        for i in range(7):
            expect(await conn.fetchval("SELECT $1::int + 1", 100 + i), 101 + i, f"run {i + 1}")
        stmt = await conn.prepare("SELECT $1::int + 1")
        for i in range(7):
            expect(await stmt.fetchval(200 + i), 201 + i, f"prepared run {i + 1}")
        return "7 runs with fetchval + 7 with an explicit prepare()"

    async def txn():
        conn = st["conn"]
        async with conn.transaction():
            expect(await conn.fetchval("SELECT 2"), 2, "SELECT 2 in transaction")
            expect(conn.is_in_transaction(), True, "is_in_transaction() inside")
        expect(conn.is_in_transaction(), False, "is_in_transaction() after commit")
        return "conn.transaction(): BEGIN;/SELECT 2/COMMIT;"

    async def error():
        conn = st["conn"]
        notes = []
        try:
            await conn.fetchval("SELECT 1/0")
            raise StepFailed("SELECT 1/0 did not fail")
        except asyncpg.PostgresError as exc:
            notes.append(expect_error(exc, "22012", "outside a transaction"))
        expect(await conn.fetchval("SELECT 1"), 1, "SELECT 1 after the error")
        try:
            async with conn.transaction():
                expect(await conn.fetchval("SELECT $1::int + 1", 1), 2, "statement before the error")
                try:
                    await conn.fetchval("SELECT 1/0")
                    raise StepFailed("SELECT 1/0 in transaction did not fail")
                except asyncpg.PostgresError as exc:
                    notes.append(expect_error(exc, "22012", "in transaction"))
                    raise
        except asyncpg.exceptions.DivisionByZeroError:
            pass  # conn.transaction() sent ROLLBACK
        expect(conn.is_in_transaction(), False, "is_in_transaction() after rollback")
        expect(await conn.fetchval("SELECT 1"), 1, "SELECT 1 after rollback")
        return "; ".join(notes)

    async def ping():
        # asyncpg's pool has no ping: it resets a connection on release
        # (pg_advisory_unlock_all / CLOSE ALL / UNLISTEN * / RESET ALL) and reuses it.
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2, timeout=10, **kwargs)
        pids = []
        try:
            for round_ in (1, 2):
                con = await pool.acquire(timeout=10)
                try:
                    expect(await con.fetchval("SELECT 1"), 1, f"SELECT 1 on acquire {round_}")
                    pids.append(con.get_server_pid())
                finally:
                    await pool.release(con, timeout=10)  # raises if the reset query failed
            expect(pids[1], pids[0], "backend pid on the 2nd acquire (same connection reused)")
        finally:
            await asyncio.wait_for(pool.close(), 10)
        return "pool acquire/release x2 (release runs the reset query)"

    async def close():
        conn = st["conn"]
        await asyncio.wait_for(conn.close(), 10)
        expect(conn.is_closed(), True, "is_closed()")
        return ""

    async def cleanup():
        if st.get("conn"):
            st["conn"].terminate()

    await arun_form(rep, form, {"connect": connect, "select1": select1, "param": param,
                                "repeat7": repeat7, "txn": txn, "error": error, "ping": ping,
                                "close": close, "cleanup": cleanup})


async def main():
    t = Target()
    rep = Reporter("asyncpg")
    for form in t.forms:
        await probe_form(rep, t, form)


if __name__ == "__main__":
    asyncio.run(main())
