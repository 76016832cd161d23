"""S6: AWS Lambda + node-postgres / Sequelize.

Idle drop (s6_idle.js):
  --fault idle_drop:after=1s,mode=reset
A connection idle for 1 s is reset (RST), as by a NAT gateway or proxy dropping the flow.
The handler's pg.Pool and Sequelize are created once per container and reused; after the
first invocation the app sits idle for 1.5 s.
- idle timeout 10 s (node-postgres' idleTimeoutMillis default; Sequelize pool.idle) above
  the drop time, in a frozen container (the client learns of the drop only when it writes,
  see s6_idle.js): the next query runs on the stale connection and fails with ECONNRESET.
- the same in a live process: node-postgres reports the reset as a pool 'error' event, and
  an app without pool.on('error') crashes; Sequelize discards the connection by itself.
- idle timeout 300 ms, below the drop time (Sequelize also needs pool.evict below it): the
  pool closes the idle connection before the drop; the next query opens a fresh one and
  succeeds, and the server never had to reset anything.

Connections left open (s6_pileup.js):
  --fault max_connections:limit=4
A handler that creates its Sequelize / pg.Pool per invocation and never closes it piles up
one open connection per call: the 5th invocation gets 53300 "sorry, too many clients
already". Closing it at the end of each invocation keeps every call under the cap.
"""
import json

DROP_MS, WAIT_MS = 1000, 1500
LONG_IDLE_MS, SHORT_IDLE_MS = 10000, 300
LIMIT, INVOCATIONS = 4, 6
EVICT_MS = 100  # Sequelize's pool.evict: how often idle connections are reaped (default 1 s)
USER, PASSWORD, DB = "app", "s6-secret", "app"
LIBS = ("pg.Pool", "Sequelize")


def target(srv, **more):
    return json.dumps({"host": srv.host, "port": srv.port, "user": USER, "password": PASSWORD,
                       "db": DB, **more})


def describe(r):
    if r is None:
        return "no result"
    if r.get("ok"):
        return f"ok (SELECT 1 = {r.get('value')})"
    inner = r.get("inner") or {}
    code = r.get("code") or inner.get("code")
    return f"{r.get('error')}{' ' + code if code else ''}: {r.get('message')}"


def code_of(r):
    return (r or {}).get("code") or ((r or {}).get("inner") or {}).get("code")


def run(h, node_problem=""):
    if node_problem:
        h.skip("all", node_problem)
        return
    for idle_ms in (LONG_IDLE_MS, SHORT_IDLE_MS):
        run_idle(h, idle_ms)
    for lib in ("sequelize", "pg"):
        for close in (False, True):
            run_pileup(h, lib, close)


def run_idle(h, idle_ms):
    rules = ["--fault", f"idle_drop:after={DROP_MS}ms,mode=reset",
             "--user", f"{USER}={PASSWORD}", "--database", DB]
    long_idle = idle_ms > DROP_MS
    with h.server(f"s6-idle-{idle_ms}", rules) as srv:
        def client(**kw):
            return h.node("s6_idle.js", target(srv, idle_ms=idle_ms, wait_ms=WAIT_MS,
                                               evict_ms=EVICT_MS, **kw),
                          timeout=30)
        if long_idle:  # three apps side by side, on the same server
            frozen = client(frozen=True, handler=True, libs=list(LIBS))
            live = client(frozen=False, handler=True, libs=list(LIBS))
            crash = client(frozen=False, handler=False, libs=["pg.Pool"])
            clients = [frozen, live, crash]
        else:
            live = client(frozen=False, handler=True, libs=list(LIBS))
            clients = [live]
        for c in clients:
            h.run(c)
    h.server_survived(srv, f"idle {idle_ms} ms")
    for c in clients:
        if c.problem() and not (long_idle and c is crash and not c.timed_out):
            h.check(f"idle timeout {idle_ms} ms client", False, c.problem())
            return
    resets = srv.log_text().count('reason="fault: reset"')
    fired = srv.fired("idle_drop#1")

    def detail(c, lib):
        first, second, third = (c.first(lib=lib, invocation=n) for n in (1, 2, 3))
        text = (f"1st: {describe(first)}; after {WAIT_MS} ms idle: {describe(second)}; "
                f"next: {describe(third)}")
        errors = [r.get("code") for r in c.records
                  if r.get("lib") == lib and r.get("event") == "pool_error"]
        return first, second, errors, text + (f"; pool 'error' events: {errors}" if errors else "")

    for lib in LIBS:
        setting = "idleTimeoutMillis" if lib == "pg.Pool" else f"pool.evict={EVICT_MS}, pool.idle"
        if long_idle:
            first, second, _, text = detail(frozen, lib)
            h.check(f"{lib} {setting}={idle_ms} > drop after {DROP_MS} ms, frozen container: the "
                    f"next query on the stale connection fails with ECONNRESET",
                    bool(first and first["ok"]) and bool(second) and not second["ok"] and
                    code_of(second) == "ECONNRESET", text)
        else:
            first, second, errors, text = detail(live, lib)
            h.check(f"{lib} {setting}={idle_ms} < drop after {DROP_MS} ms: the pool closes the "
                    f"idle connection first, the next query succeeds",
                    bool(first and first["ok"] and second and second["ok"]) and not errors and
                    resets == 0 and not fired,
                    f"{text}; connections reset by the server: {resets} (fired {fired})")
    if not long_idle:
        return
    first, second, errors, text = detail(live, "pg.Pool")
    died = crash.first(event="done") is None and crash.returncode not in (0, None)
    crash_line = next((line.replace("<ref *1> ", "").strip() for line in crash.stderr.splitlines()
                       if "ECONNRESET" in line), "no ECONNRESET on stderr")
    h.check(f"pg.Pool idleTimeoutMillis={idle_ms}, live process: the reset arrives as a pool "
            f"'error' event (ECONNRESET); without pool.on('error') the app crashes",
            "ECONNRESET" in errors and bool(second and second["ok"]) and died and
            "ECONNRESET" in crash.stderr,
            f"{text}; without a listener: exit {crash.returncode}, {crash_line}")
    first, second, errors, text = detail(live, "Sequelize")
    h.check(f"Sequelize pool.idle={idle_ms}, live process: Sequelize drops the reset "
            f"connection by itself, the next query succeeds",
            bool(first and first["ok"] and second and second["ok"]), text)
    h.check("fauxgres counted the idle drops it carried out (--stats-file fired)",
            resets >= 5 and fired == resets,
            f"idle_drop#1 fired {fired} times; the server log shows {resets} connections "
            f"closed with reason \"fault: reset\"")


def run_pileup(h, lib, close):
    rules = ["--fault", f"max_connections:limit={LIMIT}",
             "--user", f"{USER}={PASSWORD}", "--database", DB]
    name = {"sequelize": "Sequelize", "pg": "pg.Pool"}[lib]
    with h.server(f"s6-pileup-{lib}-{'close' if close else 'leak'}", rules) as srv:
        c = h.run(h.node("s6_pileup.js",
                         target(srv, lib=lib, close=close, invocations=INVOCATIONS), timeout=30))
    h.server_survived(srv, f"{name} per invocation")
    if c.problem():
        h.check(f"{name} per invocation", False, c.problem())
        return
    calls = [c.first(invocation=n) for n in range(1, INVOCATIONS + 1)]
    summary = ", ".join("ok" if r and r["ok"] else (code_of(r) or "error") for r in calls)
    fired, peak = srv.fired("max_connections#1"), srv.peak()
    if not close:
        failed = [r for r in calls[LIMIT:] if r]
        ok = (all(r and r["ok"] for r in calls[:LIMIT]) and len(failed) == INVOCATIONS - LIMIT and
              all(not r["ok"] and code_of(r) == "53300" and
                  "sorry, too many clients already" in (r.get("message", "") +
                                                        str((r.get("inner") or {}).get("message")))
                  for r in failed))
        h.check(f"{name} opened per invocation, never closed: invocation {LIMIT + 1} hits the "
                f"cap ({LIMIT}) with 53300", ok,
                f"{summary}; {describe(failed[0]) if failed else ''}; rule fired {fired} times")
    else:
        h.check(f"{name} opened per invocation and closed at its end: all {INVOCATIONS} "
                f"invocations succeed", all(r and r["ok"] for r in calls) and fired == 0 and
                peak is not None and peak < LIMIT,
                f"{summary}; max_connections fired {fired} times; peak connections {peak}")
