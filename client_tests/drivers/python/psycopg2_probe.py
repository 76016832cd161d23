"""psycopg2 probe: libpq underneath, client-side parameter interpolation, implicit BEGIN."""
import psycopg2
import psycopg2.extensions as ext
import psycopg2.pool

from probe_common import Reporter, Target, expect, expect_error, run_form, StepFailed

STATUS = {ext.TRANSACTION_STATUS_IDLE: "idle", ext.TRANSACTION_STATUS_ACTIVE: "active",
          ext.TRANSACTION_STATUS_INTRANS: "intrans", ext.TRANSACTION_STATUS_INERROR: "inerror",
          ext.TRANSACTION_STATUS_UNKNOWN: "unknown"}


def connect_kwargs(t, form):
    if form == "url":
        return {"dsn": t.url()}
    if form == "keyword":
        return {"host": t.host, "port": t.port, "user": t.user, "password": t.password,
                "dbname": t.db, "connect_timeout": 10}
    return {"host": t.unix_dir, "port": t.unix_port, "user": t.user, "dbname": t.db,
            "connect_timeout": 10}


def status(conn):
    return STATUS.get(conn.info.transaction_status, conn.info.transaction_status)


def scalar(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        rows = cur.fetchall()
    if len(rows) != 1 or len(rows[0]) != 1:
        raise StepFailed(f"{sql}: expected one row of one column, got {rows!r}")
    return rows[0][0]


def probe_form(rep, t, form):
    st = {}

    def connect():
        st["conn"] = psycopg2.connect(**connect_kwargs(t, form))
        conn = st["conn"]
        expect(conn.get_parameter_status("client_encoding"), "UTF8", "client_encoding")
        return f"server_version {conn.get_parameter_status('server_version')}"

    # psycopg2's default: autocommit off, so each of these runs inside an implicit BEGIN.
    def select1():
        conn = st["conn"]
        expect(scalar(conn, "SELECT 1"), 1, "SELECT 1")
        expect(status(conn), "intrans", "transaction status after implicit BEGIN")
        conn.commit()
        return "1"

    def param():
        conn = st["conn"]
        expect(scalar(conn, "SELECT %s::int + 1", (41,)), 42, "SELECT %s::int + 1 (41)")
        conn.commit()
        return "42"

    def repeat7():
        conn = st["conn"]
        for i in range(7):
            expect(scalar(conn, "SELECT %s::int + 1", (100 + i,)), 101 + i, f"run {i + 1}")
        conn.commit()
        return "7 runs"

    def txn():
        conn = st["conn"]
        with conn:  # commits on success
            expect(scalar(conn, "SELECT 2"), 2, "SELECT 2 in transaction")
            expect(status(conn), "intrans", "transaction status inside")
            # A named (server-side) cursor, as Django's iterator() uses: DECLARE, then FETCH
            # FORWARD itersize until no rows come.
            with conn.cursor("probe_cursor") as cur:
                cur.itersize = 1
                cur.execute("SELECT %s::int + 1 AS v", (2,))
                expect([row for row in cur], [(3,)], "named cursor rows")
        expect(status(conn), "idle", "transaction status after commit")
        return "BEGIN/SELECT 2/named cursor/COMMIT"

    def error():
        conn = st["conn"]
        conn.autocommit = True
        notes = []
        try:
            scalar(conn, "SELECT 1/0")
            raise StepFailed("SELECT 1/0 did not fail")
        except psycopg2.Error as exc:
            notes.append(expect_error(exc, "22012", "autocommit"))
        expect(scalar(conn, "SELECT 1"), 1, "SELECT 1 after the error")
        conn.autocommit = False
        try:
            scalar(conn, "SELECT 1/0")
            raise StepFailed("SELECT 1/0 in transaction did not fail")
        except psycopg2.Error as exc:
            notes.append(expect_error(exc, "22012", "in transaction"))
        expect(status(conn), "inerror", "transaction status after the error")
        conn.rollback()
        expect(status(conn), "idle", "transaction status after rollback")
        expect(scalar(conn, "SELECT 1"), 1, "SELECT 1 after rollback")
        conn.rollback()
        conn.autocommit = True
        return "; ".join(notes)

    def ping():
        # psycopg2 has no ping; its pool hands out connections and rolls back on return.
        pool = psycopg2.pool.ThreadedConnectionPool(1, 2, **connect_kwargs(t, form))
        try:
            c1 = pool.getconn()
            expect(scalar(c1, "SELECT 1"), 1, "SELECT 1 on pooled connection")
            pool.putconn(c1)
            c2 = pool.getconn()
            expect(c2 is c1, True, "pool reuses the returned connection")
            expect(status(c2), "idle", "status of the returned connection")
            expect(scalar(c2, "SELECT 1"), 1, "SELECT 1 after reuse")
            pool.putconn(c2)
        finally:
            pool.closeall()
        return "psycopg2.pool getconn/putconn x2 (no ping in psycopg2)"

    def close():
        conn = st["conn"]
        conn.close()
        expect(conn.closed != 0, True, "conn.closed")
        return ""

    run_form(rep, form, {"connect": connect, "select1": select1, "param": param,
                         "repeat7": repeat7, "txn": txn, "error": error, "ping": ping,
                         "close": close, "cleanup": lambda: st.get("conn") and st["conn"].close()})


def main():
    t = Target()
    rep = Reporter("psycopg2")
    for form in t.forms:
        probe_form(rep, t, form)


if __name__ == "__main__":
    main()
