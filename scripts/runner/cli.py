"""The runner's command line (scripts/run.sh and scripts/compare.py call it).

  compare.py [run options]              posix_bench on Linux and on tern, the table
  compare.py compare A.json B.json      two result files, figure by figure
  compare.py side-by-side INITRAMFS     any initramfs on both kernels, outputs diffed
  compare.py side-by-side --hello       the same with the project's hello world
                                        (test/linux/hello.c as /init)
"""
import argparse
import os
import sys
import tempfile

from . import bench, compare, modes, sidebyside

ROOT = bench.ROOT


def run_parser():
    p = argparse.ArgumentParser(prog="scripts/run.sh", description=(
        "Boot the project's benchmark program (bench/posix) on Debian's Linux kernel and on "
        "tern in the same QEMU, from the same initramfs, and print the side-by-side table; "
        "write results.json, results.md and ratios.png (--out)."))
    p.add_argument("--mode", choices=list(modes.MODES) + ["auto"], default="auto",
                   help="auto (default): kvm on real VT-x/AMD-V, else icount; tcg only when asked")
    p.add_argument("--boots", type=int, help="boots per system (default: 1 in icount, 5 in kvm)")
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--out", default=None, help="result folder (default BUILD/results)")
    p.add_argument("--json", help="also write the result file here")
    p.add_argument("--quick", action="store_true", help="the program's --quick (a smoke run)")
    p.add_argument("--only", help="comma-separated benchmark names")
    p.add_argument("--profile", action="store_true",
                   help="one more tern boot with the profiler on (tern.profile=1): the summary "
                        "and profile.png), then one quick profiled boot per SLOW row")
    p.add_argument("--no-profile-rows", action="store_true",
                   help="with --profile: only the whole selection's profile, no boot per SLOW row")
    p.add_argument("--no-determinism", action="store_true",
                   help="skip the icount determinism check")
    p.add_argument("--det-benchmark", default=bench.DET_BENCHMARK,
                   help=f"the benchmark the determinism check repeats (default {bench.DET_BENCHMARK})")
    p.add_argument("--det-repeat", type=int, default=3, help="its boots per system (default 3)")
    p.add_argument("--jobs", type=int, default=2,
                   help="boots at once in icount/tcg mode (figures do not depend on load); "
                        "kvm mode always runs one at a time")
    p.add_argument("--no-busybox", action="store_true",
                   help="no BusyBox: posix_bench itself is /init (the workloads then SKIP)")
    p.add_argument("--no-linux", action="store_true", help="tern only")
    p.add_argument("--linux-kernel", help="a Linux bzImage instead of Debian's (scripts/linux_kernel.sh)")
    p.add_argument("--timeout", type=float, default=900, help="per boot, in seconds")
    p.add_argument("--qemu", default="qemu-system-x86_64", help="the QEMU binary")
    return p


def side_parser():
    p = argparse.ArgumentParser(prog="scripts/run.sh side-by-side", description=(
        "Boot an initramfs on Debian's Linux and on tern in the same QEMU and diff their "
        "console outputs less each kernel's own lines. Exit status 0 when identical."))
    p.add_argument("initramfs", nargs="?")
    p.add_argument("--hello", action="store_true",
                   help="the project's hello world (build/linux/linux_hello as /init)")
    p.add_argument("--append", default="", help="more kernel command line words (init's after --)")
    p.add_argument("--mode", choices=list(modes.MODES) + ["auto"], default="auto")
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--linux-kernel")
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--show", action="store_true", help="print both outputs")
    p.add_argument("--qemu", default="qemu-system-x86_64", help="the QEMU binary")
    return p


def side_main(argv):
    a = side_parser().parse_args(argv)
    try:
        mode, reason = modes.choose(a.mode, modes.HostFacts.gather())
    except ValueError as e:
        sys.exit(f"runner: {e}")
    vmlinuz, why = bench.linux_kernel(a.linux_kernel)
    if not vmlinuz:
        print(f"runner: SKIP: no Linux kernel ({why})")
        return 77
    kernel = os.path.join(os.path.abspath(a.build), "kernel/kernel.elf")
    with tempfile.TemporaryDirectory(prefix="runner-side.") as tmp:
        initrd = a.initramfs
        if a.hello:
            hello = os.path.join(os.path.abspath(a.build), "linux/linux_hello")
            initrd = os.path.join(tmp, "hello.cpio")
            bench.subprocess.run([sys.executable, os.path.join(bench.SCRIPTS, "mkinitramfs.py"),
                                  "-o", initrd, "--file", f"/init={hello}"], check=True)
        if not initrd:
            sys.exit("runner: side-by-side needs an initramfs (or --hello)")
        print(f"runner: mode {mode}: {reason}")
        print(f"runner: {initrd} on {vmlinuz} and on {kernel}")
        same, diff, boots = sidebyside.run(initrd, kernel, vmlinuz, mode, a.append, a.timeout,
                                             qemu_binary=a.qemu)
    for s, b in boots.items():
        print(f"runner: {s}: {len(b.program)} lines of output, {b.elapsed:.0f} s"
              + (f" ({b.problem()})" if b.problem() else ""))
        if a.show:
            print(f"---- {s} ----")
            print("\n".join(b.program))
    if same:
        print("runner: identical output on both kernels")
        return 0
    print("runner: the outputs differ (- linux, + tern):")
    sys.stdout.writelines(diff)
    return 1


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "compare":
        p = argparse.ArgumentParser(prog="scripts/run.sh compare", description=(
            "Compare two result files (before and after a change). Exit status 0 when "
            "tern's figures are all identical within the threshold."))
        p.add_argument("a")
        p.add_argument("b")
        p.add_argument("--threshold", type=float,
                       help="relative change counted as identical (default 0 in icount mode, else 0.02)")
        x = p.parse_args(argv[1:])
        return compare.main(x.a, x.b, x.threshold)
    if argv and argv[0] == "side-by-side":
        return side_main(argv[1:])
    a = run_parser().parse_args(argv)
    if a.out is None:
        a.out = os.path.join(os.path.abspath(a.build), "results")
    return bench.main(a)
