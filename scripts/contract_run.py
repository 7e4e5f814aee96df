#!/usr/bin/env python3
"""Run one static Linux program on the host and as /init of an initramfs
in QEMU (tern, and optionally Debian's Linux kernel), and pass only when
every run printed the pass line and all their outputs are identical.

Usage:
  contract_run.py BINARY [--fixtures DIR] [--tern KERNEL] [--linux auto|required|PATH]
                  [--no-host] [--append WORDS] [--pass REGEX]
                  [--tern-expect-fail PART] [--tern-timeout SECONDS]

Builds nothing. The initramfs holds BINARY as /init plus the files of
--fixtures DIR (packed by scripts/mkinitramfs.py, everything root's).

The host run happens in a fresh temporary folder holding the same files
(BINARY as ./init), so a program that uses relative paths sees the same
tree on the host as at / in the guest. It gets what Linux gives pid 1:
argv[0] "/init", the environment HOME=/ TERM=linux, umask 022, stdin
/dev/null (a console in the guest), stdout and stderr together; the
--append words after `--`, and the words that are not Linux's own
(no `=`: argv; with `=`: the environment), as Linux passes them to init.

The tern run boots KERNEL with scripts/qemu_run.py (or, with --iso, a GRUB
ISO that scripts/mkiso.sh makes of KERNEL and the archive; GRUB's screen
before the kernel is dropped) (--program-output:
tern's own lines, which start with "[tern] ", are dropped) and expects
the success status (pid 1 exited with 0). The Linux run (--linux) boots
the kernel that scripts/linux_kernel.sh fetches from Debian, or PATH; its
own messages (printk lines, "[    1.234567] ...", including the "Kernel
panic - not syncing: Attempted to kill init! exitcode=0x..." report when
pid 1 exits) are dropped, and the exit code in that report must be 0.
`--linux auto` skips the Linux run when no kernel can be had (saying so);
`--linux required` makes the whole run SKIP (exit status 77) then.

`--tern-expect-fail PART` marks a test tern does not pass yet (it waits
for PART: TERN_CONTRACT_TERN_FAILING in test/contract/CMakeLists.txt):
the host and Linux runs must still pass and agree; tern is run all the
same (with --tern-timeout, 30 s by default, since a missing feature may
hang), its output and differences shown, and its failure makes the whole
run SKIP (77) with the reason. A tern run that passes fails the test, so
that the name is taken off the list.

Exit status: 0 pass, 1 fail, 77 skip.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77
TERN_PREFIX = "[tern] "
# Linux's printk lines on the console (CONFIG_PRINTK_TIME, which Debian's
# kernels have, and printk.time=1 on the command line to be sure).
LINUX_PRINTK = re.compile(r"^\[\s*\d+\.\d+\] ")
LINUX_INIT_EXIT = re.compile(r"Attempted to kill init! exitcode=0x([0-9a-f]+)")
# Command-line words the kernel consumes (Linux and tern alike): not
# passed to init. Linux also keeps every word with a `.` before its `=`.
KERNEL_WORDS = {"console", "quiet", "panic", "rdinit", "init", "loglevel",
                "mitigations", "debug", "printk.time", "noapic", "nokaslr"}
BOOT_ARGS = "console=ttyS0 quiet panic=-1"


def init_argv_envp(words):
    """argv[1:] and the environment Linux gives init for these words."""
    argv, env = [], {"HOME": "/", "TERM": "linux"}
    rest = False
    for w in words.split():
        if rest:
            argv.append(w)
        elif w == "--":
            rest = True
        elif "=" in w:
            key, val = w.split("=", 1)
            if key not in KERNEL_WORDS and "." not in key:
                env[key] = val
        elif w not in KERNEL_WORDS and "." not in w:
            argv.append(w)
    return argv, env


def log(msg):
    print(f"contract: {msg}", flush=True)


def run_host(root, tmp, words, timeout):
    work = os.path.join(tmp, "host")
    shutil.copytree(root, work, symlinks=True)
    argv, env = init_argv_envp(words)
    try:
        res = subprocess.run(["/init"] + argv, executable=os.path.join(work, "init"), cwd=work,
                             env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=timeout,
                             preexec_fn=lambda: os.umask(0o022))
    except subprocess.TimeoutExpired as e:
        return (e.stdout or b"").decode("utf-8", "replace"), f"timed out after {timeout}s"
    out = res.stdout.decode("utf-8", "replace")
    problem = None if res.returncode == 0 else f"exit status {res.returncode}"
    return out, problem


def run_tern(kernel, archive, tmp, words, timeout, mode, iso):
    out_file = os.path.join(tmp, "tern.out")
    log_file = os.path.join(tmp, "tern.log")
    cmdline = f"{BOOT_ARGS} {words}".strip()
    if iso:
        # The GRUB ISO that scripts/mkiso.sh makes of the same archive.
        image = os.path.join(tmp, "tern.iso")
        subprocess.run([os.path.join(HERE, "mkiso.sh"), archive, image, cmdline], check=True,
                       stdout=subprocess.DEVNULL, env=dict(os.environ, TERN_KERNEL=kernel))
        boot = ["--iso", image]
    else:
        boot = ["--kernel", kernel, "--initrd", archive, "--append", cmdline]
    cmd = [sys.executable, os.path.join(HERE, "qemu_run.py")] + boot + [
           "--timeout", str(timeout), "--program-output", out_file, "--log", log_file,
           "--quiet", "--symbols", kernel, "--mode", mode]
    res = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    report = res.stdout.decode("utf-8", "replace")
    out = open(out_file).read() if os.path.exists(out_file) else ""
    if iso:
        # GRUB's screen (escape sequences, "Booting `tern'", a blank line)
        # comes before the kernel runs: not the program's.
        lines = out.splitlines(True)
        for i, line in enumerate(lines):
            if "Booting `tern'" in line:
                rest = lines[i + 1:]
                if rest and not rest[0].strip():
                    rest = rest[1:]
                out = "".join(rest)
                break
    problem = None
    if res.returncode != 0:
        fails = [l for l in report.splitlines() if l.startswith("FAIL: ")]
        problem = "; ".join(fails) or f"qemu_run.py status {res.returncode}"
        # The whole console (kernel lines included) says why.
        if os.path.exists(log_file):
            print("---- tern console ----")
            print(open(log_file).read().rstrip())
            print("----")
    return out, problem


def linux_kernel(spec):
    if spec not in ("auto", "required"):
        return spec if os.path.exists(spec) else None
    res = subprocess.run([os.path.join(HERE, "linux_kernel.sh")], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        log(res.stderr.strip())
        return None
    return res.stdout.strip()


def run_linux(vmlinuz, archive, words, timeout, qemu, mode):
    # The same machine as scripts/qemu_run.py gives tern in each mode.
    cpu = ["-accel", "tcg", "-cpu", "max"]
    if mode == "icount":
        cpu = ["-accel", "tcg", "-cpu", "max,-erms,-fsrm", "-icount", "shift=0"]
    cmd = [qemu, "-nodefaults", "-no-reboot", "-display", "none", "-serial", "stdio",
           "-m", "512"] + cpu + ["-kernel", vmlinuz, "-initrd", archive,
                                 "-append", f"{BOOT_ARGS} printk.time=1 {words}".strip()]
    try:
        res = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return (e.stdout or b"").decode("utf-8", "replace"), f"timed out after {timeout}s"
    lines = res.stdout.decode("utf-8", "replace").replace("\r", "").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    program = [l for l in lines if not LINUX_PRINTK.match(l)]
    status = None
    for l in lines:
        m = LINUX_INIT_EXIT.search(l)
        if m:
            status = int(m.group(1), 16)
    problem = None
    if res.returncode != 0:
        problem = f"qemu status {res.returncode}"
    elif status is None:
        problem = "Linux did not report pid 1's exit"
    elif status != 0:
        problem = f"pid 1 exited with status word {status:#x}"
    if problem:
        print("---- Linux console ----")
        print("\n".join(lines))
        print("----")
    return "".join(l + "\n" for l in program), problem


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("binary")
    p.add_argument("--fixtures", help="folder whose files go beside /init")
    p.add_argument("--tern", metavar="KERNEL", help="boot tern's kernel ELF too")
    p.add_argument("--linux", metavar="auto|required|PATH", help="boot Debian's Linux too")
    p.add_argument("--no-host", action="store_true", help="skip the host run")
    p.add_argument("--append", default="", help="extra command-line words (init's)")
    p.add_argument("--pass", dest="pass_re", default=r"^CONTRACT \S+: ok$",
                   help="regex of the pass line (multi-line)")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--gzip", action="store_true", help="gzip the initramfs")
    p.add_argument("--iso", action="store_true",
                   help="boot tern from a GRUB ISO of the archive (scripts/mkiso.sh)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--mode", default="tcg", choices=["tcg", "icount"],
                   help="QEMU mode of the guest runs (icount: -icount shift=0, for figures)")
    p.add_argument("--tern-expect-fail", metavar="PART",
                   help="tern is known to fail (waits for PART): SKIP if it does, FAIL if not")
    p.add_argument("--tern-timeout", type=float, default=None,
                   help="time limit of the tern run (default --timeout; 30 with --tern-expect-fail)")
    p.add_argument("--no-compare", action="store_true",
                   help="only show the outputs (benchmarks: their figures differ)")
    args = p.parse_args()

    tmp = tempfile.mkdtemp(prefix="contract.")
    try:
        root = os.path.join(tmp, "root")
        if args.fixtures:
            shutil.copytree(args.fixtures, root, symlinks=True)
        else:
            os.mkdir(root)
        shutil.copy(args.binary, os.path.join(root, "init"))
        os.chmod(os.path.join(root, "init"), 0o755)
        archive = os.path.join(tmp, "initramfs.cpio" + (".gz" if args.gzip else ""))
        subprocess.run([sys.executable, os.path.join(HERE, "mkinitramfs.py"), "-o", archive,
                        root] + (["--gzip"] if args.gzip else []), check=True)

        outputs = []  # (where, output, problem)
        if not args.no_host:
            outputs.append(("host",) + run_host(root, tmp, args.append, args.timeout))
        if args.linux:
            vmlinuz = linux_kernel(args.linux)
            if vmlinuz:
                outputs.append(("linux",) + run_linux(vmlinuz, archive, args.append,
                                                      args.timeout, args.qemu, args.mode))
            elif args.linux == "auto":
                log("no Linux kernel: the Linux run is skipped")
            else:
                log("SKIP: no Linux kernel to compare with")
                return SKIP
        if args.tern:
            tern_timeout = args.tern_timeout or (30 if args.tern_expect_fail else args.timeout)
            outputs.append(("tern",) + run_tern(args.tern, archive, tmp, args.append,
                                                tern_timeout, args.mode, args.iso))
        if not outputs:
            log("nothing was run")
            return 1

        failed = set()  # the runs that failed (a difference counts against the later run)
        for where, out, problem in outputs:
            print(f"---- {where} output ----")
            print(out, end="" if out.endswith("\n") or not out else "\n")
            if problem:
                log(f"{where}: {problem}")
                failed.add(where)
            if not re.search(args.pass_re, out, re.MULTILINE):
                log(f"{where}: no pass line ({args.pass_re})")
                failed.add(where)
        ref_where, ref = outputs[0][0], outputs[0][1]
        for where, out, _ in outputs[1:]:
            if out != ref and not args.no_compare:
                failed.add(where)
                log(f"{where} differs from {ref_where}:")
                sys.stdout.writelines(difflib.unified_diff(
                    ref.splitlines(True), out.splitlines(True), ref_where, where))
        runs = ", ".join(o[0] for o in outputs)
        if args.tern_expect_fail and args.tern and ref_where != "tern":
            others = failed - {"tern"}
            if others:
                log(f"FAIL ({runs}): {', '.join(sorted(others))} failed")
                return 1
            if "tern" in failed:
                log(f"SKIP: tern fails as expected: waits for {args.tern_expect_fail} "
                    f"(TERN_CONTRACT_TERN_FAILING); {', '.join(o[0] for o in outputs[:-1])} pass")
                return SKIP
            log(f"FAIL ({runs}): tern passes now: take the test off TERN_CONTRACT_TERN_FAILING")
            return 1
        log(("FAIL" if failed else "PASS") + f" ({runs})")
        return 1 if failed else 0
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
