#!/usr/bin/env python3
"""tbprof.py A.txt B.txt ITERS [BUILD [ROWS]]: guest instructions per function and per
program of (B - A) / ITERS, from two tbcount.so dumps (README.md)."""
import os, sys, struct, subprocess, bisect, collections
a, b, iters = sys.argv[1], sys.argv[2], float(sys.argv[3])
build = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../build")
bins = {"kernel": build + "/kernel/kernel.elf", "libposix": build + "/user/libposix.elf",
        "proc": build + "/user/proc", "mm": build + "/user/mm", "vfs": build + "/user/vfs",
        "root": build + "/user/root", "console": build + "/user/console", "bench": build + "/linux/posix_bench"}
def loads(path):
    d = open(path, "rb").read()
    phoff, = struct.unpack_from("<Q", d, 0x20); phnum, = struct.unpack_from("<H", d, 0x38)
    segs = []
    for i in range(phnum):
        t, fl, off, va, pa, fs, ms, al = struct.unpack_from("<IIQQQQQQ", d, phoff + i * 56)
        if t == 1: segs.append((va, d[off:off + fs]))
    return segs
def syms(path):
    out = subprocess.run(["nm", "-n", "--defined-only", path], capture_output=True, text=True).stdout
    s = []
    for l in out.splitlines():
        p = l.split()
        if len(p) == 3 and p[1] in "tTwW": s.append((int(p[0], 16), p[2]))
    return s
S = {k: syms(v) for k, v in bins.items()}
L = {k: loads(v) for k, v in bins.items()}
def symof(k, va):
    s = S[k]; i = bisect.bisect_right([x[0] for x in s], va) - 1
    return s[i][1] if i >= 0 else "?"
def which(va, hexb):
    if va >= 0xffff800000000000: return "kernel"
    if 0x7fc000000000 <= va < 0x7fd000000000: return "libposix"
    bb = bytes.fromhex(hexb)
    for k in ("proc", "mm", "vfs", "root", "console", "bench"):
        for sva, data in L[k]:
            if sva <= va < sva + len(data) and data[va - sva: va - sva + len(bb)] == bb: return k
    return "user?"
NI = {}
def read(f):
    r = collections.Counter()
    for l in open(f):
        va, n, c, hb = l.split()
        r[(int(va, 16), hb)] += int(n) * int(c); NI[(int(va, 16), hb)] = int(n)
    return r
A, B = read(a), read(b)
calls = collections.Counter(); fn = collections.Counter(); mod = collections.Counter()
cache = {}
for key in set(A) | set(B):
    d = B[key] - A[key]
    if not d: continue
    va, hb = key
    if key not in cache:
        k = which(va, hb); cache[key] = (k, symof(k, va) if k in S else "?")
    k, s = cache[key]
    fn[k + ":" + s] += d; mod[k] += d
    if k in S and S[k] and any(x[0]==va and x[1]==s for x in [S[k][bisect.bisect_right([y[0] for y in S[k]], va)-1]]):
        calls[k + ":" + s] += d // NI[key]
tot = sum(mod.values())
print("total %.0f" % (tot / iters))
for k, v in mod.most_common(): print("  %-10s %9.0f" % (k, v / iters))
for k, v in fn.most_common(int(sys.argv[5]) if len(sys.argv) > 5 else 60): print("%9.0f %7.1f  %s" % (v / iters, calls[k] / iters, k))
