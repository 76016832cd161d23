#!/usr/bin/python3
"""Writes the seed corpus for fuzz_session into DIR: typical client traffic (logins with
each auth method, SSLRequest, simple and extended queries, waits, errors, COPY bytes,
Terminate), framed as session_fuzz.cpp reads it: flags byte, read-size byte, bytes."""
import os
import struct
import sys


def msg(kind, body=b""):
    return kind + struct.pack("!i", len(body) + 4) + body


def cstr(s):
    return s.encode() + b"\0"


def startup(version=196608, **params):
    body = struct.pack("!i", version) + b"".join(cstr(k) + cstr(v) for k, v in params.items()) + b"\0"
    return struct.pack("!i", len(body) + 4) + body


def query(sql):
    return msg(b"Q", cstr(sql))


def parse(name, sql, types=()):
    return msg(b"P", cstr(name) + cstr(sql) + struct.pack("!h", len(types)) +
               b"".join(struct.pack("!I", t) for t in types))


def bind(portal, stmt, params=(), result_formats=()):
    body = cstr(portal) + cstr(stmt) + struct.pack("!h", 0) + struct.pack("!h", len(params))
    for p in params:
        body += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
    body += struct.pack("!h", len(result_formats)) + b"".join(struct.pack("!h", f) for f in result_formats)
    return msg(b"B", body)


def execute(portal, max_rows=0):
    return msg(b"E", cstr(portal) + struct.pack("!i", max_rows))


SYNC, FLUSH, TERMINATE = msg(b"S"), msg(b"H"), msg(b"X")
LOGIN, TRUST, PASSWORD, MD5, SCRAM = 1, 0, 2, 4, 6
seeds = {
    "simple": (LOGIN, 0, query("SELECT 1") + query("SELECT 1+1 AS result; SHOW TimeZone") + TERMINATE),
    "simple-bytewise": (LOGIN, 1, query("SELECT version()") + query("BEGIN") + query("SELECT 1/0") +
                        query("COMMIT")),
    "extended": (LOGIN, 0, parse("s1", "SELECT $1::int + 1", [23]) + bind("", "s1", [b"41"]) +
                 msg(b"D", b"P\0") + execute("") + SYNC),
    "extended-binary": (LOGIN, 7, parse("", "SELECT $1::int8, now()", [20]) +
                        bind("p", "", [b"\0\0\0\0\0\0\0\1"], [1, 1]) + execute("p", 1) +
                        execute("p") + msg(b"C", b"Pp\0") + SYNC),
    "prepared-repeat": (LOGIN, 0, parse("P0_0", "SELECT 1") + SYNC +
                        (bind("", "P0_0") + msg(b"D", b"P\0") + execute("") + SYNC) * 3),
    "errors": (LOGIN, 0, parse("", "SELEKT") + bind("", "") + execute("") + SYNC + FLUSH +
               query("SET foo = bar") + query("") + msg(b"F", b"\0\0\0\1")),
    "waits": (LOGIN, 9, query("SELECT pg_sleep(1)") + query("SET statement_timeout = '10ms'") +
              query("SELECT pg_sleep(5)")),
    "transactions": (LOGIN, 0, query("START TRANSACTION ISOLATION LEVEL SERIALIZABLE") +
                     query("SAVEPOINT a") + query("SELECT 1/0") + query("ROLLBACK TO SAVEPOINT a") +
                     query("RELEASE a") + query("COMMIT") + query("DISCARD ALL")),
    # Statements that close portals, run inside one; parameters that are not UTF-8.
    "portal-commands": (LOGIN, 0, b"".join(parse("", sql) + bind(portal, "") + execute(portal) +
                                           execute(portal) + SYNC
                                           for sql in ("DISCARD ALL", "CLOSE ALL", "COMMIT",
                                                       "DEALLOCATE ALL", "BEGIN", "ROLLBACK")
                                           for portal in ("", "p"))),
    "bad-encoding": (LOGIN, 0, parse("", "SELECT $1", [25]) + bind("", "", [b"a\0b"]) + SYNC +
                     parse("", "SELECT $1::int", [23]) + bind("p", "", [b"\xff"]) + SYNC),
    "introspection": (LOGIN, 0, query("SELECT oid, typname FROM pg_type WHERE typname = 'int4'") +
                      query("SELECT current_setting('server_version_num')")),
    "faults": (LOGIN | 16, 0, query("SELECT 'fail'") + query("SELECT 'slow'") +
               query("SELECT 'sleep'") + parse("", "SELECT 'reset'") + bind("", "") +
               execute("") + SYNC),
    "faults-fatal": (LOGIN | 16, 0, query("SELECT 'fatal'")),
    "faults-login": (PASSWORD | 16, 0, startup(user="app") + msg(b"p", cstr("pw"))),
    "copy-bytes": (LOGIN, 0, msg(b"d", b"abc") + msg(b"c") + query("SELECT 2")),
    "trust": (TRUST, 0, startup(user="app", database="db", application_name="fuzz") + query("SELECT 1")),
    "password": (PASSWORD, 0, startup(user="app") + msg(b"p", cstr("pw")) + query("SELECT 1")),
    "md5": (MD5, 3, startup(user="app") + msg(b"p", cstr("md5" + "0" * 32))),
    "scram": (SCRAM, 0, startup(user="app") + msg(b"p", cstr("SCRAM-SHA-256") +
                                                  struct.pack("!i", 32) + b"n,,n=,r=rOprNGfwEbeRWgbNEkqO")),
    "ssl": (TRUST, 0, struct.pack("!ii", 8, 80877103) + startup(user="app")),
    "gssenc": (TRUST, 2, struct.pack("!ii", 8, 80877104) + startup(user="app", options="-c a=b")),
    "cancel": (TRUST, 0, struct.pack("!iiii", 16, 80877102, 4242, 777)),
    "protocol-3.1": (TRUST, 0, startup(196609, user="app", _pq_x="1")),
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, (flags, read_size, data) in seeds.items():
    with open(os.path.join(out, "seed-" + name), "wb") as f:
        f.write(bytes([flags, read_size]) + data)
