#!/usr/bin/env python3
"""Start-to-ready times for scripts/bench, in milliseconds, one line per run.

  ready_time.py fauxgres RUNS BINARY [ARGS...]
      spawn -> the "fauxgres ready on ..." line on stdout. Each run gets a fresh Unix
      socket directory (--listen 127.0.0.1:0 --unix-socket-dir DIR are appended) and is
      stopped with SIGTERM (SIGKILL after 5 s) before the next.

  ready_time.py postgres RUNS PGBIN DATADIR USER
      spawn of `postgres -D DATADIR` (as USER) -> postmaster.pid reports "ready", polled
      every millisecond; stopped with SIGINT (fast shutdown) before the next run. (pg_ctl
      start -w polls only every 100 ms; scripts/bench times that separately.)
"""
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def stop(proc: subprocess.Popen, sig: int) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fauxgres_once(binary: str, args: list) -> float:
    sockdir = tempfile.mkdtemp(prefix="fauxgres-bench-ready-")
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen([binary, *args, "--listen", "127.0.0.1:0", "--unix-socket-dir", sockdir],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            for raw in proc.stdout:
                if raw.startswith(b"fauxgres ready on "):
                    return (time.perf_counter() - t0) * 1000.0
            raise RuntimeError("fauxgres exited without a ready line (status %s)" % proc.wait())
        finally:
            stop(proc, signal.SIGTERM)
    finally:
        shutil.rmtree(sockdir, ignore_errors=True)


def postgres_once(pgbin: str, datadir: str, user: str) -> float:
    pw = pwd.getpwnam(user)

    def demote() -> None:
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)

    pidfile = os.path.join(datadir, "postmaster.pid")
    t0 = time.perf_counter()
    proc = subprocess.Popen([os.path.join(pgbin, "postgres"), "-D", datadir],
                            preexec_fn=demote, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = t0 + 60
        while time.perf_counter() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("postgres exited with %s" % proc.returncode)
            try:
                with open(pidfile) as f:
                    lines = f.read().split("\n")
                if len(lines) > 7 and lines[7].strip() == "ready":
                    return (time.perf_counter() - t0) * 1000.0
            except FileNotFoundError:
                pass
            time.sleep(0.001)
        raise RuntimeError("postgres not ready within 60 s")
    finally:
        stop(proc, signal.SIGINT)


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    kind, runs = sys.argv[1], int(sys.argv[2])
    for _ in range(runs):
        if kind == "fauxgres":
            ms = fauxgres_once(sys.argv[3], sys.argv[4:])
        elif kind == "postgres":
            ms = postgres_once(sys.argv[3], sys.argv[4], sys.argv[5])
        else:
            print(__doc__, file=sys.stderr)
            return 2
        print("%.3f" % ms, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
