#!/usr/bin/env python3
"""The side-by-side comparison (the README's main job, first form): the
syscall benchmark (bench/posix, one static musl binary) booted as /init
of the same initramfs on Debian's Linux kernel and on tern, in the same
QEMU, and a table of both with their ratio.

Usage: compare.py [--build DIR] [--mode icount|tcg] [--json FILE]

Mode icount (the default: TCG with -icount shift=0 -cpu max,-erms,-fsrm)
makes every figure a count of guest instructions, deterministic; plain
tcg is emulated time and says nothing about speed (labelled so). KVM is
not offered: on machines like the project's, /dev/kvm is a software
hypervisor (../shared/FACTS.md). Linux's kernel comes from
scripts/linux_kernel.sh; without it the Linux column says "not run".
Verdicts: FASTER below 0.9 of Linux's figure, OK to 1.1, SLOW above.
The comparison runner issue grows this into the full runner (runs,
spread, plots, records)."""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(build, mode, linux):
    cmd = [sys.executable, os.path.join(ROOT, "scripts/contract_run.py"),
           os.path.join(build, "linux/posix_bench"), "--no-host",
           "--tern", os.path.join(build, "kernel/kernel.elf"), "--mode", mode,
           "--pass", "^BENCH done$", "--no-compare", "--timeout", "600"]
    if linux:
        cmd += ["--linux", "required"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    results, side = {"linux": {}, "tern": {}}, None
    for line in out.stdout.splitlines():
        m = re.match(r"^---- (\w+) output ----$", line)
        if m:
            side = m.group(1)
            continue
        m = re.match(r"^BENCH (\S+) (\d+) (\d+) ([0-9.]+)$", line)
        if m and side in results and m.group(1) != "done":
            results[side][m.group(1)] = float(m.group(4))
    return out.returncode, results, out.stdout + out.stderr


def verdict(ratio):
    return "FASTER" if ratio < 0.9 else "OK" if ratio <= 1.1 else "SLOW"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--mode", choices=["icount", "tcg"], default="icount")
    ap.add_argument("--json")
    a = ap.parse_args()
    fetch = subprocess.run([os.path.join(ROOT, "scripts/linux_kernel.sh")], capture_output=True, text=True)
    have_linux = fetch.returncode == 0
    rc, res, log = run(a.build, a.mode, have_linux)
    if not res["tern"]:
        sys.stderr.write(log)
        sys.exit("compare: the benchmark did not run on tern")
    unit = "guest instructions per call (icount: deterministic)" if a.mode == "icount" \
        else "ns per call under plain TCG: emulated, not a speed result"
    print(f"mode: {a.mode}; figures are {unit}")
    print("Linux: " + (fetch.stdout.strip() if have_linux else "not available (" + fetch.stderr.strip() + ")"))
    print()
    print("| benchmark | Linux | tern | ratio | |")
    print("| --- | --- | --- | --- | --- |")
    counts = {"FASTER": 0, "OK": 0, "SLOW": 0, "not run": 0}
    names = list(res["tern"]) + [n for n in res["linux"] if n not in res["tern"]]
    for n in names:
        lx, tn = res["linux"].get(n), res["tern"].get(n)
        if lx is None or tn is None:
            counts["not run"] += 1
            print(f"| {n} | {lx if lx is not None else 'not run'} | {tn if tn is not None else 'not run'} | | not run |")
            continue
        r = tn / lx
        v = verdict(r)
        counts[v] += 1
        print(f"| {n} | {lx:,.1f} | {tn:,.1f} | {r:.2f} | {v} |")
    print()
    print("summary: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"mode": a.mode, "unit": unit, "results": res}, f, indent=1)
    sys.exit(0 if rc == 0 else 1)


if __name__ == "__main__":
    main()
