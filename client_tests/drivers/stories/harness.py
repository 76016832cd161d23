"""Plumbing for the story tests: fauxgres servers, client processes, and check lines.

A story (s1_*.py ... s6_*.py) gets a Harness. It starts servers with h.server(...) (each
waits for its ready line, is stopped by its PID, and hands back its --stats-file JSON),
runs client processes with h.python(...) / h.node(...) (one JSON object per output line,
bounded in time, killed with their process group when late), and records checks with
h.check(name, ok, detail) / h.skip(name, reason). Standard library only.
"""
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_DIR = os.path.join(os.path.dirname(HERE), "node")  # the drivers suite's node_modules
READY_TIMEOUT = 30
SEED = 20251123  # fixed, so a failing run replays the same fault decisions


class SetupError(Exception):
    """A server or client could not be started; the story cannot go on."""


def tail(text, limit=600):
    text = (text or "").strip()
    return text if len(text) <= limit else "..." + text[-limit:]


class Server:
    """One fauxgres process. Always stopped by its PID (SIGTERM, then SIGKILL)."""

    def __init__(self, harness, name, args, unix_dir=None, tcp=True):
        self.h = harness
        self.name = name
        self.workdir = os.path.join(harness.tmp, name)
        os.makedirs(self.workdir)
        self.stats_path = os.path.join(self.workdir, "stats.json")
        self.log_path = os.path.join(self.workdir, "fauxgres.log")
        self.argv = [harness.binary]
        if tcp:
            self.argv += ["--listen", "127.0.0.1:0"]
        if unix_dir:
            self.argv += ["--unix-socket-dir", unix_dir]
        self.argv += ["--seed", str(SEED), "--stats-file", self.stats_path] + list(args)
        self.proc = None
        self.host = self.port = self.unix_dir = None
        self.unix_port = 5432
        self.started_at = None  # monotonic time just before the process was spawned
        self.stats = None
        self.crashed = None  # text when the process was found dead before we stopped it
        self._log = None

    def start(self):
        self._log = open(self.log_path, "wb")
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=self._log,
                                     stdin=subprocess.DEVNULL, cwd=self.workdir)
        self.h.live_servers.append(self)
        lines, ready = [], threading.Event()

        def read_stdout():
            for raw in self.proc.stdout:
                lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                if lines[-1].startswith("fauxgres ready on "):
                    ready.set()
            ready.set()

        threading.Thread(target=read_stdout, daemon=True).start()
        ready.wait(READY_TIMEOUT)
        line = next((l for l in lines if l.startswith("fauxgres ready on ")), None)
        if line is None:
            try:  # stdout closed: the process is exiting (or has closed stdout and hangs)
                code = self.proc.wait(5) if ready.is_set() else self.proc.poll()
            except subprocess.TimeoutExpired:
                code = None
            self.stop()
            state = (f"exited with code {code} ({describe_exit(code)})" if code is not None
                     else f"printed no ready line within {READY_TIMEOUT} s")
            raise SetupError(f"fauxgres {' '.join(self.argv[1:])} {state}; "
                             f"stderr: {tail(self.log_text())!r}")
        tcp = re.search(r"\btcp (\S+?):(\d+)\b", line)
        unix = re.search(r"\bunix (\S+)/\.s\.PGSQL\.(\d+)\b", line)
        if tcp:
            self.host, self.port = tcp.group(1).strip("[]"), int(tcp.group(2))
        if unix:
            self.unix_dir, self.unix_port = unix.group(1), int(unix.group(2))
        return self

    def uptime(self):
        return time.monotonic() - self.started_at

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        """Stops the process (if still running) and returns its stats (or None)."""
        if self.proc is None:
            return self.stats
        code = self.proc.poll()
        if code is not None and self.crashed is None and self.stats is None:
            self.crashed = f"exited on its own with code {code} ({describe_exit(code)})"
        if code is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self in self.h.live_servers:
            self.h.live_servers.remove(self)
        if self._log:
            self._log.close()
            self._log = None
        try:
            with open(self.stats_path, encoding="utf-8") as f:
                self.stats = json.load(f)
        except (OSError, ValueError):
            self.stats = None
        return self.stats

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    # --- reading the stats file (after stop) -----------------------------------------

    def fired(self, rule):
        return ((self.stats or {}).get("fired") or {}).get(rule)

    def peak(self):
        return ((self.stats or {}).get("connections") or {}).get("peak")

    def connections(self, key):
        return ((self.stats or {}).get("connections") or {}).get(key)


def describe_exit(code):
    if code is None:
        return "running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return "exit status"


class Client:
    """A client process printing one JSON object per line; read as it goes."""

    def __init__(self, argv, cwd, env, timeout):
        self.argv = argv
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.records = []
        self._queue = queue.Queue()
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     start_new_session=True)
        self.stderr = ""
        self.timed_out = False
        self._threads = [threading.Thread(target=self._read_out, daemon=True),
                         threading.Thread(target=self._read_err, daemon=True)]
        for t in self._threads:
            t.start()

    def _read_out(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").strip()
            if not line.startswith("{"):
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            rec["_t"] = time.monotonic()
            self.records.append(rec)
            self._queue.put(rec)
        self._queue.put(None)

    def _read_err(self):
        self.stderr = self.proc.stderr.read().decode("utf-8", "replace")

    def send(self, line):
        try:
            self.proc.stdin.write((line + "\n").encode())
            self.proc.stdin.flush()
        except OSError:
            pass

    def wait_for(self, predicate, timeout=None):
        """The first record (seen from now on, or already seen) matching predicate, or None."""
        for rec in self.records:
            if predicate(rec):
                return rec
        end = min(self.deadline, time.monotonic() + timeout) if timeout else self.deadline
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                rec = self._queue.get(timeout=left)
            except queue.Empty:
                return None
            if rec is None:
                self._queue.put(None)  # EOF stays visible to later waits
                return None
            if predicate(rec):
                return rec

    def finish(self):
        """Waits (bounded) for the process to exit; kills its process group when late."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(max(0.1, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.kill()
            self.proc.wait(10)
        for t in self._threads:
            t.join(5)
        return self

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    @property
    def returncode(self):
        return self.proc.returncode

    def first(self, **match):
        """The first record whose fields equal `match`, or None."""
        for rec in self.records:
            if all(rec.get(k) == v for k, v in match.items()):
                return rec
        return None

    def problem(self):
        """Why the client's output cannot be trusted, or ''."""
        if self.timed_out:
            return f"client killed after {self.timeout:.0f} s; stderr: {tail(self.stderr)}"
        if self.proc.returncode not in (0, None) and not self.records:
            return f"client exited with {self.proc.returncode}; stderr: {tail(self.stderr)}"
        return ""


class Harness:
    def __init__(self, binary, python, tmp, out=sys.stdout):
        self.binary = binary
        self.python_path = python
        self.tmp = tmp
        self.out = out
        self.results = []  # (status, story, name, detail)
        self.live_servers = []
        self.live_clients = []
        self.story = "?"
        self._names = set()

    # --- checks ----------------------------------------------------------------------

    def check(self, name, ok, detail=""):
        status = "ok" if ok else "FAIL"
        detail = " | ".join(line.strip() for line in str(detail).splitlines() if line.strip())
        self.results.append((status, self.story, name, detail))
        print(f"{status:4} {self.story} {name}" + (f": {detail}" if detail else ""),
              file=self.out, flush=True)
        return ok

    def skip(self, name, reason):
        reason = " | ".join(line.strip() for line in str(reason).splitlines() if line.strip())
        self.results.append(("skip", self.story, name, reason))
        print(f"skip {self.story} {name}: {reason}", file=self.out, flush=True)

    # --- servers ---------------------------------------------------------------------

    def server(self, name, args, unix_dir=None, tcp=True):
        """A started Server (use it as a context manager so it is always stopped)."""
        base, n = name, 1
        while name in self._names:
            n += 1
            name = f"{base}-{n}"
        self._names.add(name)
        return Server(self, name, args, unix_dir=unix_dir, tcp=tcp).start()

    def server_survived(self, server, what):
        """A check that the server did not die during the story (call after stop())."""
        if server.crashed:
            return self.check(f"{what}: fauxgres kept running", False,
                              f"{server.crashed}; stderr: {tail(server.log_text())}")
        if server.stats is None:
            return self.check(f"{what}: fauxgres wrote its --stats-file", False,
                              f"no readable {server.stats_path}; stderr: {tail(server.log_text())}")
        return True

    # --- clients ---------------------------------------------------------------------

    def _env(self, extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.update({k: str(v) for k, v in (extra or {}).items()})
        return env

    def python(self, script, *args, timeout=30, env=None):
        """Starts `python3 stories/SCRIPT client ARGS...`; returns the running Client."""
        argv = [self.python_bin(), os.path.join(HERE, script), "client"] + [str(a) for a in args]
        return self._spawn(argv, env, timeout)

    def node(self, script, *args, timeout=30, env=None):
        argv = ["node", os.path.join(HERE, script)] + [str(a) for a in args]
        return self._spawn(argv, env, timeout)

    def python_bin(self):
        return self.python_path

    def _spawn(self, argv, env, timeout):
        try:
            c = Client(argv, HERE, self._env(env), timeout)
        except OSError as exc:
            raise SetupError(f"cannot start {argv[0]}: {exc}") from exc
        self.live_clients.append(c)
        return c

    def run(self, client):
        """Waits for a client to finish and returns it."""
        client.finish()
        if client in self.live_clients:
            self.live_clients.remove(client)
        return client

    def cleanup(self):
        for c in list(self.live_clients):
            c.kill()
        self.live_clients.clear()
        for s in list(self.live_servers):
            s.stop()


_EMIT_LOCK = threading.Lock()


def emit(**record):
    """Client side: one JSON object per line on stdout (whole lines, also from threads)."""
    line = json.dumps(record, default=str) + "\n"
    with _EMIT_LOCK:
        sys.stdout.write(line)
        sys.stdout.flush()


def error_record(exc):
    """Client side: what a user sees of an exception (class, SQLSTATE, message)."""
    code = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
    if orig is not None and not code:
        code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return {"error": f"{type(exc).__module__}.{type(exc).__name__}", "sqlstate": code,
            "message": str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc),
            "full": str(exc).strip()}
