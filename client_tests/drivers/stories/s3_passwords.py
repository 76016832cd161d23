"""S3: a password with special characters mangled by URL parsing.

No fault is needed: fauxgres really checks passwords (SCRAM-SHA-256 and md5 are both run),
so a mangled password is a 28P01 like on PostgreSQL. Two roles:
- app  / `p@ss:w/rd%#`  all five delimiters; pasted raw into a URL, the URL no longer parses
  (or, if a parser carried on, the password would be wrong: 28P01).
- app2 / `a:b%40c`      a URL parser happily decodes the raw `%40` into `@`; the server
  sees `a:b@c` and answers 28P01 "password authentication failed".
The percent-encoded URL and the keyword form connect, with asyncpg, psycopg2 and
node-postgres.
"""
import asyncio
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import emit, error_record  # noqa: E402

USERS = [("app", "p@ss:w/rd%#"), ("app2", "a:b%40c")]
DB = "app"
PARSE_ERRORS = {  # what each driver raises for a URL it cannot parse
    "asyncpg": ("builtins.ValueError", "asyncpg.exceptions._base.InterfaceError"),
    "psycopg2": ("psycopg2.ProgrammingError",),
    "node-postgres": ("TypeError",),
}


# --- the runner side ---------------------------------------------------------------------

def run(h, node_problem=""):
    outcomes = {}  # (auth, driver, user, case) -> record
    for auth in ("scram-sha-256", "md5"):
        args = ["--auth", auth, "--database", DB]
        for user, password in USERS:
            args += ["--user", f"{user}={password}"]
        with h.server(f"s3-{auth}", args) as srv:
            t = json.dumps({"host": srv.host, "port": srv.port, "db": DB,
                            "users": [{"user": u, "password": p} for u, p in USERS]})
            clients = [h.python("s3_passwords.py", t, timeout=30)]
            if not node_problem:
                clients.append(h.node("s3_pg_passwords.js", t, timeout=30))
            for c in clients:
                h.run(c)
        h.server_survived(srv, auth)
        for c in clients:
            if c.problem():
                h.check(f"{auth}: client {os.path.basename(c.argv[1])}", False, c.problem())
            for r in c.records:
                if "case" in r:
                    outcomes[(auth, r.get("driver", "node-postgres"), r["user"], r["case"])] = r
        rejected = sum(1 for k, r in outcomes.items() if k[0] == auth and is_28p01(r))
        failures = srv.connections("auth_failures")
        h.check(f"{auth}: fauxgres counted every rejected password", failures == rejected,
                f"auth_failures {failures}, 28P01 seen by the clients {rejected}")

    drivers = ["asyncpg", "psycopg2"] + ([] if node_problem else ["node-postgres"])
    if node_problem:
        h.skip("node-postgres", node_problem)
    auths = ("scram-sha-256", "md5")
    for driver in drivers:
        def get(user, case):
            return [(a, outcomes.get((a, driver, user, case))) for a in auths]

        def detail(rs):
            return "; ".join(f"{a}: {describe(r)}" for a, r in rs)

        rs = get("app", "url_raw")
        h.check(f"{driver}: raw `p@ss:w/rd%#` in a URL fails (parse error or 28P01)",
                all(r and not r.get("ok") and (r["error"] in PARSE_ERRORS[driver] or is_28p01(r))
                    for _, r in rs), detail(rs))
        rs = get("app2", "url_raw")
        h.check(f"{driver}: raw `a:b%40c` in a URL is decoded to `a:b@c`: 28P01",
                all(r and is_28p01(r) and
                    'password authentication failed for user "app2"' in r.get("message", "")
                    for _, r in rs), detail(rs))
        for case, what in (("url_encoded", "percent-encoded URL"), ("keyword", "keyword form")):
            rs = get("app", case) + get("app2", case)
            h.check(f"{driver}: {what} connects (both passwords, scram and md5)",
                    all(r and r.get("ok") and r.get("value") == 1 for _, r in rs),
                    "; ".join(sorted({describe(r) for _, r in rs})))


def is_28p01(r):
    return bool(r) and not r.get("ok") and (r.get("sqlstate") == "28P01" or
                                            r.get("code") == "28P01" or
                                            "password authentication failed" in
                                            r.get("message", ""))


def describe(r):
    if r is None:
        return "no result"
    if r.get("ok"):
        return f"connected, SELECT 1 = {r.get('value')}"
    code = r.get("sqlstate") or r.get("code")
    return f"{r.get('error')}{' ' + code if code else ''}: {r.get('message')}"


# --- the client side: asyncpg and psycopg2 -----------------------------------------------

def urls(t, user, password):
    base = f"{t['host']}:{t['port']}/{t['db']}"
    return (f"postgresql://{user}:{password}@{base}",
            f"postgresql://{urllib.parse.quote(user, safe='')}:"
            f"{urllib.parse.quote(password, safe='')}@{base}")


def report(driver, user, case, fn):
    try:
        value = fn()
        emit(driver=driver, user=user, case=case, ok=True, value=value)
    except Exception as exc:
        rec = error_record(exc)
        if driver == "psycopg2" and rec["sqlstate"] is None and \
                "password authentication failed" in rec["message"]:
            # psycopg2 2.9 has no SQLSTATE on connect errors; the text is PG15's 28P01 one
            rec["sqlstate"] = "28P01 (from the message)"
        emit(driver=driver, user=user, case=case, ok=False, **rec)


def asyncpg_cases(t, user, password):
    import asyncpg
    raw, encoded = urls(t, user, password)

    async def once(dsn=None, **kw):
        conn = await asyncpg.connect(dsn, timeout=5, **kw)
        try:
            return await conn.fetchval("SELECT 1")
        finally:
            await conn.close()

    for case, coro in (("url_raw", lambda: once(raw)), ("url_encoded", lambda: once(encoded)),
                       ("keyword", lambda: once(host=t["host"], port=t["port"], user=user,
                                                password=password, database=t["db"]))):
        report("asyncpg", user, case, lambda: asyncio.run(coro()))


def psycopg2_cases(t, user, password):
    import psycopg2
    raw, encoded = urls(t, user, password)

    def once(*args, **kw):
        conn = psycopg2.connect(*args, connect_timeout=5, **kw)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
                return cur.fetchone()[0]
        finally:
            conn.close()

    report("psycopg2", user, "url_raw", lambda: once(raw))
    report("psycopg2", user, "url_encoded", lambda: once(encoded))
    report("psycopg2", user, "keyword", lambda: once(host=t["host"], port=t["port"], user=user,
                                                     password=password, dbname=t["db"]))


def client_main(argv):
    t = json.loads(argv[0])
    for u in t["users"]:
        asyncpg_cases(t, u["user"], u["password"])
        psycopg2_cases(t, u["user"], u["password"])
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["client"]:
    sys.exit(client_main(sys.argv[2:]))
