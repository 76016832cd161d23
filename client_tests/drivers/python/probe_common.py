"""Shared plumbing for the Python driver probes: where the server is, and one JSON line per step.

A probe runs the steps of STEPS for each connection form it is asked for (PROBE_FORMS) and
prints {"driver","form","step","ok","detail"} per step on stdout. The runner
(../run_drivers.py) passes the target through PROBE_* environment variables.
"""
import asyncio
import json
import os
import re
import sys
import urllib.parse

STEPS = ("connect", "select1", "param", "repeat7", "txn", "error", "ping", "close")
FORMS = ("url", "keyword", "unix")


class Target:
    """The server under test, as the runner describes it."""

    def __init__(self):
        env = os.environ
        self.host = env["PROBE_HOST"]
        self.port = int(env["PROBE_PORT"])
        self.unix_dir = env["PROBE_UNIX_DIR"]
        self.unix_port = int(env["PROBE_UNIX_PORT"])
        self.db = env["PROBE_DB"]
        self.user = env["PROBE_USER"]
        self.password = env["PROBE_PASSWORD"]
        self.md5_user = env["PROBE_MD5_USER"]
        self.forms = [f for f in env.get("PROBE_FORMS", ",".join(FORMS)).split(",") if f]

    @property
    def password_urlenc(self):
        return urllib.parse.quote(self.password, safe="")

    def url(self, scheme="postgresql", user=None):
        user = urllib.parse.quote(user or self.user, safe="")
        return f"{scheme}://{user}:{self.password_urlenc}@{self.host}:{self.port}/{self.db}"

    @property
    def unix_socket(self):
        return os.path.join(self.unix_dir, f".s.PGSQL.{self.unix_port}")


def libpq_quote(value):
    """A value for a libpq keyword/value connection string."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


_SQLSTATE = re.compile(r"[0-9A-Z]{5}")


class StepFailed(Exception):
    pass


def expect(actual, expected, what):
    if actual != expected:
        raise StepFailed(f"{what}: expected {expected!r}, got {actual!r}")
    return actual


def expect_error(exc, sqlstate, what):
    """Checks that a driver exception carries SQLSTATE `sqlstate`; returns a short note."""
    code = sqlstate_of(exc)
    if code != sqlstate:
        raise StepFailed(f"{what}: expected SQLSTATE {sqlstate}, got {code!r} from "
                         f"{describe(exc)}")
    return f"{what}: {type(exc).__name__} {code}"


def sqlstate_of(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        for attr in ("pgcode", "sqlstate"):
            code = getattr(exc, attr, None)
            if isinstance(code, str) and code:
                return code
        diag = getattr(exc, "diag", None)
        if diag is not None and getattr(diag, "sqlstate", None):
            return diag.sqlstate
        # pg8000 1.10: ProgrammingError(*field values), SQLSTATE among them
        for arg in getattr(exc, "args", ()):
            if isinstance(arg, str) and _SQLSTATE.fullmatch(arg) and re.search(r"\d", arg):
                return arg
        exc = getattr(exc, "orig", None) or exc.__cause__
    return None


def describe(exc):
    text = f"{type(exc).__module__}.{type(exc).__name__}: {exc}".strip()
    text = " ".join(text.split())
    return text[:600]


class Reporter:
    """Runs steps and prints one JSON object per step."""

    def __init__(self, driver):
        self.driver = driver

    def emit(self, form, step, ok, detail=""):
        if ok is None:
            cell = "n/a"
        else:
            cell = bool(ok)
        sys.stdout.write(json.dumps({"driver": self.driver, "form": form, "step": step,
                                     "ok": cell, "detail": str(detail)[:800]}) + "\n")
        sys.stdout.flush()

    def na(self, form, step, reason):
        self.emit(form, step, None, reason)

    def run(self, form, step, fn):
        try:
            detail = fn()
        except BaseException as exc:  # noqa: BLE001 - any failure is the step's result
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.emit(form, step, False, describe(exc))
            return False
        self.emit(form, step, True, detail if detail is not None else "")
        return True

    async def arun(self, form, step, fn):
        try:
            detail = await fn()
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, (KeyboardInterrupt, asyncio.CancelledError)):
                raise
            self.emit(form, step, False, describe(exc))
            return False
        self.emit(form, step, True, detail if detail is not None else "")
        return True


def run_form(rep, form, steps, na=None):
    """Runs `steps` (step name -> callable) in STEPS order; `na` maps steps to a reason.

    After a failed connect the other steps are reported failed as not run, and the optional
    "cleanup" callable runs (quietly) instead of close.
    """
    na = na or {}
    connected = True
    for step in STEPS:
        if step in na:
            rep.na(form, step, na[step])
        elif not connected:
            rep.emit(form, step, False, "not run: connect failed")
        else:
            ok = rep.run(form, step, steps[step])
            if step == "connect" and not ok:
                connected = False
    if not connected and "cleanup" in steps:
        try:
            steps["cleanup"]()
        except Exception:  # noqa: BLE001 - best effort after a failed connect
            pass


async def arun_form(rep, form, steps, na=None):
    na = na or {}
    connected = True
    for step in STEPS:
        if step in na:
            rep.na(form, step, na[step])
        elif not connected:
            rep.emit(form, step, False, "not run: connect failed")
        else:
            ok = await rep.arun(form, step, steps[step])
            if step == "connect" and not ok:
                connected = False
    if not connected and "cleanup" in steps:
        try:
            await steps["cleanup"]()
        except Exception:  # noqa: BLE001
            pass
