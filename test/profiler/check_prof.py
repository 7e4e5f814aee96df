#!/usr/bin/env python3
"""The profiler's boot test (test/profiler/CMakeLists.txt).

--on: boots prof_calls as /init with tern.profile=1 and checks the PROF
lines (docs/measurements.md, "The profiler"): every one parses; the
counts are the calls prof_calls made (1,000 getppid in pid 1; in its
fork child, whose copy of the parent's rows must not be printed again,
exactly 7 printed at its execve and 3 at the new image's exit; 250
reads, 350 writes, two forks, two wait4; the second child's SIGSEGV
handler runs, which needs proc's answer to the fault unstamped); exec's
phases add up; for every
row min <= avg <= max, count*min <= total <= count*max and
entry + libposix + ipc + server == total; the kernel's entry stamp is
there (entry > 0); calls libposix answers alone (getppid, /dev/zero,
/dev/null) have no IPC, the pipe's calls do, with server time stamped
by vfs; a meta line and the end line.
--off: the same boot without the flag prints no PROF line at all.

parse() and aggregate() are what a runner needs: take the text after the
first "PROF " of a line; rows of one kind and name add up.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

PROF = "PROF "


def parse(text):
    """The PROF objects in a console log, in order."""
    out = []
    for line in text.splitlines():
        i = line.find(PROF)
        if i < 0:
            continue
        out.append(json.loads(line[i + len(PROF):].strip()))
    return out


def aggregate(rows, kind="syscall"):
    """name -> summed row (count, total and the split add up; min, max)."""
    agg = {}
    for r in rows:
        if r.get("kind") != kind:
            continue
        a = agg.setdefault(r["name"], {"count": 0, "total": 0, "min": None, "max": 0,
                                       "entry": 0, "libposix": 0, "ipc": 0, "server": 0})
        for k in ("count", "total", "entry", "libposix", "ipc", "server"):
            a[k] += r.get(k, 0)
        a["min"] = r["min"] if a["min"] is None else min(a["min"], r["min"])
        a["max"] = max(a["max"], r["max"])
    for a in agg.values():
        a["avg"] = a["total"] // a["count"] if a["count"] else 0
    return agg


class Check:
    def __init__(self):
        self.failed = 0

    def __call__(self, ok, what):
        print(("ok    " if ok else "FAIL  ") + what)
        if not ok:
            self.failed += 1


def check_row(check, src, r):
    name = "%s %s" % (src, r["name"])
    check(r["min"] <= r["avg"] <= r["max"], "%s: min <= avg <= max (%d %d %d)"
          % (name, r["min"], r["avg"], r["max"]))
    check(r["count"] * r["min"] <= r["total"] <= r["count"] * r["max"],
          "%s: count*min <= total <= count*max" % name)
    split = r["entry"] + r["libposix"] + r["ipc"] + r["server"]
    check(split == r["total"], "%s: entry+libposix+ipc+server == total (%d, %d)"
          % (name, split, r["total"]))
    check(r["avg"] == r["total"] // r["count"], "%s: avg == total / count" % name)


def boot(args, append):
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "console.log")
        cmd = [sys.executable, args.qemu_run, "--kernel", args.kernel, "--initrd",
               args.initrd, "--append", append, "--timeout", "90", "--quiet",
               "--log", log, "--expect", "^prof_calls: done", "--reject", "FAIL",
               "--reject", "PANIC"]
        rc = subprocess.run(cmd).returncode
        with open(log, errors="replace") as f:
            return rc, f.read()


def main():
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--on", action="store_true")
    g.add_argument("--off", action="store_true")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--qemu-run", required=True)
    args = ap.parse_args()
    check = Check()

    rc, text = boot(args, "console=ttyS0" + (" tern.profile=1" if args.on else ""))
    check(rc == 0, "the boot passed (qemu_run status %d)" % rc)
    if args.off:
        n = sum(1 for line in text.splitlines() if PROF in line)
        check(n == 0, "no PROF line without tern.profile=1 (%d)" % n)
        return 1 if check.failed else 0

    try:
        rows = parse(text)
    except ValueError as e:
        check(False, "every PROF line is JSON (%s)" % e)
        return 1
    check(len(rows) > 0, "PROF lines (%d)" % len(rows))
    sys_rows = [r for r in rows if r.get("kind") == "syscall"]
    for r in sys_rows:
        check_row(check, r["src"], r)
    by_src = {}
    for r in sys_rows:
        by_src.setdefault(r["src"], {}).setdefault(r["name"], r)
    parent = by_src.get("pid 1", {})
    children = [s for s in by_src if s != "pid 1"]
    # The exec'ed child (the SIGSEGV child dies in its handler's
    # exit_group and prints its rows too: the one with rt_sigaction).
    segv = [s for s in children if "rt_sigaction" in by_src[s]]
    children = [s for s in children if s not in segv]
    check(len(segv) == 1, "the SIGSEGV child printed its rows: %s" % segv)
    check(len(children) == 1, "one other process printed rows: %s" % children)
    child = by_src[children[0]] if len(children) == 1 else {}

    def count(rows_of, name):
        return rows_of.get(name, {}).get("count", 0)

    check(count(parent, "getppid") == 1000, "pid 1: 1000 getppid (%d)" % count(parent, "getppid"))
    # The child's rows come in two groups: 7 getppid and its execve's
    # image printed before the exec, then the new image's 3 at its exit.
    child_src = children[0] if len(children) == 1 else None
    child_getppid = [r["count"] for r in sys_rows
                     if r["src"] == child_src and r["name"] == "getppid"]
    check(child_getppid == [7, 3], "the child: 7 getppid before its exec, 3 after, "
          "none of its parent's (%s)" % child_getppid)
    parents_only = {"read", "write", "open", "pipe", "fork", "wait4", "writev"}
    check(not parents_only & set(child), "the child has none of its parent's rows: %s"
          % sorted(child))
    check(count(parent, "read") == 250, "pid 1: 250 read (%d)" % count(parent, "read"))
    check(count(parent, "write") == 350, "pid 1: 350 write (%d)" % count(parent, "write"))
    check(count(parent, "fork") == 2, "pid 1: 2 fork (%d)" % count(parent, "fork"))
    check(count(parent, "wait4") == 2, "pid 1: 2 wait4 (%d)" % count(parent, "wait4"))
    agg = aggregate(rows)
    check(agg.get("getppid", {}).get("count") == 1010, "aggregated: 1010 getppid")
    # exec's phases (servers/proc/exec.c): the parts add up to the whole.
    phases = aggregate(rows, "phase")
    total = phases.get("exec.total", {})
    check(total.get("count", 0) >= 1, "exec.total phase (%s)" % total.get("count"))
    parts = sum(a["total"] for n, a in phases.items() if n.startswith("exec.")
                and n not in ("exec.total", "exec.posix_start", "exec.first_run"))
    # The last lap and the end are two rdtsc apart: a few instructions
    # under icount, more under plain TCG (time), never a whole part.
    check(parts <= total.get("total", 0) <= parts * 1.01 + 1000 * total.get("count", 0),
          "exec's parts (%d) add up to exec.total (%d)" % (parts, total.get("total", 0)))
    for n, a in phases.items():
        check(a["min"] <= a["avg"] <= a["max"], "phase %s: min <= avg <= max" % n)
    # libposix's start of a new image: /init's and the child's exec.
    for n in ("exec.posix_start", "exec.first_run"):
        c = phases.get(n, {}).get("count", 0)
        check(c == 2, "%s: one per exec'd image (%d)" % (n, c))
    for r in sys_rows:
        check(r["entry"] > 0, "%s %s: the kernel's entry stamp (entry %d)"
              % (r["src"], r["name"], r["entry"]))
    g = parent.get("getppid", {})
    check(g.get("ipc", 1) == 0 and g.get("server", 1) == 0,
          "getppid is libposix's alone: no ipc, no server time")
    for name in ("read", "write"):
        r = parent.get(name, {})
        check(r.get("ipc", 0) > 0 and r.get("server", 0) > 0,
              "pid 1 %s: the pipe's calls have ipc and server time" % name)
    metas = [r for r in rows if r.get("kind") == "meta"]
    check(metas and all(m.get("tsc_hz", 0) > 0 for m in metas), "meta lines with tsc_hz")
    check(any(r.get("kind") == "end" for r in rows), "the end line")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
