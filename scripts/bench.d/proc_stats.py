#!/usr/bin/env python3
"""/proc readings for scripts/bench.

  proc_stats.py cpu PID            "total kernel": utime+stime+cutime+cstime of PID, and
                                   its kernel part stime+cstime, in clock ticks
  proc_stats.py cpu-tree PID       the same for PID plus every live child (ppid == PID);
                                   exited, reaped children are in PID's cutime/cstime
  proc_stats.py mem PID            "rss_kb pss_kb private_kb" from smaps_rollup
  proc_stats.py children-mem PID MATCH
                                   "count avg_rss_kb avg_pss_kb avg_private_kb" over the
                                   children of PID whose command line contains MATCH
  proc_stats.py ticks              clock ticks per second
"""
import os
import sys


def stat_fields(pid: int) -> list:
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    # The command name may contain spaces and parentheses: split after the last ')'.
    rest = text[text.rindex(")") + 2:].split()
    return rest  # rest[0] is field 3 (state); field n is rest[n - 3]


def cpu_ticks(pid: int) -> tuple:
    """(total, kernel) ticks of PID and its reaped children."""
    f = stat_fields(pid)
    user = int(f[14 - 3]) + int(f[16 - 3])
    kernel = int(f[15 - 3]) + int(f[17 - 3])
    return user + kernel, kernel


def children(pid: int) -> list:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if int(stat_fields(int(entry))[4 - 3]) == pid:
                out.append(int(entry))
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            pass
    return out


def mem(pid: int) -> tuple:
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                values[parts[0][:-1]] = int(parts[1])
    private = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return values.get("Rss", 0), values.get("Pss", 0), private


def cmdline(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read().replace(b"\0", b" ").decode(errors="replace")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    what = sys.argv[1]
    if what == "ticks":
        print(os.sysconf("SC_CLK_TCK"))
    elif what == "cpu":
        print("%d %d" % cpu_ticks(int(sys.argv[2])))
    elif what == "cpu-tree":
        pid = int(sys.argv[2])
        total, kernel = cpu_ticks(pid)
        for child in children(pid):
            try:
                t, k = cpu_ticks(child)
                total, kernel = total + t, kernel + k
            except (FileNotFoundError, ProcessLookupError):
                pass  # exited between listing and reading: counted once reaped
        print(total, kernel)
    elif what == "mem":
        print("%d %d %d" % mem(int(sys.argv[2])))
    elif what == "children-mem":
        pid, match = int(sys.argv[2]), sys.argv[3]
        rows = []
        for child in children(pid):
            try:
                if match in cmdline(child):
                    rows.append(mem(child))
            except (FileNotFoundError, ProcessLookupError):
                pass
        n = len(rows)
        if n == 0:
            print("0 0 0 0")
        else:
            print("%d %.0f %.0f %.0f" % (n, sum(r[0] for r in rows) / n,
                                         sum(r[1] for r in rows) / n, sum(r[2] for r in rows) / n))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
