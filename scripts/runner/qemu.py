"""The QEMU command lines: the same machine for both systems in each
mode; only -kernel, -initrd and -append differ."""
import shutil
import subprocess

MEMORY_MB = 512
# Words both kernels take: the serial console, no chatter, and at a
# panic an immediate reset (which -no-reboot turns into QEMU's exit).
BOOT_ARGS = "console=ttyS0 quiet panic=-1"
LINUX_ARGS = BOOT_ARGS + " printk.time=1"
ICOUNT_CPU = "max,-erms,-fsrm"


def machine(mode, qemu="qemu-system-x86_64", memory=MEMORY_MB):
    """The command up to the kernel: [prefix..., qemu, options...]."""
    cmd = [qemu, "-nodefaults", "-no-reboot", "-display", "none", "-serial", "stdio",
           "-m", str(memory), "-smp", "1"]
    if mode == "icount":
        # -erms,-fsrm: Linux would copy with `rep movsb`, each byte counted
        # (../shared/FACTS.md). -seed 1: under TCG, RDRAND and RDSEED
        # return the host's random numbers unless QEMU's generator is
        # seeded; they reach tern's CRNG and every exec's AT_RANDOM, and the
        # workloads (BusyBox exec'd) varied by up to 0.1% between boots.
        # Seeded, tern repeats exactly. (Hiding RDRAND instead made Linux's
        # open_close, brk and fork 8 to 11% slower: not a fair machine.)
        cmd += ["-accel", "tcg", "-cpu", ICOUNT_CPU, "-icount", "shift=0", "-seed", "1"]
    elif mode == "tcg":
        cmd += ["-accel", "tcg", "-cpu", "max,-erms,-fsrm"]
    elif mode == "kvm":
        cmd = ["taskset", "-c", "0"] + cmd + ["-enable-kvm", "-cpu", "host", "-mem-prealloc"]
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return cmd


def command(system, mode, kernel, initrd, extra_append="", qemu="qemu-system-x86_64"):
    base = LINUX_ARGS if system == "linux" else BOOT_ARGS
    append = f"{base} {extra_append}".strip()
    return machine(mode, qemu) + ["-kernel", kernel, "-initrd", initrd, "-append", append]


def version(qemu="qemu-system-x86_64"):
    exe = shutil.which(qemu)
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.splitlines()[0].strip() if out.stdout else None
