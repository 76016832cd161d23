"""S2: SSL over the Cloud SQL Unix socket.

The socket lives in a directory named like /cloudsql/PROJECT:REGION:INSTANCE (here a temp
dir `.../cloudsql/proj:region:inst`). The client tries SSL over it and the handshake fails:

  --fault ssl:mode=close,listener=unix     the SSLRequest is answered by closing
  --fault ssl:mode=reject,listener=unix    the SSLRequest is answered with N

The same rule is put on the TCP listener too (the Auth Proxy's TCP port, or a DSN that
ended up on TCP), with its own name, so the stats say which listener met an SSLRequest.

What the drivers here really do:
- asyncpg 0.27 never sends an SSLRequest over a Unix socket, whatever `ssl` says: its
  default connects through both faults (the rule fires 0 times). Over TCP its default,
  sslmode=prefer, fails on `close` and falls back to plaintext on `reject`; ssl='require'
  fails on both. ssl=False always connects.
- node-postgres sends an SSLRequest over the Unix socket when `ssl` is set: `close` ->
  "Connection terminated unexpectedly", `reject` -> "The server does not support SSL
  connections". ssl: false connects.

The wrong_host certificate case (TCP, `ssl:cert=wrong_host`) needs the test CA that signed
the certificate; it runs only when `fauxgres --help` offers a way to write it out.
"""
import asyncio
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import emit, error_record  # noqa: E402

USER, PASSWORD, DB = "app", "s2-secret", "app"
CONN_LOST = "builtins.ConnectionError"


# --- the runner side ---------------------------------------------------------------------

def run(h, node_problem=""):
    for mode in ("close", "reject"):
        run_asyncpg(h, mode)
        if node_problem:
            h.skip(f"{mode}: node-postgres over the socket", node_problem)
        else:
            run_node(h, mode)
    run_wrong_host(h)


def ssl_rules(mode):
    return ["--fault", f"ssl:mode={mode},listener=unix,name=ssl_unix",
            "--fault", f"ssl:mode={mode},listener=tcp,name=ssl_tcp",
            "--user", f"{USER}={PASSWORD}", "--database", DB]


def target(srv, **more):
    t = {"unix_dir": srv.unix_dir, "unix_port": srv.unix_port, "host": srv.host,
         "port": srv.port, "user": USER, "password": PASSWORD, "db": DB}
    t.update(more)
    return json.dumps(t)


def describe(rec):
    if rec is None:
        return "no result"
    if rec.get("ok"):
        return f"connected, SELECT 1 = {rec.get('value')}"
    return f"{rec.get('error')}: {rec.get('message')}"


def run_asyncpg(h, mode):
    sock_dir = os.path.join(h.tmp, f"s2-{mode}", "cloudsql", "proj:region:inst")
    with h.server(f"s2-asyncpg-{mode}", ssl_rules(mode), unix_dir=sock_dir) as srv:
        client = h.run(h.python("s2_ssl_socket.py", "asyncpg", target(srv), timeout=30))
    h.server_survived(srv, f"{mode}")
    if client.problem():
        h.check(f"{mode}: asyncpg client", False, client.problem())
        return
    res = {r["case"]: r for r in client.records if "case" in r}
    where = f"/cloudsql/.../{os.path.basename(srv.unix_dir)}"

    r = res.get("unix_default")
    unix_fired = srv.fired("ssl_unix")
    h.check(f"{mode}: asyncpg default over the {where} socket connects "
            f"(asyncpg sends no SSLRequest on a Unix socket)",
            bool(r and r.get("ok")) and unix_fired == 0,
            f"{describe(r)}; ssl_unix rule fired {unix_fired} times")
    r = res.get("unix_ssl_false")
    h.check(f"{mode}: asyncpg ssl=False over the socket connects", bool(r and r.get("ok")),
            describe(r))

    r = res.get("tcp_default")
    if mode == "close":
        ok = bool(r) and not r.get("ok") and r.get("error") == CONN_LOST
        h.check("close: asyncpg default (sslmode=prefer) over TCP fails: the server closed on "
                "its SSLRequest", ok, describe(r))
    else:
        h.check("reject: asyncpg default (sslmode=prefer) over TCP falls back to plaintext",
                bool(r and r.get("ok")), describe(r))
    r = res.get("tcp_require")
    ok = bool(r) and not r.get("ok") and r.get("error") == CONN_LOST and \
        (mode == "close" or "rejected SSL upgrade" in r.get("message", ""))
    h.check(f"{mode}: asyncpg ssl='require' over TCP fails", ok, describe(r))
    r = res.get("tcp_ssl_false")
    tcp_fired = srv.fired("ssl_tcp")
    h.check(f"{mode}: asyncpg ssl=False over TCP connects (no SSLRequest sent)",
            bool(r and r.get("ok")) and tcp_fired == 2,
            f"{describe(r)}; ssl_tcp rule fired {tcp_fired} times (default + require)")


def run_node(h, mode):
    sock_dir = os.path.join(h.tmp, f"s2-node-{mode}", "cloudsql", "proj:region:inst")
    with h.server(f"s2-node-{mode}", ssl_rules(mode), unix_dir=sock_dir) as srv:
        client = h.run(h.node("s2_pg_ssl.js", target(srv), timeout=30))
    h.server_survived(srv, f"{mode} (node)")
    if client.problem():
        h.check(f"{mode}: node-postgres client", False, client.problem())
        return
    res = {r["case"]: r for r in client.records if "case" in r}
    r = res.get("default")
    h.check(f"{mode}: node-postgres default (no ssl) over the socket connects",
            bool(r and r.get("ok")), describe(r))
    r = res.get("ssl")
    expected = {"close": "Connection terminated unexpectedly",
                "reject": "The server does not support SSL connections"}[mode]
    h.check(f"{mode}: node-postgres with ssl over the socket fails",
            bool(r) and not r.get("ok") and r.get("message") == expected, describe(r))
    r = res.get("ssl_false")
    fired = srv.fired("ssl_unix")
    h.check(f"{mode}: node-postgres ssl: false over the socket connects",
            bool(r and r.get("ok")) and fired == 1,
            f"{describe(r)}; ssl_unix rule fired {fired} times (the ssl attempt only)")


def ca_flag(binary):
    """The fauxgres flag that writes out the test CA, if there is one."""
    try:
        text = subprocess.run([binary, "--help"], capture_output=True, text=True,
                              timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"^\s*(--[a-z0-9-]*\bca\b[a-z0-9-]*)\s+(FILE|PATH)\b", text, re.M)
    return m.group(1) if m else None


def run_wrong_host(h):
    name = "wrong_host (ssl:cert=wrong_host): asyncpg verify-full over TCP fails on the " \
           "host name; ssl=False connects"
    flag = ca_flag(h.binary)
    if flag is None:
        h.skip(name, "fauxgres cannot write out the test CA that signs the `ssl cert=` "
                     "certificates (no --...ca... FILE option in --help), so no client can "
                     "verify up to the host name check; `ssl:cert=wrong_host` is accepted by the "
                     "rule parser but this case cannot be checked yet")
    else:
        ca = os.path.join(h.tmp, "s2-test-ca.pem")
        rules = ["--ssl", "on", "--fault", "ssl:mode=accept,cert=wrong_host,listener=tcp",
                 flag, ca]
        wrong_host_case(h, name, "s2-wrong-host", rules, ca)
    # The same failure with the server's own certificate (--ssl-cert): one issued for
    # wrong.example.invalid by a CA the client trusts, presented on 127.0.0.1.
    name = "wrong_host (--ssl-cert for another host): asyncpg verify-full over TCP fails on " \
           "the host name; ssl=False connects"
    files = make_wrong_host_cert(os.path.join(h.tmp, "s2-certs"))
    if isinstance(files, str):
        h.skip(name, files)
        return
    ca, cert, key = files
    wrong_host_case(h, name, "s2-own-cert", ["--ssl", "on", "--ssl-cert", cert, "--ssl-key", key],
                    ca)


def wrong_host_case(h, name, server_name, rules, ca):
    rules = rules + ["--user", f"{USER}={PASSWORD}", "--database", DB]
    with h.server(server_name, rules) as srv:
        client = h.run(h.python("s2_ssl_socket.py", "wrong_host", target(srv, ca=ca), timeout=30))
    h.server_survived(srv, server_name)
    if client.problem():
        h.check(name, False, client.problem())
        return
    res = {r["case"]: r for r in client.records if "case" in r}
    v, off = res.get("tcp_verify_full"), res.get("tcp_ssl_false")
    ok = (bool(v) and not v.get("ok") and "SSLCertVerificationError" in v.get("error", "") and
          "mismatch" in v.get("message", "").lower() and bool(off and off.get("ok")))
    h.check(name, ok, f"verify-full: {describe(v)}; ssl=False: {describe(off)}")


def make_wrong_host_cert(directory):
    """(ca, cert, key) made with the openssl tool, or a reason why not."""
    os.makedirs(directory)
    p = lambda n: os.path.join(directory, n)  # noqa: E731
    steps = [
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "2",
         "-subj", "/CN=story test CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign"],
        ["openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", p("server.key"), "-out", p("server.csr"), "-subj", "/CN=wrong.example.invalid"],
    ]
    with open(p("ext.cnf"), "w", encoding="utf-8") as f:
        f.write("subjectAltName=DNS:wrong.example.invalid\n")
    steps.append(["openssl", "x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"),
                  "-CAkey", p("ca.key"), "-CAcreateserial", "-out", p("server.pem"), "-days", "2",
                  "-extfile", p("ext.cnf")])
    for argv in steps:
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"cannot make a test certificate with the openssl tool: {exc}"
        if proc.returncode != 0:
            return f"openssl failed: {proc.stderr.strip()[-300:]}"
    return p("ca.pem"), p("server.pem"), p("server.key")


# --- the client side ---------------------------------------------------------------------

async def attempt(case, **kw):
    import asyncpg
    try:
        conn = await asyncpg.connect(timeout=5, **kw)
        try:
            value = await conn.fetchval("SELECT 1")
        finally:
            await conn.close()
        emit(case=case, ok=True, value=value)
    except Exception as exc:
        emit(case=case, ok=False, **error_record(exc))


async def asyncpg_main(t):
    auth = {"user": t["user"], "password": t["password"], "database": t["db"]}
    unix = {"host": t["unix_dir"], "port": t["unix_port"], **auth}
    tcp = {"host": t["host"], "port": t["port"], **auth}
    await attempt("unix_default", **unix)
    await attempt("unix_ssl_false", ssl=False, **unix)
    await attempt("tcp_default", **tcp)
    await attempt("tcp_require", ssl="require", **tcp)
    await attempt("tcp_ssl_false", ssl=False, **tcp)


async def wrong_host_main(t):
    import ssl
    auth = {"user": t["user"], "password": t["password"], "database": t["db"]}
    tcp = {"host": t["host"], "port": t["port"], **auth}
    verify_full = ssl.create_default_context(cafile=t["ca"])  # checks chain and host name
    await attempt("tcp_verify_full", ssl=verify_full, **tcp)
    await attempt("tcp_ssl_false", ssl=False, **tcp)


def client_main(argv):
    what, t = argv[0], json.loads(argv[1])
    asyncio.run(asyncpg_main(t) if what == "asyncpg" else wrong_host_main(t))
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["client"]:
    sys.exit(client_main(sys.argv[2:]))
