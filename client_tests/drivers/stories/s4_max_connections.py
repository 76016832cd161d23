"""S4: scale-out exceeds the server's connection limit.

  --fault max_connections:limit=3                  FATAL 53300 "sorry, too many clients already"
  --fault max_connections:limit=3,variant=silent   closed without a byte (Cloud SQL Auth Proxy)

- psycopg2 holding 3 connections: the 4th login fails with 53300's text (psycopg2 2.9 has no
  SQLSTATE on connect errors), asyncpg's shows the SQLSTATE itself; with the silent
  variant psycopg2 reports "server closed the connection unexpectedly".
- SQLAlchemy (psycopg2) with pool_size=5 > the cap, 5 concurrent requests: 2 fail with
  OperationalError (53300).
- The configuration that survives: pool_size=2 + max_overflow=1 <= the cap, 8 concurrent
  requests: all succeed (they wait for a pooled connection), the rule fires 0 times and the
  server's peak connection count stays <= 3.
- credential_expiry (IAM-style tokens, `--auth password` as IAM authentication sends them):
  with `credential_expiry:user=app,valid_for=2s` every token works for 2 s from its first
  login. A SQLAlchemy engine with a fixed password gets 28P01 for its next connection after
  that (a session opened before goes on); one whose `do_connect` event hands psycopg2 a
  fresh token from a token provider, with pool_recycle, reconnects and every request
  succeeds. fauxgres counts the one refused login under the rule and as a rejection.
"""
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import emit, error_record  # noqa: E402

LIMIT = 3
USER, PASSWORD, DB = "app", "s4-secret", "app"
TOO_MANY = "sorry, too many clients already"


# --- the runner side ---------------------------------------------------------------------

def server_args(rule):
    return ["--fault", rule, "--user", f"{USER}={PASSWORD}", "--database", DB]


def target(srv, **more):
    return json.dumps({"host": srv.host, "port": srv.port, "user": USER, "password": PASSWORD,
                       "db": DB, **more})


def describe(r):
    if r is None:
        return "no result"
    if r.get("ok"):
        return "connected"
    code = r.get("sqlstate")
    return f"{r.get('error')}{' ' + code if code else ''}: {r.get('message')}"


def fatal_text(r):
    """The error class and the server's FATAL line out of a (wrapped) error."""
    full = r.get("full", "")
    i = full.find("FATAL:")
    return f"{r.get('error')}: " + (full[i:].splitlines()[0] if i >= 0 else r.get("message", ""))


def run(h, node_problem=""):
    run_raw(h)
    run_silent(h)
    run_engine_over_cap(h)
    run_engine_under_cap(h)
    run_credential_expiry(h)


def run_raw(h):
    with h.server("s4-raw", server_args(f"max_connections:limit={LIMIT}")) as srv:
        c = h.run(h.python("s4_max_connections.py", "raw", target(srv, hold=LIMIT), timeout=30))
    h.server_survived(srv, "limit")
    if c.problem():
        h.check("psycopg2 over the cap", False, c.problem())
        return
    held = [r for r in c.records if r.get("case") == "hold"]
    extra = c.first(case="extra_psycopg2")
    h.check(f"psycopg2: {LIMIT} connections open, the next login fails with 53300's text",
            len(held) == LIMIT and all(r["ok"] for r in held) and extra is not None and
            not extra["ok"] and extra["error"] == "psycopg2.OperationalError" and
            f"FATAL:  {TOO_MANY}" in extra.get("full", ""),
            f"{sum(r['ok'] for r in held)}/{LIMIT} held; next: {describe(extra)}")
    extra = c.first(case="extra_asyncpg")
    h.check("asyncpg: the same login fails with SQLSTATE 53300",
            extra is not None and not extra["ok"] and extra["sqlstate"] == "53300" and
            extra["message"] == TOO_MANY, describe(extra))
    fired = srv.fired("max_connections#1")
    events = [e for e in (srv.stats or {}).get("events", [])
              if e.get("rule") == "max_connections#1"]
    h.check("fauxgres counted the rejected logins", fired == 2 and
            all(e.get("action") == "fatal 53300" and e.get("hook") == "startup" for e in events),
            f"max_connections#1 fired {fired} times; actions "
            f"{sorted({e.get('action') for e in events})}")


def run_silent(h):
    with h.server("s4-silent", server_args(f"max_connections:limit={LIMIT},variant=silent")) as srv:
        c = h.run(h.python("s4_max_connections.py", "raw", target(srv, hold=LIMIT, only="psycopg2"),
                           timeout=30))
    h.server_survived(srv, "silent")
    if c.problem():
        h.check("silent variant", False, c.problem())
        return
    extra = c.first(case="extra_psycopg2")
    h.check("silent (Auth Proxy): psycopg2's next login sees the connection closed, no SQLSTATE",
            extra is not None and not extra["ok"] and
            "server closed the connection unexpectedly" in extra.get("full", "") and
            srv.fired("max_connections#1") == 1,
            f"{describe(extra)}; rule fired {srv.fired('max_connections#1')} times")


def run_engine_over_cap(h):
    with h.server("s4-engine-over", server_args(f"max_connections:limit={LIMIT}")) as srv:
        c = h.run(h.python("s4_max_connections.py", "engine",
                           target(srv, pool_size=5, max_overflow=0, pool_timeout=10, requests=5,
                                  hold=True), timeout=40))
    h.server_survived(srv, "SQLAlchemy over the cap")
    if c.problem():
        h.check("SQLAlchemy pool_size=5 > cap", False, c.problem())
        return
    reqs = [r for r in c.records if "request" in r]
    ok = [r for r in reqs if r["ok"]]
    bad = [r for r in reqs if not r["ok"]]
    h.check(f"SQLAlchemy pool_size=5 (cap {LIMIT}), 5 concurrent requests: 2 fail with 53300",
            len(reqs) == 5 and len(ok) == LIMIT and len(bad) == 5 - LIMIT and
            all(r["error"] == "sqlalchemy.exc.OperationalError" and TOO_MANY in r["full"]
                for r in bad),
            f"{len(ok)} ok, {len(bad)} failed: {sorted({fatal_text(r) for r in bad})}")


def run_engine_under_cap(h):
    with h.server("s4-engine-under", server_args(f"max_connections:limit={LIMIT}")) as srv:
        c = h.run(h.python("s4_max_connections.py", "engine",
                           target(srv, pool_size=2, max_overflow=1, pool_timeout=10, requests=8,
                                  hold=False), timeout=40))
    h.server_survived(srv, "SQLAlchemy under the cap")
    if c.problem():
        h.check("SQLAlchemy pool_size=2+1 <= cap", False, c.problem())
        return
    reqs = [r for r in c.records if "request" in r]
    status = c.first(event="pool")
    fired, peak = srv.fired("max_connections#1"), srv.peak()
    h.check(f"SQLAlchemy pool_size=2, max_overflow=1 (cap {LIMIT}), 8 concurrent requests: "
            f"all succeed, the cap is never hit",
            len(reqs) == 8 and all(r["ok"] for r in reqs) and fired == 0 and
            peak is not None and peak <= LIMIT,
            f"{sum(r['ok'] for r in reqs)}/8 ok; max_connections fired {fired} times; "
            f"peak connections {peak}; pool at the end: {status and status.get('status')}")


TOKEN_LIFETIME = 2.0  # seconds: the rule's valid_for
EXPIRED = f'FATAL:  password authentication failed for user "{USER}"'


def run_credential_expiry(h):
    args = ["--fault", f"credential_expiry:user={USER},valid_for={int(TOKEN_LIFETIME * 1000)}ms",
            "--user", f"{USER}=iam-token-0", "--auth", "password", "--database", DB]
    with h.server("s4-credential-expiry", args) as srv:
        c = h.run(h.python("s4_max_connections.py", "tokens",
                           target(srv, password="iam-token-0", lifetime=TOKEN_LIFETIME),
                           timeout=40))
    h.server_survived(srv, "credential_expiry")
    if c.problem():
        h.check("credential_expiry with SQLAlchemy", False, c.problem())
        return
    static = c.first(case="static_after_expiry")
    h.check("credential_expiry: a fixed password's next login after valid_for gets 28P01 "
            "(SQLAlchemy + psycopg2)",
            static is not None and not static["ok"] and
            static["error"] == "sqlalchemy.exc.OperationalError" and EXPIRED in static["full"],
            describe(static) if static is None or static["ok"] else fatal_text(static))
    held = c.first(case="held_after_expiry")
    h.check("credential_expiry: a session opened before the expiry goes on",
            held is not None and held["ok"], describe(held))
    reqs = [r for r in c.records if r.get("case") == "refresh"]
    tokens = c.first(event="tokens")
    issued = tokens and tokens.get("issued")
    h.check("credential_expiry: a do_connect token refresh reconnects the pool after expiry, "
            "every request succeeds",
            len(reqs) == 8 and all(r["ok"] for r in reqs) and issued is not None and issued >= 2,
            f"{sum(r['ok'] for r in reqs)}/{len(reqs)} ok "
            f"({sorted({fatal_text(r) for r in reqs if not r['ok']})}); tokens issued: {issued}")
    fired = srv.fired("credential_expiry#1")
    rejected = (srv.connections("rejected") or {}).get("credential_expiry")
    h.check("fauxgres counted the refused login under the rule and as a rejection",
            fired == 1 and rejected == 1,
            f"credential_expiry#1 fired {fired} times; rejected: {srv.connections('rejected')}")


# --- the client side ---------------------------------------------------------------------

def psycopg2_connect(t):
    import psycopg2
    return psycopg2.connect(host=t["host"], port=t["port"], user=t["user"],
                            password=t["password"], dbname=t["db"], connect_timeout=5)


def raw_main(t):
    import asyncio
    held = []
    for i in range(t["hold"]):
        try:
            held.append(psycopg2_connect(t))
            emit(case="hold", index=i, ok=True)
        except Exception as exc:
            emit(case="hold", index=i, ok=False, **error_record(exc))
    try:
        psycopg2_connect(t).close()
        emit(case="extra_psycopg2", ok=True)
    except Exception as exc:
        emit(case="extra_psycopg2", ok=False, **error_record(exc))
    if t.get("only") != "psycopg2":
        import asyncpg

        async def once():
            conn = await asyncpg.connect(host=t["host"], port=t["port"], user=t["user"],
                                         password=t["password"], database=t["db"], timeout=5)
            await conn.close()
        try:
            asyncio.run(once())
            emit(case="extra_asyncpg", ok=True)
        except Exception as exc:
            emit(case="extra_asyncpg", ok=False, **error_record(exc))
    for conn in held:
        conn.close()


def engine_main(t):
    import sqlalchemy
    from sqlalchemy import text
    url = sqlalchemy.engine.URL.create("postgresql+psycopg2", username=t["user"],
                                       password=t["password"], host=t["host"], port=t["port"],
                                       database=t["db"])
    engine = sqlalchemy.create_engine(url, pool_size=t["pool_size"],
                                      max_overflow=t["max_overflow"],
                                      pool_timeout=t["pool_timeout"],
                                      connect_args={"connect_timeout": 5})
    n = t["requests"]
    start = threading.Barrier(n, timeout=20)
    # hold: every request keeps its connection until all have tried (the pile-up); else
    # each runs a short query and gives its connection back
    done = threading.Barrier(n, timeout=20) if t["hold"] else None

    def request(i):
        start.wait()
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_sleep(0.2)" if not done else "SELECT 1"))
                if done:
                    done.wait()
            emit(request=i, ok=True)
        except Exception as exc:
            emit(request=i, ok=False, **error_record(exc))
            if done:
                done.wait()

    threads = [threading.Thread(target=request, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    emit(event="pool", status=engine.pool.status(), checkedout=engine.pool.checkedout())
    engine.dispose()


class TokenProvider:
    """Stands in for an IAM token source (google.auth / boto3 generate_db_auth_token): hands
    out the current token and a new one once it is older than half its lifetime."""

    def __init__(self, lifetime, first=1):
        self.lifetime, self.n, self.issued_at, self.issued = lifetime, first - 1, None, 0
        self.lock = threading.Lock()

    def token(self):
        import time
        with self.lock:
            now = time.monotonic()
            if self.issued_at is None or now - self.issued_at > self.lifetime / 2:
                self.n, self.issued_at, self.issued = self.n + 1, now, self.issued + 1
            return f"iam-token-{self.n}"


def tokens_main(t):
    import time
    import sqlalchemy
    from sqlalchemy import event, text

    def url(password):
        return sqlalchemy.engine.URL.create("postgresql+psycopg2", username=t["user"],
                                            password=password, host=t["host"], port=t["port"],
                                            database=t["db"])

    def request(engine, case, **more):
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            emit(case=case, ok=True, **more)
        except Exception as exc:
            emit(case=case, ok=False, **more, **error_record(exc))

    # A fixed password: fine until the token expires, then every new login fails.
    static = sqlalchemy.create_engine(url(t["password"]), pool_size=1, max_overflow=1,
                                      connect_args={"connect_timeout": 5})
    held = static.connect()
    held.execute(text("SELECT 1"))
    emit(case="static_before_expiry", ok=True)

    # A token refresh in do_connect (SQLAlchemy's recipe for IAM tokens), and pool_recycle
    # so pooled connections log in again.
    provider = TokenProvider(t["lifetime"])
    refreshing = sqlalchemy.create_engine(url("unused"), pool_size=2, max_overflow=0,
                                          pool_recycle=t["lifetime"] / 2,
                                          connect_args={"connect_timeout": 5})

    @event.listens_for(refreshing, "do_connect")
    def provide_token(dialect, conn_rec, cargs, cparams):
        cparams["password"] = provider.token()

    for i in range(4):
        request(refreshing, "refresh", request=i)
    time.sleep(t["lifetime"] * 1.25)  # every token issued so far has expired

    request(static, "static_after_expiry")  # the pool needs a second connection: login
    try:
        held.execute(text("SELECT 1"))
        emit(case="held_after_expiry", ok=True)
    except Exception as exc:
        emit(case="held_after_expiry", ok=False, **error_record(exc))
    held.close()
    for i in range(4, 8):
        request(refreshing, "refresh", request=i)
    emit(event="tokens", issued=provider.issued)
    static.dispose()
    refreshing.dispose()


def client_main(argv):
    what, t = argv[0], json.loads(argv[1])
    {"raw": raw_main, "engine": engine_main, "tokens": tokens_main}[what](t)
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["client"]:
    sys.exit(client_main(sys.argv[2:]))
