"""pg8000 1.10 probe: pure-Python, extended protocol with named statements and portals.

pg8000 1.10 has no SCRAM (md5 user over TCP), no URL form and no ping or pool.
"""
import pg8000

from probe_common import Reporter, Target, expect, expect_error, run_form, StepFailed


def connect_kwargs(t, form):
    if form == "keyword":
        return {"user": t.md5_user, "host": t.host, "port": t.port, "password": t.password,
                "database": t.db, "timeout": 10}
    return {"user": t.user, "unix_sock": t.unix_socket, "database": t.db, "timeout": 10}


def scalar(conn, sql, args=None):
    cur = conn.cursor()
    try:
        cur.execute(sql, args)
        rows = cur.fetchall()
    finally:
        cur.close()
    if len(rows) != 1 or len(rows[0]) != 1:
        raise StepFailed(f"{sql}: expected one row of one column, got {rows!r}")
    return rows[0][0]


def probe_form(rep, t, form):
    st = {}
    if form == "url":
        for step in ("connect", "select1", "param", "repeat7", "txn", "error", "ping", "close"):
            rep.na(form, step, "pg8000 1.10 has no URL/DSN form (keyword arguments only)")
        return

    def connect():
        st["conn"] = pg8000.connect(**connect_kwargs(t, form))
        user = connect_kwargs(t, form)["user"]
        return f"user {user}" + (" (md5: pg8000 1.10 has no SCRAM)" if user == t.md5_user else "")

    # Autocommit is off: pg8000 sends `begin transaction` before the first statement.
    def select1():
        conn = st["conn"]
        expect(scalar(conn, "SELECT 1"), 1, "SELECT 1")
        expect(conn.in_transaction, True, "in_transaction after implicit begin")
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
        expect(scalar(conn, "SELECT 2"), 2, "SELECT 2 in transaction")
        expect(conn.in_transaction, True, "in_transaction inside")
        conn.commit()
        expect(conn.in_transaction, False, "in_transaction after commit")
        return "begin transaction/SELECT 2/commit"

    def error():
        conn = st["conn"]
        notes = []
        try:
            scalar(conn, "SELECT 1/0")
            raise StepFailed("SELECT 1/0 did not fail")
        except pg8000.ProgrammingError as exc:
            notes.append(expect_error(exc, "22012", "in transaction"))
        conn.rollback()
        expect(conn.in_transaction, False, "in_transaction after rollback")
        expect(scalar(conn, "SELECT 1"), 1, "SELECT 1 after rollback")
        conn.commit()
        conn.autocommit = True
        try:
            try:
                scalar(conn, "SELECT 1/0")
                raise StepFailed("SELECT 1/0 (autocommit) did not fail")
            except pg8000.ProgrammingError as exc:
                notes.append(expect_error(exc, "22012", "autocommit"))
            expect(scalar(conn, "SELECT 1"), 1, "SELECT 1 after the error (autocommit)")
        finally:
            conn.autocommit = False
        return "; ".join(notes)

    def close():
        st["conn"].close()
        return ""

    def cleanup():
        if st.get("conn"):
            st["conn"].close()

    run_form(rep, form, {"connect": connect, "select1": select1, "param": param,
                         "repeat7": repeat7, "txn": txn, "error": error, "close": close,
                         "cleanup": cleanup},
             na={"ping": "pg8000 1.10 has no ping and no pool"})


def main():
    t = Target()
    rep = Reporter("pg8000")
    for form in t.forms:
        probe_form(rep, t, form)


if __name__ == "__main__":
    main()
