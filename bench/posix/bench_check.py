#!/usr/bin/env python3
"""The benchmark program's own test (ctest linux.posix_bench_quick): run
`posix_bench --quick` on the host and as /init on tern (plain TCG: the
figures are not looked at), and check that

  - each run reaches `BENCH done` and pid 1 exits with 0 on tern (a crash
    or a hang fails: qemu_run.py's status and time limit);
  - `--list` and each run's output hold exactly the benchmarks in EXPECTED,
    each once, in that order: a figure (`BENCH name iters total per`,
    iters > 0) or `SKIP name reason` with a reason; so a benchmark that
    disappears, appears twice or is renamed fails;
  - on tern, every benchmark not in MAY_SKIP_ON_TERN has a figure, and
    the system log has no "is not implemented: ENOSYS" line except for a
    syscall of a benchmark that printed SKIP (SYSCALLS below). On the
    host, every micro-benchmark has a figure.

Usage: bench_check.py BINARY KERNEL [--timeout S]
Exit status 0 pass, 1 fail.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Every benchmark, in the program's order: issue 9's 29 micro-benchmarks,
# the extras and the 6 workloads.
MICRO = ["getpid", "gettid", "clock_gettime", "read_null", "write_null", "pread", "writev",
         "pipe", "open_close", "stat", "fstat", "lseek", "fcntl_getfl", "dup_close", "getcwd",
         "access", "readlink", "mmap_munmap", "mmap_fault", "mprotect", "brk", "uname",
         "sigaction", "sigprocmask", "sched_yield", "getpriority", "read_zero",
         "signal_delivery", "fork_exit"]
EXTRA = ["clock_gettime_sys", "mmap_fault_nothp", "mmap_fault_cycle", "kill0", "fork_exit_sys"]
WORKLOADS = ["exec_true", "shell_noop", "pipe_grep", "sed_pipeline", "sort_uniq", "tar_extract"]
EXPECTED = ["getpid", "gettid", "clock_gettime", "clock_gettime_sys", "read_null",
            "write_null", "pread", "writev", "pipe", "open_close", "stat", "fstat", "lseek",
            "fcntl_getfl", "dup_close", "getcwd", "access", "readlink", "mmap_munmap",
            "mmap_fault", "mmap_fault_nothp", "mmap_fault_cycle", "mprotect", "brk", "uname",
            "sigaction", "sigprocmask", "kill0", "sched_yield", "getpriority", "read_zero",
            "signal_delivery", "fork_exit", "fork_exit_sys"] + WORKLOADS
assert sorted(EXPECTED) == sorted(MICRO + EXTRA + WORKLOADS) and len(MICRO) == 29

# What may skip on tern: the workloads, which need BusyBox (this test's
# initramfs leaves it out). Every micro-benchmark and extra must run (the
# last to join were fork_exit, fork_exit_sys and signal_delivery).
MAY_SKIP_ON_TERN = set(WORKLOADS)

# The syscalls each benchmark makes in its set-up, loop and tear-down
# (as libposix names them in its ENOSYS line).
SYSCALLS = {
    "getpid": {"getpid"}, "gettid": {"gettid"}, "clock_gettime": set(),
    "clock_gettime_sys": set(), "read_null": {"read"}, "write_null": {"write"},
    "pread": {"pread64"}, "writev": {"writev"}, "pipe": {"pipe", "pipe2", "write", "read", "close"},
    "open_close": {"open", "openat", "close"}, "stat": {"stat", "newfstatat", "statx"},
    "fstat": {"fstat", "newfstatat", "statx"}, "lseek": {"lseek"}, "fcntl_getfl": {"fcntl"},
    "dup_close": {"dup", "close"}, "getcwd": {"getcwd", "chdir"},
    "access": {"access", "faccessat", "faccessat2"},
    "readlink": {"readlink", "readlinkat", "symlink", "symlinkat", "unlink", "unlinkat"},
    "mmap_munmap": {"mmap", "munmap"}, "mmap_fault": {"mmap", "munmap"},
    "mmap_fault_nothp": {"mmap", "madvise", "munmap"}, "mmap_fault_cycle": {"mmap", "munmap"},
    "mprotect": {"mmap", "mprotect", "munmap"},
    "brk": {"brk"}, "uname": {"uname"}, "sigaction": {"rt_sigaction"},
    "sigprocmask": {"rt_sigprocmask"}, "kill0": {"kill"}, "sched_yield": {"sched_yield"},
    "getpriority": {"getpriority"}, "read_zero": {"open", "openat", "read", "close"},
    "signal_delivery": {"rt_sigaction", "kill", "rt_sigreturn", "rt_sigprocmask"},
}
FORKING = {"fork", "vfork", "clone", "clone3", "wait4", "waitid", "rt_sigprocmask", "gettid",
           "set_tid_address", "exit", "exit_group", "execve", "execveat"}
for n in ["fork_exit", "fork_exit_sys"] + WORKLOADS:
    SYSCALLS[n] = set(FORKING) | {"access", "faccessat", "open", "openat", "write", "close",
                                  "mkdir", "mkdirat", "unlink", "unlinkat"}

BENCH = re.compile(r"^BENCH (\S+) (\d+) (\d+) ([0-9.]+)$")
SKIP = re.compile(r"^SKIP (\S+) (\S.*)$")
ENOSYS = re.compile(r"posix: (\S+) \((\d+)\) is not implemented: ENOSYS"
                    r"|posix: unknown (syscall) (\d+): ENOSYS")


def parse(where, out, errors):
    """{name: ("figure", per) | ("skip", reason)} in order; errors appended."""
    got = {}
    lines = out.splitlines()
    if "BENCH done" not in lines:
        errors.append(f"{where}: no `BENCH done` line (the program stopped or crashed)")
    for line in lines:
        m = BENCH.match(line)
        s = SKIP.match(line)
        if m:
            name, value = m.group(1), ("figure", float(m.group(4)))
            if int(m.group(2)) <= 0:
                errors.append(f"{where}: {name} ran no iterations: {line}")
        elif s:
            name, value = s.group(1), ("skip", s.group(2))
        elif line.startswith(("BENCH ", "SKIP ")) and line not in ("BENCH done",) \
                and not line.startswith("BENCH start"):
            errors.append(f"{where}: a line of neither form: {line!r}")
            continue
        else:
            continue
        if name in got:
            errors.append(f"{where}: {name} printed twice")
        got[name] = value
    order = [n for n in got]
    missing = [n for n in EXPECTED if n not in got]
    extra = [n for n in got if n not in EXPECTED]
    if missing:
        errors.append(f"{where}: no line for " + ", ".join(missing))
    if extra:
        errors.append(f"{where}: unexpected benchmarks " + ", ".join(extra))
    if not missing and not extra and order != EXPECTED:
        errors.append(f"{where}: benchmarks out of order: {order}")
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("kernel")
    ap.add_argument("--timeout", type=float, default=90)
    a = ap.parse_args()
    a.binary, a.kernel = os.path.abspath(a.binary), os.path.abspath(a.kernel)
    errors = []

    lst = subprocess.run([a.binary, "--list"], capture_output=True, text=True, timeout=30)
    names = [l.split()[0] for l in lst.stdout.splitlines() if l.strip()]
    if lst.returncode != 0 or names != EXPECTED:
        errors.append(f"--list (status {lst.returncode}) gives {names}, expected {EXPECTED}")

    with tempfile.TemporaryDirectory(prefix="bench_check.") as tmp:
        # The host: natively, in a folder of its own.
        work = os.path.join(tmp, "host")
        os.mkdir(work)
        try:
            host = subprocess.run([a.binary, "--quick"], cwd=work, capture_output=True, text=True,
                                  timeout=a.timeout)
            if host.returncode != 0:
                errors.append(f"host: exit status {host.returncode}")
            got = parse("host", host.stdout, errors)
            for n in MICRO:
                if got.get(n, ("figure",))[0] == "skip":
                    errors.append(f"host: {n} skipped: {got[n][1]}")
        except subprocess.TimeoutExpired:
            errors.append(f"host: timed out after {a.timeout}s")

        # tern: as /init, the system log at warning level (loglevel=5
        # shows libposix's ENOSYS lines, which `quiet` would hide).
        cpio = os.path.join(tmp, "bench.cpio")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/mkinitramfs.py"), "-o", cpio,
                        "--file", f"/init={a.binary}"], check=True)
        out_file, log_file = os.path.join(tmp, "tern.out"), os.path.join(tmp, "tern.log")
        res = subprocess.run([sys.executable, os.path.join(ROOT, "scripts/qemu_run.py"),
                              "--kernel", a.kernel, "--initrd", cpio, "--append",
                              "console=ttyS0 quiet loglevel=5 panic=-1 -- --quick",
                              "--timeout", str(a.timeout), "--program-output", out_file,
                              "--log", log_file, "--symbols", a.kernel, "--quiet"],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True)
        out = open(out_file).read() if os.path.exists(out_file) else ""
        log = open(log_file).read() if os.path.exists(log_file) else ""
        if res.returncode != 0:
            errors.append(f"tern: qemu_run.py status {res.returncode}: "
                          + "; ".join(l for l in res.stdout.splitlines() if l.startswith("FAIL")))
        got = parse("tern", out, errors)
        for n in EXPECTED:
            if n in got and got[n][0] == "skip" and n not in MAY_SKIP_ON_TERN:
                errors.append(f"tern: {n} skipped ({got[n][1]}); tern has its calls")
        skipped = {n for n, v in got.items() if v[0] == "skip"}
        allowed = set()
        for n in skipped:
            allowed |= SYSCALLS.get(n, set())
        for m in ENOSYS.finditer(log):
            name, nr = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if name not in allowed:
                users = [n for n in EXPECTED if name in SYSCALLS.get(n, set())]
                errors.append(f"tern: ENOSYS logged for {name} ({nr}), used by "
                              f"{', '.join(users) or 'no benchmark that skipped'}")
        figures = sum(1 for v in got.values() if v[0] == "figure")
        print(f"bench_check: tern: {figures} figures, {len(skipped)} SKIP "
              f"({', '.join(sorted(skipped))})")
        if errors:
            print("---- tern console ----")
            print(log.rstrip())
            print("----")

    for e in errors:
        print(f"bench_check: FAIL: {e}")
    print("bench_check: " + ("FAIL" if errors else "PASS"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
