"""Parsing a console: the program's lines (BENCH, SKIP), the /init's
RUNNER lines, and each kernel's own lines, which are not the program's.
Pure functions of text, for the unit tests (test/runner)."""
import re

TERN_PREFIX = "[tern] "
# Linux's printk lines (printk.time=1 is on its command line).
LINUX_PRINTK = re.compile(r"^\[\s*\d+\.\d+\] ")
BENCH_RE = re.compile(r"^BENCH (\S+) (\d+) (\d+) ([0-9]+(?:\.[0-9]+)?)$")
SKIP_RE = re.compile(r"^SKIP (\S+) (.+)$")
START_RE = re.compile(r"^BENCH start (full|quick)$")
RUNNER_RE = re.compile(r"^RUNNER (\w+) ?(.*)$")


def console_lines(data):
    """Bytes or text of a serial console -> lines, without CR (GRUB and
    some kernels end lines "\\r\\n" or "\\n\\r")."""
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    lines = data.replace("\r\n", "\n").split("\n")
    lines = [l.replace("\r", "") for l in lines]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def is_kernel_line(system, line):
    """A line the kernel printed itself (not the program's output)."""
    if system == "tern":
        return line.startswith(TERN_PREFIX)
    return bool(LINUX_PRINTK.match(line))


def program_lines(system, lines):
    """The console less the kernel's own lines."""
    return [l for l in lines if not is_kernel_line(system, l)]


class BenchOutput:
    """What one run of posix_bench printed."""

    def __init__(self):
        self.figures = {}   # name -> (iters, total_ns, per_iter)
        self.skips = {}     # name -> reason
        self.order = []     # names in the order printed
        self.started = None  # "full" or "quick"
        self.done = False
        self.runner = []    # (key, value) of the /init's RUNNER lines
        self.other = []     # any other line (shown when something fails)


def parse_bench(lines):
    out = BenchOutput()
    for line in lines:
        m = START_RE.match(line)
        if m:
            out.started = m.group(1)
            continue
        if line == "BENCH done":
            out.done = True
            continue
        m = BENCH_RE.match(line)
        if m:
            name = m.group(1)
            out.figures[name] = (int(m.group(2)), int(m.group(3)), float(m.group(4)))
            if name not in out.order:
                out.order.append(name)
            continue
        m = SKIP_RE.match(line)
        if m:
            name = m.group(1)
            out.skips[name] = m.group(2).strip()
            if name not in out.order:
                out.order.append(name)
            continue
        m = RUNNER_RE.match(line)
        if m:
            out.runner.append((m.group(1), m.group(2)))
            continue
        out.other.append(line)
    return out


def runner_records(pairs):
    """The /init's RUNNER lines -> {"uname": ..., "cmdline": ...,
    "vulnerabilities": {name: text}, "status": int}."""
    rec = {"vulnerabilities": {}}
    for key, val in pairs:
        if key == "vuln":
            name, _, text = val.partition(": ")
            rec["vulnerabilities"][name.strip()] = text.strip()
        elif key == "status":
            try:
                rec["status"] = int(val)
            except ValueError:
                rec["status"] = val
        else:
            rec[key] = val
    return rec


def listing(text):
    """`posix_bench --list` -> [(name, kind)]."""
    rows = []
    for l in text.splitlines():
        w = l.split()
        if len(w) >= 2:
            rows.append((w[0], w[1]))
    return rows
