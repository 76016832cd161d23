"""S1: an asyncpg app starts while the database refuses, then is "starting up".

fauxgres closes its listener for the first REFUSE_MS (connects are refused; on the Unix
socket the socket file is gone, as when PostgreSQL is down), then answers every login
with FATAL 57P03 "the database system is starting up" until STARTING_UNTIL_MS, then
lets logins through:

  --fault refuse:mode=closed,until=2000ms
  --fault startup_error:preset=starting_up,from=2000ms,until=4000ms

The app is modelled without HTTP: startup() is FastAPI's lifespan, health() is /health.
- naive: startup() awaits asyncpg.create_pool(); a failure propagates, the app does not
  start (Cloud Run: "Container failed to start").
- resilient: startup() only schedules a background task that retries create_pool with a
  short backoff; health() answers at once, reporting the database down (with the error)
  until the pool exists, then up (after a real SELECT 1).
Run over the Cloud SQL-style Unix socket (a directory named like PROJECT:REGION:INSTANCE)
and over TCP.
"""
import asyncio
import importlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SetupError, emit, error_record, tail  # noqa: E402

REFUSE_MS = 2000
STARTING_UNTIL_MS = 4000
USER, PASSWORD, DB = "app", "s1-secret", "app"
APP_DEADLINE = 15  # seconds the app keeps checking its health


# --- the runner side ---------------------------------------------------------------------

def run(h, node_problem=""):
    for transport in ("unix", "tcp"):
        run_transport(h, transport)


def run_transport(h, transport):
    rules = ["--fault", f"refuse:mode=closed,until={REFUSE_MS}ms",
             "--fault", f"startup_error:preset=starting_up,from={REFUSE_MS}ms,"
                        f"until={STARTING_UNTIL_MS}ms",
             "--user", f"{USER}={PASSWORD}", "--database", DB]
    unix_dir = os.path.join(h.tmp, "s1", "cloudsql", "proj:region:inst") \
        if transport == "unix" else None
    # The three apps are started first and wait (interpreter and asyncpg loaded), so the
    # fault windows, measured from the server's start, are not eaten by their start-up.
    naive = h.python("s1_startup.py", "naive", timeout=30)
    naive_late = h.python("s1_startup.py", "naive", timeout=30)
    app = h.python("s1_startup.py", "resilient", timeout=30)
    for c in (naive, naive_late, app):
        if c.wait_for(lambda r: r.get("event") == "waiting", timeout=20) is None:
            h.check(f"{transport}: app processes start", False, c.problem() or
                    f"no 'waiting' line; stderr: {tail(c.stderr)}")
            for other in (naive, naive_late, app):
                h.run(other)  # stdin closed: a waiting app exits
            return
    try:
        srv = h.server(f"s1-{transport}", rules, unix_dir=unix_dir, tcp=(transport == "tcp"))
    except SetupError as exc:
        h.check(f"{transport}: fauxgres starts with the S1 rules (refuse:mode=closed from 0)",
                False, str(exc))
        for c in (naive, naive_late, app):
            h.run(c)
        return
    with srv:
        if transport == "unix":
            kw = {"host": srv.unix_dir, "port": srv.unix_port}
            refused = ("builtins.FileNotFoundError", "builtins.ConnectionRefusedError")
        else:
            kw = {"host": srv.host, "port": srv.port}
            refused = ("builtins.ConnectionRefusedError",)
        kw.update(user=USER, password=PASSWORD, database=DB)
        go = "go " + json.dumps(kw)
        naive.send(go)
        app.send(go)
        # The second naive app starts once the resilient one has met 57P03: by then the
        # server is in its "starting up" window (a condition, not a guessed sleep).
        starting = app.wait_for(lambda r: r.get("event") == "health" and
                                r.get("sqlstate") == "57P03", timeout=20)
        naive_late.send(go)  # without `starting`, its check below says why it is void
        h.run(app)
        h.run(naive)
        h.run(naive_late)
    h.server_survived(srv, transport)
    t = lambda rec: f"{rec['_t'] - srv.started_at:.2f} s after fauxgres was started"  # noqa: E731

    # naive app, started at once: the database is refused
    failed = naive.first(event="startup_failed")
    if naive.problem():
        h.check(f"{transport}: naive app fails to start while refused", False, naive.problem())
    else:
        ok = failed is not None and naive.returncode != 0 and failed["error"] in refused
        h.check(f"{transport}: naive app fails to start while refused", ok,
                f"{failed['error']}: {failed['message']} ({t(failed)}); exit {naive.returncode}"
                if failed else f"it started (exit {naive.returncode}): "
                f"{[r.get('event') for r in naive.records]}")

    # naive app, started during "starting up"
    failed = naive_late.first(event="startup_failed")
    name = f"{transport}: naive app started during 'starting up' fails with 57P03"
    if naive_late.problem():
        h.check(name, False, naive_late.problem())
    elif starting is None:
        h.check(name, False, "the resilient app never saw 57P03, so this could not be placed "
                             "in the window")
    else:
        ok = (failed is not None and failed["sqlstate"] == "57P03" and
              failed["message"] == "the database system is starting up")
        h.check(name, ok, f"{failed['error']} {failed['sqlstate']}: {failed['message']} "
                          f"({t(failed)})" if failed else
                f"it started (exit {naive_late.returncode})")

    # the resilient app
    if app.problem():
        h.check(f"{transport}: resilient app", False, app.problem())
        return
    started = app.first(event="started")
    healths = [r for r in app.records if r.get("event") == "health"]
    up = next((r for r in healths if r.get("db") == "up"), None)
    downs = [r for r in healths if r.get("db") == "down"]
    h.check(f"{transport}: resilient app starts while the database is refused",
            started is not None and started["_t"] - srv.started_at < REFUSE_MS / 1000 and
            bool(healths) and healths[0].get("db") == "down",
            f"started {t(started)}, first /health: db {healths[0]['db']} "
            f"({healths[0].get('error') or 'first connect attempt still running'})"
            if started and healths else
            f"records: {[r.get('event') for r in app.records]}")
    reasons = []
    for r in downs:
        reason = r.get("sqlstate") or r.get("error")
        if reason and reason not in reasons:
            reasons.append(reason)
    h.check(f"{transport}: resilient /health reports db down (refused, then 57P03), then up",
            bool(downs) and up is not None and up["_t"] > downs[-1]["_t"] and
            reasons[:1] and reasons[0] in refused and "57P03" in reasons,
            f"down: {' -> '.join(str(x) for x in reasons)}; then "
            f"{'up' if up else 'never up'}")
    h.check(f"{transport}: resilient app connects once the fault window ends",
            up is not None and up.get("select1") == 1 and
            STARTING_UNTIL_MS / 1000 <= up["_t"] - srv.started_at <= STARTING_UNTIL_MS / 1000 + 3,
            f"db up with SELECT 1 = {up.get('select1')} {t(up)} (window ends at "
            f"{STARTING_UNTIL_MS / 1000:.1f} s); exit {app.returncode}" if up else
            f"never up; exit {app.returncode}")
    fired = srv.fired("startup_error#1")
    h.check(f"{transport}: fauxgres counted the 57P03 logins", (fired or 0) >= 2,
            f"startup_error#1 fired {fired} times")


# --- the client side: the app ------------------------------------------------------------

class App:
    def __init__(self, connect_kwargs, resilient):
        self.kw = connect_kwargs
        self.resilient = resilient
        self.pool = None
        self.last_error = None
        self._task = None

    async def _create_pool(self):
        import asyncpg
        return await asyncpg.create_pool(min_size=1, max_size=2, timeout=3, **self.kw)

    async def startup(self):  # FastAPI's lifespan
        if not self.resilient:
            self.pool = await self._create_pool()  # a failure here: the app does not start
            return
        self._task = asyncio.create_task(self._connect_in_background())

    async def _connect_in_background(self):
        import asyncpg
        delay = 0.05
        while self.pool is None:
            try:
                self.pool = await self._create_pool()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError,
                    asyncio.TimeoutError) as exc:
                self.last_error = exc
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.2)

    async def health(self):  # GET /health
        if self.pool is None:
            out = {"status": "ok", "db": "down"}
            if self.last_error is not None:
                out.update(error_record(self.last_error))
            return out
        value = await self.pool.fetchval("SELECT 1", timeout=3)
        return {"status": "ok", "db": "up", "select1": value}

    async def shutdown(self):
        if self._task is not None:
            self._task.cancel()
        if self.pool is not None:
            await self.pool.close()


async def app_main(mode):
    importlib.import_module("asyncpg")  # loaded before the runner starts the server
    emit(event="waiting")
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line.startswith("go "):
        return 3
    app = App(json.loads(line[3:]), resilient=(mode == "resilient"))
    try:
        await app.startup()
    except Exception as exc:  # the naive app: startup failed, the process exits
        emit(event="startup_failed", **error_record(exc))
        return 1
    emit(event="started")
    last, deadline = None, time.monotonic() + APP_DEADLINE
    while time.monotonic() < deadline:
        health = await app.health()
        key = (health["db"], health.get("error"), health.get("sqlstate"))
        if key != last:
            emit(event="health", **health)
            last = key
        if health["db"] == "up":
            break
        await asyncio.sleep(0.05)
    await app.shutdown()
    return 0 if last and last[0] == "up" else 2


def client_main(argv):
    return asyncio.run(app_main(argv[0]))


if __name__ == "__main__" and sys.argv[1:2] == ["client"]:
    sys.exit(client_main(sys.argv[2:]))
