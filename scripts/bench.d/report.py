#!/usr/bin/env python3
"""Turns scripts/bench's raw measurements into markdown tables: medians over the
repetitions, fauxgres/PostgreSQL ratios, and the targets. When the floor server ran
(server "floor": canned answers, one recv and one send per request), its ratios to
PostgreSQL show the best any server could reach on this machine.

usage: report.py RUNS_TSV METRICS_TSV CLK_TCK

RUNS_TSV rows:    server  mode  clients  transport  connect(0|1)  rep  tps  transactions  cpu_ticks
                  kernel_ticks (the part of cpu_ticks spent in the kernel)
METRICS_TSV rows: name  value   (ready_fauxgres_ms, ready_pg_ctl_ms, ready_pg_ms, rss_*...)
"""
import statistics
import sys
from collections import defaultdict

TARGETS = {
    "connect": 15.0,   # new connections/s, fauxgres/PG >=
    "cpu16": 0.35,     # server CPU per SELECT 1 at 16 clients, fauxgres/PG <=
    "tps16": 1.5,      # tps at 16 clients, fauxgres/PG >=
    "rss_kib": 4.0,    # KiB per idle connection <=
    "ready_ms": 20.0,  # start to ready <=
}


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, digits=0):
    if x is None:
        return "n/a"
    return f"{x:,.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def verdict(value, goal, higher_is_better):
    if value is None:
        return "n/a"
    ok = value >= goal if higher_is_better else value <= goal
    return "yes" if ok else "**no**"


def main() -> int:
    runs_path, metrics_path, clk_tck = sys.argv[1], sys.argv[2], float(sys.argv[3])
    # config -> server -> [(tps, us_per_txn, kernel_us_per_txn, user_us_per_txn)]
    runs = defaultdict(lambda: defaultdict(list))
    order = []
    with open(runs_path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 10:
                continue
            server, mode, clients, transport, connect, _rep, tps, txns, ticks, kticks = parts
            key = (mode, int(clients), transport, connect == "1")
            if key not in order:
                order.append(key)
            tps_v = float(tps) if tps not in ("", "fail") else None
            txns_v = int(txns) if txns.isdigit() else 0
            def per_txn(t):
                return (int(t) / clk_tck * 1e6 / txns_v) if txns_v > 0 and t.isdigit() else None
            total, kernel = per_txn(ticks), per_txn(kticks)
            user = total - kernel if total is not None and kernel is not None else None
            runs[key][server].append((tps_v, total, kernel, user))
    metrics = defaultdict(list)
    with open(metrics_path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                try:
                    metrics[parts[0]].append(float(parts[1]))
                except ValueError:
                    pass

    def med(key, server, idx):
        return median([r[idx] for r in runs[key].get(server, [])])

    worst = {"connect": None, "cpu16": None, "tps16": None}
    worst_cell = {"cpu16": None, "tps16": None}
    has_floor = any("floor" in by_server for by_server in runs.values())

    print("### Throughput and server CPU (pgbench, script `SELECT 1`, medians)\n")
    print("| mode | clients | transport | fauxgres tps | PG tps | tps ratio | fauxgres CPU µs/txn "
          "| PG CPU µs/txn | CPU ratio |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for key in order:
        mode, clients, transport, connect = key
        if connect:
            continue
        ft, pt = med(key, "fauxgres", 0), med(key, "pg", 0)
        fc, pc = med(key, "fauxgres", 1), med(key, "pg", 1)
        tr, cr = ratio(ft, pt), ratio(fc, pc)
        if clients >= 16:
            if tr is not None and (worst["tps16"] is None or tr < worst["tps16"]):
                worst["tps16"], worst_cell["tps16"] = tr, key
            if cr is not None and (worst["cpu16"] is None or cr > worst["cpu16"]):
                worst["cpu16"], worst_cell["cpu16"] = cr, key
        print(f"| {mode} | {clients} | {transport} | {fmt(ft)} | {fmt(pt)} | {fmt(tr, 2)}× "
              f"| {fmt(fc, 1)} | {fmt(pc, 1)} | {fmt(cr, 2)}× |")

    print("\n### Where the server CPU goes, 16 clients (medians, µs per transaction)\n")
    print("fauxgres kernel ÷ PG total is fauxgres's kernel time alone over PostgreSQL's whole "
          "cost. The floor columns are the floor server's: its CPU ratio is the lowest any "
          "server can reach here, and its tps ratio the highest.\n")
    print("| mode | transport | fauxgres user | fauxgres kernel | PG user | PG kernel "
          "| fauxgres kernel ÷ PG total | floor user | floor kernel | floor CPU ratio "
          "| floor tps ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in order:
        mode, clients, transport, connect = key
        if connect or clients < 16:
            continue
        fu, fk = med(key, "fauxgres", 3), med(key, "fauxgres", 2)
        pu, pk, pc = med(key, "pg", 3), med(key, "pg", 2), med(key, "pg", 1)
        lu, lk, lc = med(key, "floor", 3), med(key, "floor", 2), med(key, "floor", 1)
        lt, pt = med(key, "floor", 0), med(key, "pg", 0)
        print(f"| {mode} | {transport} | {fmt(fu, 1)} | {fmt(fk, 1)} | {fmt(pu, 1)} | {fmt(pk, 1)} "
              f"| {fmt(ratio(fk, pc), 2)}× | {fmt(lu, 1)} | {fmt(lk, 1)} | {fmt(ratio(lc, pc), 2)}× "
              f"| {fmt(ratio(lt, pt), 2)}× |")

    print("\n### New connections (pgbench -C: connect, SELECT 1, disconnect; medians)\n")
    print("| mode | clients | transport | fauxgres conn/s | PG conn/s | ratio | fauxgres CPU µs/conn "
          "| PG CPU µs/conn | CPU ratio |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for key in order:
        mode, clients, transport, connect = key
        if not connect:
            continue
        ft, pt = med(key, "fauxgres", 0), med(key, "pg", 0)
        fc, pc = med(key, "fauxgres", 1), med(key, "pg", 1)
        tr, cr = ratio(ft, pt), ratio(fc, pc)
        if tr is not None:
            worst["connect"] = tr if worst["connect"] is None else min(worst["connect"], tr)
        print(f"| {mode} | {clients} | {transport} | {fmt(ft)} | {fmt(pt)} | {fmt(tr, 2)}× "
              f"| {fmt(fc, 1)} | {fmt(pc, 1)} | {fmt(cr, 2)}× |")

    m = lambda name: median(metrics.get(name, []))  # noqa: E731
    print("\n### Memory per idle connection\n")
    print("| server | connections held | measured | RSS KiB/conn | PSS KiB/conn | private KiB/conn |")
    print("|---|---:|---|---:|---:|---:|")
    print(f"| fauxgres | {fmt(m('rss_fauxgres_conns'))} | process RSS/PSS/private delta ÷ N "
          f"(after 1 warm-up connection) | {fmt(m('rss_fauxgres_kib'), 2)} | {fmt(m('pss_fauxgres_kib'), 2)} "
          f"| {fmt(m('private_fauxgres_kib'), 2)} |")
    print(f"| PostgreSQL | {fmt(m('rss_pg_conns'))} | mean over idle backends (smaps_rollup); "
          f"RSS counts touched shared buffers | {fmt(m('rss_pg_kib'), 0)} | {fmt(m('pss_pg_kib'), 0)} "
          f"| {fmt(m('private_pg_kib'), 0)} |")

    print("\n### Start to ready (medians)\n")
    print("| server | measured | ms |")
    print("|---|---|---:|")
    print(f"| fauxgres | spawn → ready line on stdout | {fmt(m('ready_fauxgres_ms'), 1)} |")
    print(f"| PostgreSQL | `pg_ctl start -w` wall time (pg_ctl polls every 100 ms) "
          f"| {fmt(m('ready_pg_ctl_ms'), 1)} |")
    print(f"| PostgreSQL | spawn `postgres` → postmaster.pid says ready (1 ms polling) "
          f"| {fmt(m('ready_pg_ms'), 1)} |")

    rss = m("rss_fauxgres_kib")
    ready = m("ready_fauxgres_ms")
    print("\n### Targets\n")
    print("| target | goal | measured (worst case) | met |")
    print("|---|---|---:|---|")
    print(f"| new connections/s vs PG | ≥ {TARGETS['connect']:g}× | {fmt(worst['connect'], 2)}× "
          f"| {verdict(worst['connect'], TARGETS['connect'], True)} |")
    print(f"| server CPU per SELECT 1 vs PG, 16 clients, every mode | ≤ {TARGETS['cpu16']:g}× "
          f"| {fmt(worst['cpu16'], 2)}× | {verdict(worst['cpu16'], TARGETS['cpu16'], False)} |")
    print(f"| tps vs PG, 16 clients | ≥ {TARGETS['tps16']:g}× | {fmt(worst['tps16'], 2)}× "
          f"| {verdict(worst['tps16'], TARGETS['tps16'], True)} |")
    print(f"| RSS per idle connection | ≤ {TARGETS['rss_kib']:g} KiB | {fmt(rss, 2)} KiB "
          f"| {verdict(rss, TARGETS['rss_kib'], False)} |")
    print(f"| start to ready | ≤ {TARGETS['ready_ms']:g} ms | {fmt(ready, 1)} ms "
          f"| {verdict(ready, TARGETS['ready_ms'], False)} |")
    if has_floor:
        print("\nThe floor server in the worst cells (its ratio is the best any server reaches there):\n")
        for target, idx, label in (("cpu16", 1, "CPU ratio"), ("tps16", 0, "tps ratio")):
            key = worst_cell[target]
            if key is None:
                continue
            mode, clients, transport, _ = key
            floor_ratio = ratio(med(key, "floor", idx), med(key, "pg", idx))
            print(f"- {target}: {mode}, {clients} clients, {transport}: fauxgres "
                  f"{fmt(worst[target], 2)}×, floor {fmt(floor_ratio, 2)}× ({label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
