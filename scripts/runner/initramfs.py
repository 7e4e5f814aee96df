"""The initramfs both kernels boot: BusyBox as /bin/sh (the project's own
musl build when it exists, else Debian's busybox-static), the benchmark
program, and an /init shell script that runs it with the run's
arguments, prints the kernel's version and mitigations as RUNNER lines,
and powers off. Built once per run: the same archive for both systems."""
import os
import shlex
import subprocess
import sys

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(SCRIPTS)
# What the workloads and the /init run, when `busybox --list` cannot say.
APPLETS = ["sh", "true", "grep", "sed", "sort", "uniq", "tar", "rm", "cat", "echo",
           "mount", "uname", "poweroff", "ls", "mkdir"]
PROGRAM = "/bin/posix_bench"


def find_busybox(build):
    """(path, description) or (None, why not)."""
    own = os.path.join(build, "busybox", "busybox")
    if os.path.isfile(own) and os.access(own, os.X_OK):
        return own, f"the project's BusyBox (musl, built from source: {own})"
    res = subprocess.run([os.path.join(SCRIPTS, "busybox.sh")], capture_output=True, text=True)
    if res.returncode == 0 and res.stdout.strip():
        path = res.stdout.strip()
        return path, f"Debian's busybox-static ({path}; the project's is not built)"
    return None, res.stderr.strip() or "scripts/busybox.sh failed"


def applets(busybox):
    try:
        out = subprocess.run([busybox, "--list"], capture_output=True, text=True, timeout=30)
        names = [n for n in out.stdout.split() if n and "/" not in n]
        if out.returncode == 0 and "sh" in names:
            return sorted(set(names))
    except (OSError, subprocess.TimeoutExpired):
        pass
    return APPLETS


def init_script(program_args):
    """The /init: the benchmark first (nothing else has run), then the
    records, then power off (reboot(2) on both kernels)."""
    words = " ".join(shlex.quote(a) for a in program_args)
    return f"""#!/bin/sh
# Written by scripts/runner/initramfs.py: the same archive boots on Linux and on tern.
PATH=/bin
export PATH
cd /
{PROGRAM} {words}
echo "RUNNER status $?"
echo "RUNNER uname $(uname -s) $(uname -r) $(uname -v)"
if mount -t proc proc /proc 2>/dev/null && [ -r /proc/cmdline ]; then
	echo "RUNNER cmdline $(cat /proc/cmdline)"
fi
if mount -t sysfs sysfs /sys 2>/dev/null; then
	for f in /sys/devices/system/cpu/vulnerabilities/*; do
		[ -r "$f" ] && echo "RUNNER vuln ${{f##*/}}: $(cat "$f")"
	done
fi
poweroff -f
"""


def build(out, program, busybox, program_args, work, extra_dirs=()):
    """Write the archive to `out` (scripts/mkinitramfs.py). Without
    BusyBox the program itself is /init (no records then)."""
    cmd = [sys.executable, os.path.join(SCRIPTS, "mkinitramfs.py"), "-o", out,
           "--file", f"{PROGRAM}={program}", "--dir", "/proc", "--dir", "/sys", "--dir", "/tmp"]
    for d in extra_dirs:
        cmd += ["--dir", d]
    if busybox:
        script = os.path.join(work, "init")
        with open(script, "w") as f:
            f.write(init_script(program_args))
        os.chmod(script, 0o755)
        cmd += ["--file", f"/init={script}", "--file", f"/bin/busybox={busybox}"]
        for a in applets(busybox):
            if a != "busybox":
                cmd += ["--symlink", f"/bin/{a}=busybox"]
    else:
        # posix_bench as pid 1 takes its arguments from the command line
        # (after `--`), as Linux passes them: the caller appends them.
        cmd += ["--file", f"/init={program}"]
    subprocess.run(cmd, check=True)
    return out
