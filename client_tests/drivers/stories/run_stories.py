#!/usr/bin/env python3
"""Story tests (DESIGN.md section 1, S1-S6): real drivers meet fauxgres' faults.

Usage:
  run_stories.py --server PATH/TO/fauxgres [--only S1,S4] [--python /usr/bin/python3]

Each story starts its own fauxgres processes (port 0, temp Unix socket dirs, --stats-file),
drives a real client into the failure and into the configuration that survives it, and
prints one line per check: `ok`, `FAIL` or `skip`, the story, the check and a detail.
The last line is `N passed, M failed`; the exit status is non-zero if anything failed.
Every server started is stopped by its PID, also when the runner is interrupted.
See README.md. Standard library only (the clients use Debian's python3-* and ../node).
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import harness  # noqa: E402
import s1_startup  # noqa: E402
import s2_ssl_socket  # noqa: E402
import s3_passwords  # noqa: E402
import s4_max_connections  # noqa: E402
import s5_pool_exhaustion  # noqa: E402
import s6_lambda  # noqa: E402

STORIES = [
    ("S1", "asyncpg app starting while the database refuses / is starting up", s1_startup),
    ("S2", "SSL over the Cloud SQL Unix socket", s2_ssl_socket),
    ("S3", "a password with @ : / % # in a URL", s3_passwords),
    ("S4", "more connections than the server allows", s4_max_connections),
    ("S5", "slow queries exhaust the SQLAlchemy pool", s5_pool_exhaustion),
    ("S6", "Lambda + node-postgres/Sequelize: idle drops and leaked connections", s6_lambda),
]


def prepare_node():
    """The Node stories use ../node/node_modules (the drivers suite's committed lockfile)."""
    wanted = ("pg", "sequelize", "pg-hstore")
    modules = os.path.join(harness.NODE_DIR, "node_modules")
    if all(os.path.isdir(os.path.join(modules, m)) for m in wanted):
        return ""
    print("[stories] node_modules missing: running npm ci in client_tests/drivers/node",
          file=sys.stderr, flush=True)
    try:
        proc = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=harness.NODE_DIR,
                              capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"npm ci failed: {exc}"
    if proc.returncode != 0:
        return f"npm ci failed ({proc.returncode}): {harness.tail(proc.stdout + proc.stderr)}"
    return ""


def on_terminate(signum, frame):
    raise KeyboardInterrupt


def main():
    signal.signal(signal.SIGTERM, on_terminate)
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", required=True, help="the fauxgres binary")
    ap.add_argument("--python", default="/usr/bin/python3" if os.path.exists("/usr/bin/python3")
                    else sys.executable, help="interpreter for the Python clients (Debian's)")
    ap.add_argument("--only", help="comma-separated stories, e.g. S1,S6")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (server logs)")
    args = ap.parse_args()

    stories = STORIES
    if args.only:
        wanted = {s.strip().upper() for s in args.only.split(",") if s.strip()}
        unknown = wanted - {s[0] for s in STORIES}
        if unknown:
            ap.error(f"unknown stories: {', '.join(sorted(unknown))}")
        stories = [s for s in STORIES if s[0] in wanted]
    binary = os.path.abspath(args.server)
    if not os.access(binary, os.X_OK):
        ap.error(f"--server {binary} is not an executable")

    tmp = tempfile.mkdtemp(prefix="fauxgres-stories-")
    h = harness.Harness(binary, args.python, tmp)
    started = time.monotonic()
    node_problem = prepare_node() if any(s[0] in ("S2", "S3", "S6") for s in stories) else ""
    interrupted = False
    try:
        for key, title, module in stories:
            h.story = key
            print(f"[stories] {key}: {title}", file=sys.stderr, flush=True)
            t0 = time.monotonic()
            try:
                module.run(h, node_problem=node_problem)
            except harness.SetupError as exc:
                h.check("setup", False, str(exc))
            except KeyboardInterrupt:
                raise
            except Exception:  # a bug in the story itself: report it, go on with the next
                h.check("story raised", False, harness.tail(traceback.format_exc(), 1500))
            finally:
                h.cleanup()
            print(f"[stories] {key}: {time.monotonic() - t0:.1f} s", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        interrupted = True
        h.check("interrupted", False, "the runner was stopped")
    finally:
        h.cleanup()
        if args.keep_tmp:
            print(f"[stories] kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    passed = sum(1 for r in h.results if r[0] == "ok")
    failed = sum(1 for r in h.results if r[0] == "FAIL")
    skipped = sum(1 for r in h.results if r[0] == "skip")
    failures = [r for r in h.results if r[0] == "FAIL"]
    if failures:
        print("\nFailures:")
        for _, story, name, detail in failures:
            print(f"  {story} {name}: {detail}")
    print(f"\n{skipped} skipped; {time.monotonic() - started:.0f} s")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 130 if interrupted else (1 if failed else 0)


if __name__ == "__main__":
    sys.exit(main())
