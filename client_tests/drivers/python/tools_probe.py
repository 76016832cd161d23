"""libpq command-line tools probe: psql, pg_isready, pgbench (Usage: tools_probe.py TOOL).

The tools are found in PROBE_PG_BINDIR (default /usr/lib/postgresql/15/bin, then PATH).
Each tool run is bounded by a timeout; results are checked from the tools' own output.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from probe_common import STEPS, Reporter, Target, StepFailed, expect, libpq_quote

TOOL_TIMEOUT = 20


def tool_path(name):
    bindir = os.environ.get("PROBE_PG_BINDIR", "/usr/lib/postgresql/15/bin")
    path = os.path.join(bindir, name)
    if os.access(path, os.X_OK):
        return path
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found in {bindir} nor on PATH")
    return found


def conninfo(t, form):
    if form == "url":
        return t.url()
    if form == "keyword":
        return (f"host={t.host} port={t.port} user={t.user} password={libpq_quote(t.password)} "
                f"dbname={t.db} connect_timeout=10")
    return f"host={t.unix_dir} port={t.unix_port} user={t.user} dbname={t.db} connect_timeout=10"


def tool_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGCONNECT_TIMEOUT"] = "10"
    return env


def run(argv, stdin=None):
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=tool_env(),
                          timeout=TOOL_TIMEOUT)


def tail(text, n=600):
    text = " | ".join(line for line in text.strip().splitlines() if line.strip())
    return text[-n:]


# --- psql -------------------------------------------------------------------------------

PSQL_SCRIPT = r"""
\echo @@step connect
\echo @@server :SERVER_VERSION_NAME
\echo @@step select1
SELECT 1;
\echo @@step param
\set v 41
SELECT :v::int + 1;
\echo @@step repeat7
{repeat}
\echo @@step txn
BEGIN;
SELECT 2;
COMMIT;
\echo @@step error
SELECT 1/0;
\echo @@sqlstate :SQLSTATE
SELECT 1;
BEGIN;
SELECT 1/0;
\echo @@sqlstate :SQLSTATE
SELECT 1;
\echo @@sqlstate :SQLSTATE
ROLLBACK;
SELECT 1;
\echo @@step close
\q
"""

PSQL_EXPECT = {
    "select1": ["1"],
    "param": ["42"],
    "repeat7": [str(101 + i) for i in range(7)],
    "txn": ["BEGIN", "2", "COMMIT"],
    # 1/0 -> 22012; works again; in a transaction: 22012, then 25P02 until ROLLBACK; works.
    "error": ["@@sqlstate 22012", "1", "BEGIN", "@@sqlstate 22012", "@@sqlstate 25P02",
              "ROLLBACK", "1"],
    "close": [],
}


def probe_psql(rep, t, form):
    repeat = "\n".join(f"\\set v {100 + i}\nSELECT :v::int + 1;" for i in range(7))
    script = PSQL_SCRIPT.replace("{repeat}", repeat)
    try:
        proc = run([tool_path("psql"), "-X", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=0",
                    "-d", conninfo(t, form), "-f", "-"], stdin=script)
    except (OSError, subprocess.TimeoutExpired) as exc:
        for step in STEPS:
            rep.emit(form, step, False, f"psql: {exc}" if step == "connect" else "not run")
        return
    sections, current = {}, None
    for line in proc.stdout.splitlines():
        if line.startswith("@@step "):
            current = line.split()[1]
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    errors = tail(proc.stderr)
    for step in STEPS:
        if step == "ping":
            rep.na(form, step, "psql has no ping (pg_isready is the libpq ping)")
            continue
        if step != "connect" and "connect" not in sections:
            rep.emit(form, step, False, "not run: connect failed")
            continue
        if step not in sections:
            where = "psql failed" if step == "connect" else "psql did not reach this step"
            rep.emit(form, step, False, f"{where} (exit {proc.returncode}): {errors}")
            continue
        lines = sections[step]
        if step == "connect":
            server = next((l for l in lines if l.startswith("@@server ")), "")
            rep.emit(form, step, True, server[2:])
            continue
        if step == "close":
            ok = proc.returncode == 0 and lines == []
            rep.emit(form, step, ok, "\\q, exit 0" if ok else
                     f"exit {proc.returncode}, output {lines!r}: {errors}")
            continue
        expected = PSQL_EXPECT[step]
        if lines == expected:
            rep.emit(form, step, True, " ".join(expected))
        else:
            rep.emit(form, step, False, f"expected {expected!r}, got {lines!r}; stderr: {errors}")


# --- pg_isready -------------------------------------------------------------------------

def probe_pg_isready(rep, t, form):
    reason = "pg_isready only pings (PQping)"
    for step in STEPS:
        if step != "ping":
            rep.na(form, step, reason)
            continue
        if form == "unix":
            argv = ["-h", t.unix_dir, "-p", str(t.unix_port), "-d", t.db, "-U", t.user]
        else:
            argv = ["-d", conninfo(t, form)]

        def ping():
            proc = run([tool_path("pg_isready"), "-t", "10"] + argv)
            out = tail(proc.stdout + proc.stderr)
            expect(proc.returncode, 0, f"pg_isready exit status ({out})")
            if "accepting connections" not in proc.stdout:
                raise StepFailed(f"unexpected pg_isready output: {out}")
            return out

        rep.run(form, step, ping)


# --- pgbench ----------------------------------------------------------------------------

# Each script checks its own result with \gset + \if; a wrong result divides by zero in a
# meta-command, which aborts the client and makes pgbench exit non-zero.
PGBENCH_SCRIPTS = {
    "select1": ("simple", "SELECT 1 AS r \\gset\n\\if :r != 1\n\\set wrong_result 1 / 0\n\\endif\n"),
    "param": ("extended", "\\set v random(1, 1000)\nSELECT :v::int + 1 AS r \\gset\n"
                          "\\if :r != :v + 1\n\\set wrong_result 1 / 0\n\\endif\n"),
    "repeat7": ("prepared", "\\set v random(1, 1000)\nSELECT :v::int + 1 AS r \\gset\n"
                            "\\if :r != :v + 1\n\\set wrong_result 1 / 0\n\\endif\n"),
    "txn": ("extended", "BEGIN;\nSELECT 2 AS r \\gset\nCOMMIT;\n"
                        "\\if :r != 2\n\\set wrong_result 1 / 0\n\\endif\n"),
}


def connection_failed(stderr):
    return "connection to server" in stderr or "could not create connection" in stderr


def probe_pgbench(rep, t, form):
    transactions = 20
    with tempfile.TemporaryDirectory(prefix="pgbench-probe-") as tmp:
        results = {}
        for step, (mode, script) in PGBENCH_SCRIPTS.items():
            path = os.path.join(tmp, f"{step}.sql")
            with open(path, "w", encoding="utf-8") as f:
                f.write(script)
            argv = [tool_path("pgbench"), "-n", "-c", "1", "-t", str(transactions), "-M", mode,
                    "-f", path, conninfo(t, form)]
            try:
                proc = run(argv)
                results[step] = (mode, proc.returncode, proc.stdout, proc.stderr)
            except (OSError, subprocess.TimeoutExpired) as exc:
                results[step] = (mode, -1, "", str(exc))
    first = results["select1"]
    for step in STEPS:
        if step == "connect":
            failed = connection_failed(first[3])
            rep.emit(form, step, not failed,
                     tail(first[3]) if failed else "pgbench -M simple connected")
        elif step in results:
            mode, rc, out, err = results[step]
            if rc != 0 and connection_failed(err):
                rep.emit(form, step, False, "not run: connect failed")
                continue
            done = f"number of transactions actually processed: {transactions}/{transactions}"
            ok = rc == 0 and done in out
            rep.emit(form, step, ok, f"-M {mode} -t {transactions}: " +
                     (done.split(": ")[1] if ok else f"exit {rc}: {tail(out + err)}"))
        else:
            rep.na(form, step, "pgbench: no such step (it aborts on errors; no ping)")


def main():
    tool = sys.argv[1]
    t = Target()
    rep = Reporter(tool)
    probe = {"psql": probe_psql, "pg_isready": probe_pg_isready, "pgbench": probe_pgbench}[tool]
    for form in t.forms:
        probe(rep, t, form)


if __name__ == "__main__":
    main()
