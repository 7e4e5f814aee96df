"""What is recorded with each result: host CPU model, mode, QEMU's
version and command lines, the Linux kernel's version and mitigations
(read by the /init inside the Linux guest), tern's commit, the date."""
import datetime
import os
import subprocess

from . import qemu

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIELDS = ("date", "mode", "mode_reason", "unit", "boots", "host_cpu", "host_cpus",
          "qemu_version", "qemu_commands", "linux", "tern_commit", "busybox", "program_args")


def host_cpu(cpuinfo="/proc/cpuinfo"):
    try:
        with open(cpuinfo) as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def tern_commit(root=ROOT):
    """The commit, with "-dirty" when the work tree has changes."""
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, timeout=30)
        if head.returncode != 0:
            return "unknown (not a git tree)"
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=30)
        return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.TimeoutExpired):
        return "unknown (no git)"


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def linux_record(image, runner):
    """image: the vmlinuz path (its package is the folder above boot/);
    runner: parse.runner_records() of the Linux boot's /init."""
    rec = {"image": None, "package": None}
    if image:
        rec["image"] = os.path.basename(image)
        pkg = os.path.basename(os.path.dirname(os.path.dirname(image)))
        rec["package"] = pkg or None
    for k in ("uname", "cmdline", "vulnerabilities"):
        if runner and runner.get(k):
            rec[k] = runner[k]
    return rec


def base(mode, reason, unit, boots, busybox, program_args, qemu_binary="qemu-system-x86_64"):
    return {"date": now(), "mode": mode, "mode_reason": reason, "unit": unit, "boots": boots,
            "host_cpu": host_cpu(), "host_cpus": os.cpu_count(),
            "qemu_version": qemu.version(qemu_binary) or "unknown", "qemu_commands": {},
            "linux": None, "tern_commit": tern_commit(), "busybox": busybox,
            "program_args": program_args}
