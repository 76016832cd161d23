"""psycopg 3 probe: server-side binary parameters, auto-prepare from the 6th run, psycopg_pool."""
import psycopg
import psycopg_pool
from psycopg.pq import TransactionStatus

from probe_common import Reporter, Target, expect, expect_error, run_form, StepFailed


def connect_args(t, form):
    """(conninfo, kwargs) for psycopg.connect / psycopg_pool.ConnectionPool."""
    if form == "url":
        return t.url(), {}
    if form == "keyword":
        return "", {"host": t.host, "port": t.port, "user": t.user, "password": t.password,
                    "dbname": t.db, "connect_timeout": 10}
    return "", {"host": t.unix_dir, "port": t.unix_port, "user": t.user, "dbname": t.db,
                "connect_timeout": 10}


def status(conn):
    return TransactionStatus(conn.info.transaction_status).name.lower()


def scalar(conn, sql, args=None, prepare=None):
    rows = conn.execute(sql, args, prepare=prepare).fetchall()
    if len(rows) != 1 or len(rows[0]) != 1:
        raise StepFailed(f"{sql}: expected one row of one column, got {rows!r}")
    return rows[0][0]


def probe_form(rep, t, form):
    st = {}
    conninfo, kwargs = connect_args(t, form)

    def connect():
        st["conn"] = psycopg.connect(conninfo, autocommit=True, **kwargs)
        conn = st["conn"]
        return f"server_version {conn.info.parameter_status('server_version')}"

    def select1():
        expect(scalar(st["conn"], "SELECT 1"), 1, "SELECT 1")
        return "1"

    def param():
        expect(scalar(st["conn"], "SELECT %s::int + 1", (41,)), 42, "SELECT %s::int + 1 (41)")
        return "42"

    def repeat7():
        conn = st["conn"]
        threshold = conn.prepare_threshold
        for i in range(7):
            expect(scalar(conn, "SELECT %s::int + 1", (100 + i,)), 101 + i, f"run {i + 1}")
        return f"7 runs (prepare_threshold {threshold}: prepared server-side from run 6)"

    def txn():
        conn = st["conn"]
        with conn.transaction():
            expect(scalar(conn, "SELECT 2"), 2, "SELECT 2 in transaction")
            expect(status(conn), "intrans", "transaction status inside")
            # A server-side cursor (DECLARE, then FETCH with binary results), and one closed
            # unused, which psycopg first looks up in pg_cursors.
            with conn.cursor("probe_cursor") as cur:
                cur.execute("SELECT %s::int + 1 AS v", (2,))
                expect(cur.fetchall(), [(3,)], "ServerCursor rows")
            conn.cursor("probe_unused").close()
            expect(status(conn), "intrans", "transaction status after the cursors")
        expect(status(conn), "idle", "transaction status after commit")
        return "conn.transaction(): BEGIN/SELECT 2/ServerCursor/COMMIT"

    def error():
        conn = st["conn"]
        notes = []
        try:
            scalar(conn, "SELECT 1/0")
            raise StepFailed("SELECT 1/0 did not fail")
        except psycopg.Error as exc:
            notes.append(expect_error(exc, "22012", "autocommit"))
        expect(scalar(conn, "SELECT 1"), 1, "SELECT 1 after the error")
        try:
            with conn.transaction():
                expect(scalar(conn, "SELECT %s::int + 1", (1,)), 2, "statement before the error")
                try:
                    scalar(conn, "SELECT 1/0")
                    raise StepFailed("SELECT 1/0 in transaction did not fail")
                except psycopg.Error as exc:
                    notes.append(expect_error(exc, "22012", "in transaction"))
                    expect(status(conn), "inerror", "transaction status after the error")
                    raise
        except psycopg.errors.DivisionByZero:
            pass  # conn.transaction() rolled back
        expect(status(conn), "idle", "transaction status after rollback")
        expect(scalar(conn, "SELECT 1"), 1, "SELECT 1 after rollback")
        expect(scalar(conn, "SELECT %s::int + 1", (5,)), 6, "prepared statement after rollback")
        return "; ".join(notes)

    def ping():
        pool = psycopg_pool.ConnectionPool(conninfo, kwargs=kwargs, min_size=1, max_size=2,
                                           timeout=10, open=False)
        try:
            pool.open(wait=True, timeout=10)
            pool.check()  # BEGIN; SELECT 1; ROLLBACK on every idle connection
            expect(pool.get_stats().get("connections_lost", 0), 0,
                   "connections check() found broken")
            with pool.connection() as c:
                expect(scalar(c, "SELECT 1"), 1, "SELECT 1 on pooled connection")
            stats = pool.get_stats()
            expect(stats.get("connections_errors", 0), 0, "pool connection errors")
            expect(stats.get("returns_bad", 0), 0, "connections returned bad")
        finally:
            pool.close(timeout=5)
        return "psycopg_pool check() + connection()"

    def close():
        conn = st["conn"]
        conn.close()
        expect(conn.closed, True, "conn.closed")
        return ""

    run_form(rep, form, {"connect": connect, "select1": select1, "param": param,
                         "repeat7": repeat7, "txn": txn, "error": error, "ping": ping,
                         "close": close, "cleanup": lambda: st.get("conn") and st["conn"].close()})


def main():
    t = Target()
    rep = Reporter("psycopg3")
    for form in t.forms:
        probe_form(rep, t, form)


if __name__ == "__main__":
    main()
