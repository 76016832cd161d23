#!/usr/bin/env python3
"""Runs one scenario of the library (faults/scenarios/) with its example app through
`fauxgres run`, in the app's good or bad configuration, and checks the outcome:

  good  exit 0, "PASS" for every expectation, the app's own success line, and a JSON
        report (--report) that says "pass"
  bad   the exit status the case expects (3: the app failed, 1: an expectation failed) and
        the reason, found in the output: the app's error and the expectations that failed;
        an HTML report (--report) with the timeline and the verdict

Usage: run_scenario.py --fauxgres BIN --case NAME --mode good|bad [--python PY] [--keep]
       run_scenario.py --list
Exit 0 when the case behaved as expected, 1 when not, 77 when a tool it needs (node and
the driver suite's node_modules, or a Python driver) is missing. Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCENARIOS = os.path.join(ROOT, "faults", "scenarios")
NODE_MODULES = os.path.join(ROOT, "client_tests", "drivers", "node", "node_modules")
SKIP = 77
RUN_TIMEOUT = "60s"  # fauxgres run --timeout: the app is killed past it


class Case:
    def __init__(self, scenario, app, good, bad_exit, bad, server=(), needs=()):
        self.scenario = scenario  # file in faults/scenarios/
        self.app = app            # ("python" | "node", script)
        self.server = server      # server options; "{tmp}" is the case's temp dir
        self.good = good          # regexes the good run's output must match
        self.bad_exit = bad_exit  # the bad run's exit status
        self.bad = bad            # regexes the bad run's output must match: the reason
        self.needs = needs        # Python modules the app imports


CASES = {
    "s1": Case("s1-db-down-at-start.yaml", ("python", "s1_asyncpg_startup.py"),
               good=[r"database not there yet: ConnectionRefusedError",
                     r"database not there yet: CannotConnectNowError: the database system is "
                     r"starting up", r"/health: database up \(SELECT 1 = 1\)"],
               bad_exit=3,
               bad=[r"start-up failed: (ConnectionRefusedError|CannotConnectNowError)",
                    r"command exited with 1", r"FAIL  logins >= 1"],
               needs=("asyncpg",)),
    "s2": Case("s2-ssl-unix-socket.yaml", ("node", "s2_pg_ssl_socket.js"),
               server=("--unix-socket-dir", "{tmp}/cloudsql/proj:region:inst"),
               good=[r"connected over .*/cloudsql/proj:region:inst, SELECT 1 = 1"],
               bad_exit=3,
               bad=[r"connect failed: Error: Connection terminated unexpectedly",
                    r"FAIL  fired\(ssl_on_socket\) == 0  \(measured 1"]),
    "s3": Case("s3-special-password.yaml", ("python", "s3_asyncpg_password.py"),
               server=("--user", "app=s3:cr%40t", "--database", "app"),
               good=[r"connected, SELECT 1 = 1"],
               bad_exit=3,
               bad=[r"connect failed: InvalidPasswordError 28P01: password authentication "
                    r"failed for user \"app\"", r"FAIL  auth_failures == 0  \(measured 1"],
               needs=("asyncpg",)),
    "s4": Case("s4-max-connections.yaml", ("python", "s4_sqlalchemy_scaleout.py"),
               good=[r"6 of 6 requests succeeded"],
               bad_exit=3,
               bad=[r"failed: OperationalError: .*sorry, too many clients already",
                    r"FAIL  fired\(cap\) == 0", r"FAIL  rejected\(max_connections\) == 0",
                    r"FAIL  peak_connections <= 4"],
               needs=("sqlalchemy", "psycopg2")),
    "s5": Case("s5-pool-exhaustion.yaml", ("python", "s5_sqlalchemy_pool.py"),
               good=[r"6 of 6 requests succeeded; checked out at the end: 0"],
               bad_exit=3,
               bad=[r"failed: TimeoutError: QueuePool limit of size 2 overflow 1 reached",
                    r"FAIL  fired\(slow\) == 6  \(measured 3",
                    r"PASS  peak_connections <= 3"],
               needs=("sqlalchemy", "psycopg2")),
    "s6_idle": Case("s6-idle-reset.yaml", ("node", "s6_pg_idle.js"),
                    good=[r"request 3: SELECT 1 = 1"],
                    bad_exit=1,  # the app survives; the server had to reset its connections
                    bad=[r"pool error on an idle connection: Error ECONNRESET",
                         r"command exited with 0",
                         r"FAIL  fired\(nat_drop\) == 0  \(measured [1-9]",
                         r"FAIL: an expectation did not hold"]),
    "s6_pileup": Case("s6-connection-pileup.yaml", ("node", "s6_sequelize_pileup.js"),
                      good=[r"invocation 6: SELECT 1 = 1"],
                      bad_exit=3,
                      bad=[r"invocation 5 failed: SequelizeConnectionError 53300: sorry, too "
                           r"many clients already", r"FAIL  fired\(cap\) == 0",
                           r"FAIL  peak_connections <= 2"]),
    "restart": Case("restart.yaml", ("python", "restart_sqlalchemy.py"),
                    good=[r"timeline: restart \(down 300ms\)", r"request 2: SELECT 1 = 1"],
                    bad_exit=3,
                    bad=[r"timeline: restart \(down 300ms\)",
                         r"request failed: (server closed the connection unexpectedly|"
                         r"terminating connection due to administrator command)",
                         r"FAIL  logins >= 2"],
                    needs=("sqlalchemy", "psycopg2")),
    "failover": Case("failover.yaml", ("python", "failover_sqlalchemy.py"),
                     server=("--fixtures", os.path.join(HERE, "fixtures.yaml")),
                     good=[r"read-only database \(cannot execute INSERT in a read-only "
                           r"transaction\)", r"read after the failover: SELECT 1 = 1"],
                     bad_exit=3,
                     bad=[r"timeline: failover \(down 300ms\)",
                          r"request failed: 25006 cannot execute INSERT in a read-only "
                          r"transaction", r"FAIL: the command failed"],
                     needs=("sqlalchemy", "psycopg2")),
}


def missing_tool(case, python):
    if case.app[0] == "node":
        if shutil.which("node") is None:
            return "node is not installed"
        if not os.path.isdir(os.path.join(NODE_MODULES, "pg")):
            return f"{NODE_MODULES} has no pg (scripts/install-deps.sh runs npm ci)"
        return None
    for module in case.needs:
        if subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode:
            return f"{python} cannot import {module}"
    return None


def command(args, case, tmp, report):
    app = [args.python if case.app[0] == "python" else "node", os.path.join(HERE, case.app[1])]
    server = [a.replace("{tmp}", tmp) for a in case.server]
    return ([args.fauxgres, "run", *server, "--scenario", os.path.join(SCENARIOS, case.scenario),
             "--report", report, "--timeout", RUN_TIMEOUT, "--", *app, args.mode])


def check(name, ok, problems):
    print(f"{'ok  ' if ok else 'FAIL'} {name}")
    if not ok:
        problems.append(name)


def check_report(mode, report, problems):
    try:
        with open(report, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        check(f"the --report file was written ({exc})", False, problems)
        return
    if mode == "good":
        doc = json.loads(text)
        check("JSON report: result pass, every expectation passed",
              doc.get("result") == "pass" and doc.get("expectations") and
              all(e.get("pass") for e in doc["expectations"]), problems)
    else:
        check("HTML report: the SVG timeline and the verdict",
              "<svg" in text and 'class="open"' in text and "FAIL" in text, problems)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--fauxgres")
    p.add_argument("--case", choices=sorted(CASES))
    p.add_argument("--mode", choices=("good", "bad"))
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--keep", action="store_true", help="keep the temp dir (reports)")
    p.add_argument("--list", action="store_true")
    args = p.parse_args()
    if args.list:
        for name, case in CASES.items():
            print(f"{name}: {case.scenario} with {case.app[1]}")
        return 0
    if not (args.fauxgres and args.case and args.mode):
        p.error("--fauxgres, --case and --mode are required")
    case = CASES[args.case]
    reason = missing_tool(case, args.python)
    if reason:
        print(f"skip: {reason}")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="fauxgres-scenario-")
    report = os.path.join(tmp, "report." + ("json" if args.mode == "good" else "html"))
    argv = command(args, case, tmp, report)
    print("$ " + " ".join(a if re.fullmatch(r"[\w./:=@%+-]+", a) else repr(a) for a in argv))
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=120)
        out = proc.stdout.decode("utf-8", "replace")
        code = proc.returncode
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace")
        code = None
    print(out.rstrip())
    print("---")
    problems = []
    if args.mode == "good":
        check(f"exit status 0 (got {code})", code == 0, problems)
        check("fauxgres run: PASS", "fauxgres run: PASS, exit 0" in out, problems)
        patterns = case.good
    else:
        check(f"exit status {case.bad_exit} (got {code})", code == case.bad_exit, problems)
        patterns = case.bad
    for pattern in patterns:
        check(f"output matches /{pattern}/", re.search(pattern, out) is not None, problems)
    check_report(args.mode, report, problems)
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.case} {args.mode}: {'as expected' if not problems else 'NOT as expected'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
