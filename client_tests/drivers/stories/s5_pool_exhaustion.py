"""S5: slow queries exhaust a SQLAlchemy pool (pool_size + max_overflow).

  --fault query_delay:pattern=pg_sleep,delay=800ms

Every request runs `SELECT pg_sleep(0)`, which fauxgres answers 800 ms late, so each
request holds its pooled connection that long. 6 concurrent requests against
pool_size=2 + max_overflow=1:
- pool_timeout=0.3 s: 3 requests get a connection, the other 3 give up with the pool's
  sqlalchemy.exc.TimeoutError ("QueuePool limit of size 2 overflow 1 reached").
- pool_timeout=5 s (longer than the queue ahead): all 6 succeed in two waves.
Either way fauxgres' peak connection count (--stats-file connections.peak) stays at or
under pool_size + max_overflow = 3, and every connection went back to the pool.
"""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import emit, error_record  # noqa: E402

DELAY_MS = 800
POOL_SIZE, MAX_OVERFLOW, REQUESTS = 2, 1, 6
USER, PASSWORD, DB = "app", "s5-secret", "app"


# --- the runner side ---------------------------------------------------------------------

def run(h, node_problem=""):
    cap = POOL_SIZE + MAX_OVERFLOW
    for pool_timeout in (0.3, 5):
        rules = ["--fault", f"query_delay:pattern=pg_sleep,delay={DELAY_MS}ms",
                 "--user", f"{USER}={PASSWORD}", "--database", DB]
        with h.server(f"s5-timeout-{pool_timeout}", rules) as srv:
            t = json.dumps({"host": srv.host, "port": srv.port, "user": USER,
                            "password": PASSWORD, "db": DB, "pool_timeout": pool_timeout})
            c = h.run(h.python("s5_pool_exhaustion.py", t, timeout=40))
        h.server_survived(srv, f"pool_timeout={pool_timeout}")
        if c.problem():
            h.check(f"pool_timeout={pool_timeout}", False, c.problem())
            continue
        reqs = [r for r in c.records if "request" in r]
        ok = [r for r in reqs if r["ok"]]
        timeouts = [r for r in reqs if not r["ok"] and r["error"] == "sqlalchemy.exc.TimeoutError"]
        others = [r for r in reqs if not r["ok"] and r not in timeouts]
        pool = c.first(event="pool") or {}
        fired, peak = srv.fired("query_delay#1"), srv.peak()
        setting = f"pool_size={POOL_SIZE}, max_overflow={MAX_OVERFLOW}, pool_timeout={pool_timeout}"
        if pool_timeout < DELAY_MS / 1000:
            h.check(f"{setting}: {REQUESTS} concurrent slow requests -> the pool's TimeoutError",
                    len(reqs) == REQUESTS and len(ok) == cap and len(timeouts) == REQUESTS - cap and
                    not others and all(f"QueuePool limit of size {POOL_SIZE} overflow "
                                       f"{MAX_OVERFLOW} reached" in r["message"] for r in timeouts),
                    f"{len(ok)} ok, {len(timeouts)} TimeoutError after "
                    f"{max((r['seconds'] for r in timeouts), default=0):.2f} s"
                    f"{': ' + timeouts[0]['message'].split(' (Background')[0] if timeouts else ''}"
                    f"{'; other errors: ' + str([r['message'] for r in others]) if others else ''}")
        else:
            slowest = max((r["seconds"] for r in ok), default=0)
            h.check(f"{setting}: {REQUESTS} concurrent slow requests all succeed, waiting for "
                    f"a connection", len(ok) == REQUESTS and slowest >= 2 * DELAY_MS / 1000,
                    f"{len(ok)}/{REQUESTS} ok, the last after {slowest:.2f} s (two waves of "
                    f"{DELAY_MS} ms)" + (f"; errors: {[r['message'] for r in reqs if not r['ok']]}"
                                         if len(ok) != REQUESTS else ""))
        h.check(f"{setting}: peak connections <= pool_size + max_overflow, every connection "
                f"went back", peak is not None and peak <= cap and pool.get("checkedout") == 0 and
                fired == len(ok),
                f"fauxgres peak {peak} (cap {cap}); query_delay fired {fired} times for "
                f"{len(ok)} queries; checked out at the end: {pool.get('checkedout')}")


# --- the client side ---------------------------------------------------------------------

def client_main(argv):
    import sqlalchemy
    from sqlalchemy import text
    t = json.loads(argv[0])
    url = sqlalchemy.engine.URL.create("postgresql+psycopg2", username=t["user"],
                                       password=t["password"], host=t["host"], port=t["port"],
                                       database=t["db"])
    engine = sqlalchemy.create_engine(url, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW,
                                      pool_timeout=t["pool_timeout"],
                                      connect_args={"connect_timeout": 5})
    start = threading.Barrier(REQUESTS, timeout=20)

    def request(i):  # one web request: check out, run the slow query, give back
        start.wait()
        t0 = time.monotonic()
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_sleep(0)"))
            emit(request=i, ok=True, seconds=time.monotonic() - t0)
        except Exception as exc:
            emit(request=i, ok=False, seconds=time.monotonic() - t0, **error_record(exc))

    threads = [threading.Thread(target=request, args=(i,)) for i in range(REQUESTS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    emit(event="pool", status=engine.pool.status(), checkedout=engine.pool.checkedout())
    engine.dispose()
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["client"]:
    sys.exit(client_main(sys.argv[2:]))
