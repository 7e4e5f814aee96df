#!/usr/bin/env python3
"""The side-by-side comparison (the README's main job): the project's
benchmark program (bench/posix, one static musl binary; bench/README.md)
booted as /init of the same initramfs on Debian's Linux kernel and on
tern, in the same QEMU, and a table of both with their ratio.

Usage: compare.py [--build DIR] [--mode icount|tcg] [--json FILE]
                  [--quick] [--only a,b] [--no-busybox] [--timeout S]

Mode icount (the default: TCG with -icount shift=0 -cpu max,-erms,-fsrm)
makes every figure a count of guest instructions, deterministic; plain
tcg is emulated time and says nothing about speed (labelled so). KVM is
not offered: on machines like the project's, /dev/kvm is a software
hypervisor (../shared/FACTS.md). Linux's kernel comes from
scripts/linux_kernel.sh; without it the Linux column says "not run".

Every benchmark the program lists (`posix_bench --list`, run on the host)
has a row, in its order: a figure on each side, or "not run" with the
program's SKIP reason (or "missing" when the program stopped before it).
The initramfs also holds Debian's static BusyBox (scripts/busybox.sh) as
/bin/busybox with links for the applets the workloads run (sh, true,
grep, sed, sort, uniq, tar, rm), unless --no-busybox or it cannot be had.

Verdicts: FASTER below 0.9 of Linux's figure, OK to 1.1, SLOW above.
Goals (issue 9, micro-benchmarks only): at most 1.0x Linux, fork_exit
0.8x, mmap_fault 0.5x; "met" or "MISSED" per row. The summary counts
both. Exit status 0 when both sides ran to `BENCH done`."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOALS = {"fork_exit": 0.8, "mmap_fault": 0.5}
APPLETS = ["sh", "true", "grep", "sed", "sort", "uniq", "tar", "rm"]


def listed(binary):
    """[(name, kind)] from the program itself, or None."""
    try:
        out = subprocess.run([binary, "--list"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    if out.returncode != 0:
        return None
    return [tuple(l.split()[:2]) for l in out.stdout.splitlines() if l.strip()]


def busybox_fixtures(tmp):
    res = subprocess.run([os.path.join(ROOT, "scripts/busybox.sh")], capture_output=True, text=True)
    if res.returncode != 0:
        return None, res.stderr.strip() or "scripts/busybox.sh failed"
    root = os.path.join(tmp, "fixtures")
    os.makedirs(os.path.join(root, "bin"))
    shutil.copy(res.stdout.strip(), os.path.join(root, "bin/busybox"))
    for a in APPLETS:
        os.symlink("busybox", os.path.join(root, "bin", a))
    return root, res.stdout.strip()


def run(build, mode, linux, fixtures, words, timeout):
    cmd = [sys.executable, os.path.join(ROOT, "scripts/contract_run.py"),
           os.path.join(build, "linux/posix_bench"), "--no-host",
           "--tern", os.path.join(build, "kernel/kernel.elf"), "--mode", mode,
           "--pass", "^BENCH done$", "--no-compare", "--timeout", str(timeout)]
    if linux:
        cmd += ["--linux", "required"]
    if fixtures:
        cmd += ["--fixtures", fixtures]
    if words:
        cmd += ["--append", "-- " + " ".join(words)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    results = {"linux": {}, "tern": {}}
    skips = {"linux": {}, "tern": {}}
    done = {"linux": False, "tern": False}
    side = None
    for line in out.stdout.splitlines():
        m = re.match(r"^---- (\w+) output ----$", line)
        if m:
            side = m.group(1)
            continue
        if side not in results:
            continue
        if line == "BENCH done":
            done[side] = True
        m = re.match(r"^BENCH (\S+) (\d+) (\d+) ([0-9.]+)$", line)
        if m:
            results[side][m.group(1)] = float(m.group(4))
        m = re.match(r"^SKIP (\S+) (.*)$", line)
        if m:
            skips[side][m.group(1)] = m.group(2)
    return out.returncode, results, skips, done, out.stdout + out.stderr


def verdict(ratio):
    return "FASTER" if ratio < 0.9 else "OK" if ratio <= 1.1 else "SLOW"


def cell(side, n, res, skips, done, ran):
    if n in res[side]:
        return f"{res[side][n]:,.1f}"
    if not ran:
        return "not run"
    if n in skips[side]:
        return "not run"
    return "missing" if not done[side] else "not run"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--mode", choices=["icount", "tcg"], default="icount")
    ap.add_argument("--json")
    ap.add_argument("--quick", action="store_true", help="the program's --quick (a smoke run)")
    ap.add_argument("--only", help="comma-separated benchmark names")
    ap.add_argument("--no-busybox", action="store_true", help="leave BusyBox out of the initramfs")
    ap.add_argument("--timeout", type=float, default=300,
                    help="per guest run, in seconds (a full run takes ~20 s a side)")
    a = ap.parse_args()
    binary = os.path.join(a.build, "linux/posix_bench")
    names = listed(binary)
    if names is None:
        sys.exit(f"compare: {binary} --list did not run (build it first)")
    words = (["--quick"] if a.quick else []) + (["--only", a.only] if a.only else [])
    if a.only:
        want = set(a.only.split(","))
        unknown = want - {n for n, _ in names}
        if unknown:
            sys.exit("compare: no benchmark named " + ", ".join(sorted(unknown)))
        names = [(n, k) for n, k in names if n in want]
    fetch = subprocess.run([os.path.join(ROOT, "scripts/linux_kernel.sh")], capture_output=True, text=True)
    have_linux = fetch.returncode == 0
    tmp = tempfile.mkdtemp(prefix="compare.")
    try:
        fixtures, bb = (None, "left out (--no-busybox)") if a.no_busybox else busybox_fixtures(tmp)
        rc, res, skips, done, log = run(a.build, a.mode, have_linux, fixtures, words, a.timeout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not res["tern"] and not skips["tern"]:
        sys.stderr.write(log)
        sys.exit("compare: the benchmark did not run on tern")
    unit = "guest instructions per operation (icount: deterministic)" if a.mode == "icount" \
        else "ns per operation under plain TCG: emulated, not a speed result"
    print(f"mode: {a.mode}; figures are {unit}")
    print("Linux: " + (fetch.stdout.strip() if have_linux else "not available (" + fetch.stderr.strip() + ")"))
    print("BusyBox: " + (bb if fixtures else f"none ({bb})"))
    print("program: posix_bench " + " ".join(words))
    print()
    print("| benchmark | kind | Linux | tern | ratio | verdict | goal | note |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    counts = {"FASTER": 0, "OK": 0, "SLOW": 0, "not run": 0}
    goals = {"met": 0, "MISSED": 0, "not run": 0}
    seen = [n for n, _ in names]
    # Names a side printed that --list does not know (none, unless the
    # binary changed under us): still shown, never dropped.
    for side in ("linux", "tern"):
        for n in list(res[side]) + list(skips[side]):
            if n not in seen:
                seen.append(n)
                names.append((n, "?"))
    for n, kind in names:
        lx, tn = res["linux"].get(n), res["tern"].get(n)
        notes = [f"{s}: {skips[s][n]}" for s in ("linux", "tern") if n in skips[s]]
        for s in ("linux", "tern"):
            if n not in res[s] and n not in skips[s] and (s == "tern" or have_linux):
                notes.append(f"{s}: no line (the program stopped before it)")
        goal = GOALS.get(n, 1.0) if kind == "micro" else None
        if lx is None or tn is None:
            counts["not run"] += 1
            if goal is not None:
                goals["not run"] += 1
            print(f"| {n} | {kind} | {cell('linux', n, res, skips, done, have_linux)} | "
                  f"{cell('tern', n, res, skips, done, True)} | | not run | "
                  f"{'' if goal is None else f'<= {goal:.1f}x'} | {'; '.join(notes)} |")
            continue
        r = tn / lx
        v = verdict(r)
        counts[v] += 1
        g = ""
        if goal is not None:
            g = ("met" if r <= goal else "MISSED") + f" (<= {goal:.1f}x)"
            goals["met" if r <= goal else "MISSED"] += 1
        print(f"| {n} | {kind} | {lx:,.1f} | {tn:,.1f} | {r:.2f} | {v} | {g} | {'; '.join(notes)} |")
    print()
    print(f"summary: {len(names)} benchmarks: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    print("goals (micro-benchmarks): " + ", ".join(f"{v} {k}" for k, v in goals.items()))
    print("skipped: " + ", ".join(f"{len(skips[s])} on {s}" for s in ("linux", "tern")))
    for side in ("linux", "tern"):
        if (side == "tern" or have_linux) and not done[side]:
            print(f"{side}: the program did not reach `BENCH done`")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"mode": a.mode, "unit": unit, "program": words, "results": res,
                       "skips": skips, "done": done, "kinds": dict(names)}, f, indent=1)
    sys.exit(0 if rc == 0 else 1)


if __name__ == "__main__":
    main()
