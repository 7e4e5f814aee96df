"""One boot: run a QEMU command with a time limit and keep its console."""
import os
import signal
import subprocess
import time

from . import parse


class Boot:
    def __init__(self, system, cmd, lines, status, elapsed, timed_out):
        self.system = system
        self.cmd = cmd
        self.lines = lines            # the whole console
        self.status = status          # QEMU's exit status (None: killed)
        self.elapsed = elapsed        # wall seconds
        self.timed_out = timed_out

    @property
    def program(self):
        """The console less the kernel's own lines."""
        return parse.program_lines(self.system, self.lines)

    def problem(self):
        if self.timed_out:
            return f"timed out after {self.elapsed:.0f} s"
        if self.status not in (0, None):
            return f"QEMU exit status {self.status}"
        return None


def run(system, cmd, timeout, log=None):
    """Boot; never hangs (the whole process group is killed at the limit)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    timed_out = False
    try:
        data, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        data, _ = proc.communicate()
    elapsed = time.monotonic() - start
    lines = parse.console_lines(data)
    if log:
        with open(log, "w") as f:
            f.write("$ " + " ".join(cmd) + "\n")
            f.writelines(l + "\n" for l in lines)
    return Boot(system, cmd, lines, None if timed_out else proc.returncode, elapsed, timed_out)
