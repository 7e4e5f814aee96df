#!/usr/bin/env python3
"""BusyBox's own test suite (testsuite/ of the source BusyBox was built
from, its runtest) on tern and on a reference, side by side.

Usage:
  bbtest.py --busybox BIN (--src DIR | --config FILE --testsuite DIR)
            [--group G ...] [--tern KERNEL]
            [--linux auto|required|PATH] [--host] [--out DIR]
            [--markdown FILE] [--timeout S]

The image: BIN as /bin/busybox with a link for every applet (busybox
--list-full), its .config and testsuite/ under /bb (runtest's bindir is
/bb; its copy prints "BBTEST-APPLET: NAME" before each applet and runs
each test script under `timeout`), /bb/run.sh and /init
(test/busybox/), /etc/passwd and /etc/group. The same archive boots on
tern (--tern KERNEL) and on Debian's Linux (--linux: the kernel
scripts/linux_kernel.sh fetches), in the same QEMU (TCG, -cpu max, 512
MiB); --host also runs the same tree on the host in a chroot (root only).

The applets are split into groups (GROUPS below), one boot per group, so
that each ctest stays within a few minutes under TCG. A result is
"applet/test name": PASS, FAIL, SKIP (runtest's SKIPPED: an option not
built) or UNTESTED, and "-" when the test did not report (a hang, a
crash, a boot that ended early).

The reference run depends only on the binary, the test suite, the files
above, the group and the Linux kernel: it is cached under
~/.cache/tern/bbtest/ (TERN_BBTEST_CACHE) keyed by their SHA-256, so a
run boots Linux only when one of them changed (--no-cache boots anyway).

Verdict: every test that passes on the reference must pass on tern,
except those listed in test/busybox/expected_failures.txt (each line
"applet/test  cause"); a listed test that passes now is reported, so
that it is taken off the list. Exit status 0 pass, 1 fail, 77 skip (no
reference could be had). --markdown FILE writes the per-test table.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TESTDIR = os.path.join(ROOT, "test", "busybox")
EXPECTED = os.path.join(TESTDIR, "expected_failures.txt")
BOTH_FAIL = os.path.join(TESTDIR, "both_fail.txt")
SKIP = 77
BOOT_ARGS = "console=ttyS0 quiet panic=-1"

# Applets with tests (testsuite/NAME.tests or testsuite/NAME/), in groups
# of about equal time under TCG. An applet with tests in the source that
# no group names is added to the last group (so none is forgotten).
GROUPS = {
    "shell": "ash busybox echo false true test printf expr which pwd basename dirname "
             "hostname hostid id uptime taskset pidof start-stop-daemon",
    "text": "awk sed grep cut tr sort uniq head tail wc nl paste rev fold expand "
            "unexpand comm seq od hexdump xxd strings cat tee sum factor readlink realpath "
            "diff patch cmp parse cal date",
    "files": "cp mv rm rmdir mkdir ln ls find xargs touch du dd makedevs mdev mount "
             "mkfs.minix cpio tar ar unzip",
    "archive": "gzip gunzip bunzip2 bzcat uncompress unlzma uuencode rx cryptpw",
    # Each hash test runs 2,000 processes.
    "hash1": "md5sum sha1sum sha256sum",
    "hash2": "sha3sum sha512sum",
    "calc": "bc dc all_sourcecode wget",
}

RESULT = re.compile(r"^(PASS|FAIL|SKIPPED|UNTESTED): (.*?)\s*$")
APPLET = re.compile(r"^BBTEST-APPLET: (\S+)(?: ([\d.]+))?")
END = re.compile(r"^BBTEST-END (\S+) (\d+)(?: ([\d.]+))?")
LINUX_PRINTK = re.compile(r"^\[\s*\d+\.\d+\] ")


def log(msg):
    print(f"bbtest: {msg}", flush=True)


def suite_applets(ts):
    names = set()
    for e in os.listdir(ts):
        p = os.path.join(ts, e)
        if e.endswith(".tests"):
            names.add(e[:-len(".tests")])
        elif os.path.isdir(p) and not e.startswith("."):
            names.add(e)
    return names


def groups_for(testsuite):
    groups = {g: a.split() for g, a in GROUPS.items()}
    named = {a for v in groups.values() for a in v}
    groups[list(groups)[-1]] += sorted(suite_applets(testsuite) - named)
    return groups


RUNTEST_LOOP = "for applet in $applets; do\n"


def patched_runtest(text):
    """runtest, with a marker per applet and each test under timeout."""
    if RUNTEST_LOOP not in text:
        sys.exit("bbtest: runtest has no applet loop to mark (another BusyBox?)")
    # The marker carries the guest's uptime (read without a fork), for
    # balancing the groups.
    text = text.replace(RUNTEST_LOOP, RUNTEST_LOOP + '\tread -r bbtest_up bbtest_idle </proc/uptime\n'
                        '\techo "BBTEST-APPLET: $applet $bbtest_up"\n', 1)
    old_new = '\t\t\t"$tsdir/$applet.tests"\n'
    old_old = '\t\tsh -x -e "$testcase"'
    if old_new not in text or old_old not in text:
        sys.exit("bbtest: runtest does not run tests as expected (another BusyBox?)")
    text = text.replace(old_new, '\t\t\ttimeout -s KILL "$BBTEST_TIMEOUT" "$tsdir/$applet.tests"\n')
    text = text.replace(old_old, '\t\ttimeout -s KILL "$BBTEST_TIMEOUT" sh -x -e "$testcase"')
    return text


def build_tree(root, busybox, config, testsuite, groups):
    lst = subprocess.run([busybox, "--list-full"], capture_output=True, text=True, check=True)
    os.makedirs(os.path.join(root, "bin"))
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    for path in lst.stdout.split():
        dest = os.path.join(root, path)
        if os.path.basename(path) == "busybox" or os.path.lexists(dest):
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.symlink("/bin/busybox", dest)
    for d in ("proc", "dev", "sys", "tmp", "root", "etc", "bb/groups"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    with open(os.path.join(root, "etc", "passwd"), "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n")
    with open(os.path.join(root, "etc", "group"), "w") as f:
        f.write("root:x:0:\nnogroup:x:65534:\n")
    bb = os.path.join(root, "bb")
    os.symlink("/bin/busybox", os.path.join(bb, "busybox"))
    shutil.copy(config, os.path.join(bb, ".config"))
    shutil.copytree(testsuite, os.path.join(bb, "testsuite"), symlinks=True)
    rt = os.path.join(bb, "testsuite", "runtest")
    with open(rt) as f:
        text = patched_runtest(f.read())
    with open(rt, "w") as f:
        f.write(text)
    for g, applets in groups.items():
        with open(os.path.join(bb, "groups", g), "w") as f:
            f.write(" ".join(applets) + "\n")
    for name, dest in (("run.sh", "bb/run.sh"), ("init.sh", "init")):
        shutil.copy(os.path.join(TESTDIR, name), os.path.join(root, dest))
        os.chmod(os.path.join(root, dest), 0o755)


def tree_hash(root):
    h = hashlib.sha256()
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for n in sorted(files + [x for x in dirs if os.path.islink(os.path.join(d, x))]):
            p = os.path.join(d, n)
            h.update(os.path.relpath(p, root).encode() + b"\0")
            st = os.lstat(p)
            h.update(f"{st.st_mode:o}\0".encode())
            if os.path.islink(p):
                h.update(os.readlink(p).encode())
            else:
                with open(p, "rb") as f:
                    h.update(f.read())
            h.update(b"\0")
    return h.hexdigest()


def file_hash(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def applet_times(text):
    """[(applet, seconds)] from the markers' uptimes."""
    marks = []
    for line in text.replace("\r", "").split("\n"):
        m = APPLET.match(line) or END.match(line)
        if m and m.group(m.lastindex) and m.lastindex >= 2:
            marks.append((m.group(1) if line.startswith("BBTEST-APPLET") else None,
                          float(m.group(m.lastindex))))
    return [(a, t1 - t0) for (a, t0), (_, t1) in zip(marks, marks[1:]) if a]


def parse(text):
    """{applet/test: result} and the group's end status (None: no end)."""
    results, applet, end, seen = {}, "?", None, {}
    for line in text.replace("\r", "").split("\n"):
        m = APPLET.match(line)
        if m:
            applet = m.group(1)
            continue
        m = END.match(line)
        if m:
            end = int(m.group(2))
            continue
        m = RESULT.match(line)
        if m:
            res = {"SKIPPED": "SKIP"}.get(m.group(1), m.group(1))
            key = f"{applet}/{m.group(2)}"
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                key = f"{key} #{seen[key]}"
            results[key] = res
    return results, end


def run_qemu(kernel, archive, group, timeout, qemu, log_path, linux):
    words = BOOT_ARGS + (" printk.time=1" if linux else "") + f" -- {group}"
    cmd = [qemu, "-nodefaults", "-no-reboot", "-display", "none", "-serial", "stdio",
           "-m", "512", "-accel", "tcg", "-cpu", "max", "-kernel", kernel,
           "-initrd", archive, "-append", words]
    if not linux:
        cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    start = time.monotonic()
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT)
        try:
            rc = proc.wait(timeout=timeout)
            problem = None if rc == 0 else f"qemu exit status {rc}"
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            problem = f"timed out after {timeout:.0f}s"
    secs = time.monotonic() - start
    with open(log_path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    if linux:
        text = "\n".join(l for l in text.replace("\r", "").split("\n")
                         if not LINUX_PRINTK.match(l))
    return text, problem, secs


def run_host(root, group, timeout, log_path):
    if os.geteuid() != 0:
        return "", "the host run needs root (chroot)", 0
    start = time.monotonic()
    cmd = ["unshare", "--mount", "--fork", "chroot", root, "/bin/sh", "-c",
           "mount -t proc proc /proc; mount --rbind /dev /dev 2>/dev/null;"
           f" exec /bin/sh /bb/run.sh {group}"]
    with open(log_path, "wb") as out:
        try:
            rc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, timeout=timeout).returncode
            problem = None if rc == 0 else f"exit status {rc}"
        except subprocess.TimeoutExpired:
            problem = f"timed out after {timeout:.0f}s"
    with open(log_path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    return text, problem, time.monotonic() - start


def linux_kernel(spec):
    if spec not in ("auto", "required"):
        return spec if os.path.exists(spec) else None
    res = subprocess.run([os.path.join(HERE, "linux_kernel.sh")], capture_output=True, text=True)
    if res.returncode != 0:
        log(res.stderr.strip())
        return None
    return res.stdout.strip()


def load_expected(path=EXPECTED):
    exp = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            key, _, cause = line.partition("\t")
            exp[key.strip()] = cause.strip()
    return exp


def markdown(rows, sides, counts, expected, notes):
    out = ["# BusyBox's test suite: tern beside the reference", "",
           "Written by `scripts/bbtest.py --markdown` (see docs/testing.md: the",
           "`busybox` ctest label). One row per test of BusyBox 1.35's own",
           "`testsuite/` (runtest, `SKIP_KNOWN_BUGS=1 SKIP_INTERNET_TESTS=1`), the",
           "same binary and the same initramfs on both sides. `-`: no result",
           "(the test did not report).", ""]
    out += notes + [""]
    out.append("| | " + " | ".join(sides) + " |")
    out.append("|---|" + "---|" * len(sides))
    for s in ("PASS", "FAIL", "SKIP", "UNTESTED", "-"):
        out.append(f"| {s} | " + " | ".join(str(counts[x].get(s, 0)) for x in sides) + " |")
    out += ["", "## Exceptions (pass on the reference, not on tern)", ""]
    exc = [(k, r) for k, r in rows if r[sides[1]] == "PASS" and r[sides[0]] != "PASS"]
    if not exc:
        out.append("None.")
    for k, r in exc:
        out.append(f"- `{k}` ({r[sides[0]]}): {expected.get(k, 'NOT LISTED: a regression')}")
    out += ["", "## Failing on both sides (not exceptions)", ""]
    both = load_expected(BOTH_FAIL)
    fails = [(k, r) for k, r in rows if r[sides[1]] == "FAIL" and r[sides[0]] != "PASS"]
    if not fails:
        out.append("None.")
    for k, r in fails:
        out.append(f"- `{k}`: {both.get(k, 'cause not recorded (test/busybox/both_fail.txt)')}")
    out += ["", "## Every test", "", "| test | " + " | ".join(sides) + " |",
            "|---|" + "---|" * len(sides)]
    for k, r in rows:
        out.append(f"| {k.replace('|', '&#124;')} | " + " | ".join(r[s] for s in sides) + " |")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--busybox", required=True, help="the BusyBox binary (static)")
    p.add_argument("--src", help="the tree it was built in (its .config and testsuite/)")
    p.add_argument("--config", help="the .config it was built with")
    p.add_argument("--testsuite", help="the testsuite/ of its source")
    p.add_argument("--group", action="append", help="group(s) to run (default: all)")
    p.add_argument("--tern", metavar="KERNEL", help="tern's kernel ELF")
    p.add_argument("--linux", metavar="auto|required|PATH", default="required")
    p.add_argument("--host", action="store_true", help="also run on the host (chroot, root)")
    p.add_argument("--reference", choices=["linux", "host"], default="linux")
    p.add_argument("--no-cache", action="store_true", help="boot Linux even if cached")
    p.add_argument("--timeout", type=float, default=900, help="per boot, seconds")
    p.add_argument("--out", help="keep logs and results here")
    p.add_argument("--markdown", help="write the table here")
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--applets", help="run these applets (a group of their own, \"adhoc\")")
    p.add_argument("--timings", action="store_true", help="print each applet's time")
    p.add_argument("--from-results", metavar="JSON", help="no runs: the table of a run's results.json")
    p.add_argument("--list-groups", action="store_true")
    a = p.parse_args()

    if a.src:
        a.config = a.config or os.path.join(a.src, ".config")
        a.testsuite = a.testsuite or os.path.join(a.src, "testsuite")
    if not a.config or not a.testsuite:
        sys.exit("bbtest: needs --src, or --config and --testsuite")
    groups = groups_for(a.testsuite)
    if a.list_groups:
        for g, v in groups.items():
            print(g, " ".join(v))
        return 0
    if a.applets:
        groups["adhoc"] = a.applets.split()
    chosen = a.group or (["adhoc"] if a.applets else list(groups))
    for g in chosen:
        if g not in groups:
            sys.exit(f"bbtest: no group {g} (groups: {', '.join(groups)})")
    tmp = tempfile.mkdtemp(prefix="bbtest.")
    out_dir = a.out or tmp
    os.makedirs(out_dir, exist_ok=True)
    try:
        root = os.path.join(tmp, "root")
        build_tree(root, a.busybox, a.config, a.testsuite, groups)
        archive = os.path.join(tmp, "bbtest.cpio")
        subprocess.run([sys.executable, os.path.join(HERE, "mkinitramfs.py"), "-o", archive,
                        root], check=True)
        image = tree_hash(root)
        cache_dir = os.environ.get("TERN_BBTEST_CACHE",
                                   os.path.expanduser("~/.cache/tern/bbtest"))
        vmlinuz = None
        if a.reference == "linux" and not a.from_results:
            vmlinuz = linux_kernel(a.linux)
            if not vmlinuz:
                if a.linux == "auto" and os.geteuid() == 0:
                    log("no Linux kernel: the reference is the host (chroot)")
                    a.reference = "host"
                else:
                    log("SKIP: no Linux kernel for the reference")
                    return SKIP
        sides = (["tern"] if a.tern else []) + [a.reference]
        if a.host and a.reference != "host":
            sides.append("host")
        results = {s: {} for s in sides}
        problems = []
        if a.from_results:
            # Only the table again, from a run's results.json.
            with open(a.from_results) as f:
                results = json.load(f)
            sides = [x for x in ("tern", "linux", "host") if x in results]
            a.reference = sides[1] if len(sides) > 1 else sides[0]
            a.tern = a.tern or ("tern" in results)
        for g in ([] if a.from_results else chosen):
            for side in sides:
                logf = os.path.join(out_dir, f"{side}.{g}.log")
                key = None
                if side == "linux":
                    key = hashlib.sha256(f"{image} {file_hash(vmlinuz)} {g}".encode()).hexdigest()
                    cached = os.path.join(cache_dir, f"{key}.json")
                    if os.path.exists(cached) and not a.no_cache:
                        with open(cached) as f:
                            res = json.load(f)
                        results[side].update(res)
                        log(f"{side} {g}: {len(res)} results from the cache ({key[:12]})")
                        continue
                log(f"{side} {g}: running")
                if side == "host":
                    text, problem, secs = run_host(root, g, a.timeout, logf)
                else:
                    kernel = vmlinuz if side == "linux" else a.tern
                    text, problem, secs = run_qemu(kernel, archive, g, a.timeout, a.qemu, logf,
                                                   side == "linux")
                res, end = parse(text)
                if a.timings:
                    for ap, secs_ in applet_times(text):
                        log(f"{side} {g}: {ap} {secs_:.1f}s")
                if end is None and not problem:
                    problem = "the run did not reach its end (BBTEST-END)"
                log(f"{side} {g}: {len(res)} results in {secs:.0f}s"
                    + (f"; {problem}" if problem else "") + f" (log {logf})")
                if problem:
                    problems.append(f"{side} {g}: {problem}")
                results[side].update(res)
                if key and not problem:
                    os.makedirs(cache_dir, exist_ok=True)
                    with open(os.path.join(cache_dir, f"{key}.json.tmp"), "w") as f:
                        json.dump(res, f, indent=0, sort_keys=True)
                    os.replace(os.path.join(cache_dir, f"{key}.json.tmp"),
                               os.path.join(cache_dir, f"{key}.json"))
        keys = []
        for s in sides:
            for k in results[s]:
                if k not in keys:
                    keys.append(k)
        rows = [(k, {s: results[s].get(k, "-") for s in sides}) for k in keys]
        width = max([len(k) for k in keys] + [4])
        print(f"{'test':<{width}}  " + "  ".join(f"{s:<8}" for s in sides))
        for k, r in rows:
            print(f"{k:<{width}}  " + "  ".join(f"{r[s]:<8}" for s in sides))
        counts = {s: {} for s in sides}
        for _, r in rows:
            for s in sides:
                counts[s][r[s]] = counts[s].get(r[s], 0) + 1
        for s in sides:
            log(f"{s}: " + ", ".join(f"{n} {v}" for v, n in sorted(counts[s].items())))
        expected = load_expected()
        status = 0
        if a.tern:
            ref = a.reference
            for k, r in rows:
                if r[ref] == "PASS" and r["tern"] != "PASS":
                    if k in expected:
                        log(f"expected failure: {k} ({r['tern']}): {expected[k]}")
                    else:
                        log(f"REGRESSION: {k}: {r['tern']} on tern, PASS on {ref}")
                        status = 1
                elif k in expected and r["tern"] == "PASS":
                    log(f"listed as failing but passes now: {k}: take it off {EXPECTED}")
                    status = 1
        for pr in problems:
            log(f"problem: {pr}")
        if a.markdown:
            notes = [f"Groups run: {', '.join(chosen)}. Reference: {a.reference}."]
            with open(a.markdown, "w") as f:
                f.write(markdown(rows, sides, counts, expected, notes))
        with open(os.path.join(out_dir, "results.json"), "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
        log("PASS" if status == 0 else "FAIL")
        return status
    finally:
        if not a.out:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            shutil.rmtree(os.path.join(tmp), ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
