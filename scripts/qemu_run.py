#!/usr/bin/env python3
"""Boot tern in QEMU on the serial console, check what it prints, and exit.

Modes (--mode, or the TERN_QEMU_MODE environment variable):
  tcg     QEMU's TCG, -cpu max: always works, the default for tests.
  icount  TCG with -icount shift=0 -cpu max,-erms,-fsrm: guest time counts
          guest instructions (1 ns each), deterministic; the benchmark mode.
  kvm     -enable-kvm -cpu host, when /dev/kvm works; otherwise TCG, and
          the harness says so. (On machines whose /dev/kvm is a software
          hypervisor, kernel code runs ~1000x slower: see docs/testing.md.)

Every boot has a time limit; the harness never hangs. The guest reports
success or failure through isa-debug-exit: status 33 is success, 35 failure.
With --no-debug-exit the device is left out, as a user's QEMU command line
would: the kernel then powers off through ACPI (QEMU status 0) or, after a
panic with panic=N, resets, which under -no-reboot also ends QEMU (0).

The kernel's own lines start with KERNEL_PREFIX ("[tern] "); everything
else on the console is programs' output. --program-output FILE writes
that part alone (the harness's own "qemu:" lines are not in the output).

--input REGEX TEXT types TEXT (Python escapes: "\\x03", "\\n") on the serial
port once a line matching REGEX has been printed; several are sent in
order, each after its own line (a guest says when it is ready to read, so
nothing typed is lost before a driver listens). --prompt REGEX TEXT is the
same for a line still being printed (a shell's prompt has no newline): it
types TEXT once the unfinished line matches REGEX, on a line begun after
the previous input was sent (a shell redraws its prompt while it edits a
line). Inputs of both kinds form one sequence in command-line order, and
each looks only at what came after the text the one before it matched.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
import time

EXIT_SUCCESS = 33
EXIT_FAILURE = 35
KERNEL_PREFIX = "[tern] "


def kvm_usable():
    return os.path.exists("/dev/kvm") and os.access("/dev/kvm", os.R_OK | os.W_OK)


def qemu_command(args):
    cmd = [args.qemu, "-nodefaults", "-no-reboot", "-display", "none",
           "-serial", "stdio", "-m", str(args.memory)]
    if not args.no_debug_exit:
        cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    mode = args.mode
    if mode == "kvm" and not kvm_usable():
        print("qemu: /dev/kvm is not usable here; falling back to TCG", flush=True)
        mode = "tcg"
    if mode == "kvm":
        cmd += ["-enable-kvm", "-cpu", "host,-arch-capabilities"]
    elif mode == "icount":
        cmd += ["-accel", "tcg", "-cpu", "max,-erms,-fsrm", "-icount", "shift=0"]
    else:
        cmd += ["-accel", "tcg", "-cpu", "max"]
    if args.iso:
        cmd += ["-cdrom", args.iso, "-boot", "d"]
    else:
        cmd += ["-kernel", args.kernel]
        if args.append:
            cmd += ["-append", args.append]
        if args.initrd:
            cmd += ["-initrd", args.initrd]
    return mode, cmd + args.extra


def symbolize(lines, elf):
    """Append function and line to backtrace addresses ("  #3 ffffffff8010...")."""
    addr2line = shutil.which("addr2line")
    pat = re.compile(r"^(?:" + re.escape(KERNEL_PREFIX) + r")?\s+#(\d+) ([0-9a-f]{16})\s*$")
    addrs = [m.group(2) for m in map(pat.match, lines) if m]
    if not addr2line or not elf or not addrs:
        return lines
    res = subprocess.run([addr2line, "-f", "-i", "-e", elf] + ["0x" + a for a in addrs],
                         capture_output=True, text=True)
    out = res.stdout.split("\n")
    names = {}
    # Without inlining info each address gives two lines (function, file:line).
    if len(out) >= 2 * len(addrs):
        for i, a in enumerate(addrs):
            names[a] = f"{out[2 * i]} at {os.path.basename(out[2 * i + 1])}"
    result = []
    for line in lines:
        m = pat.match(line)
        result.append(f"{line.rstrip()}  {names.get(m.group(2), '')}" if m else line)
    return result


def run(args):
    mode, cmd = qemu_command(args)
    print(f"qemu: mode={mode} timeout={args.timeout}s", flush=True)
    print("qemu: " + " ".join(cmd), flush=True)
    start = time.monotonic()
    inputs = [(re.compile(r), t.encode("latin-1").decode("unicode_escape").encode("latin-1"),
               partial) for partial, r, t in args.inputs]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if inputs else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []
    seen = [0]  # how much of the current line an input has matched already
    sent_at = [-1]  # the line that was being printed when the last input was sent

    def send(text, line_no):
        # A prompt counts only on a line begun after the last input was
        # sent: a shell redraws its prompt while it edits the typed line.
        if inputs[0][2] and line_no <= sent_at[0]:
            return False
        m = inputs[0][0].search(text.replace("\r", ""), seen[0])
        if not m:
            return False
        seen[0] = m.end()
        sent_at[0] = line_no
        try:
            proc.stdin.write(inputs.pop(0)[1])
            proc.stdin.flush()
        except OSError:
            pass  # QEMU is gone; the status says why
        return True

    def reader():
        pending = b""
        fd = proc.stdout.fileno()
        while True:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                # GRUB ends its lines "\n\r": a carriage return at the
                # start of a line is the end of the previous one.
                line = raw.decode("utf-8", "replace").rstrip("\r").lstrip("\r")
                lines.append(line)
                if not args.quiet:
                    print(line, flush=True)
                while inputs and send(line, len(lines) - 1):
                    pass
                seen[0] = 0
            if pending and inputs and inputs[0][2]:
                while inputs and inputs[0][2] and send(pending.decode("utf-8", "replace"),
                                                       len(lines)):
                    pass
        if pending:
            lines.append(pending.decode("utf-8", "replace").rstrip("\r").lstrip("\r"))
            if not args.quiet:
                print(lines[-1], flush=True)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    timed_out = False
    try:
        proc.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        proc.wait()
    t.join(timeout=5)
    elapsed = time.monotonic() - start
    lines = symbolize(lines, args.symbols)
    if args.log:
        with open(args.log, "w") as f:
            f.write("\n".join(lines) + "\n")
    if args.quiet:
        print("\n".join(lines))
    for line in lines:
        if re.match(r"^(?:" + re.escape(KERNEL_PREFIX) + r")?\s+#\d+ [0-9a-f]{16}\s+\S", line):
            print("symbolized: " + line.removeprefix(KERNEL_PREFIX).strip())
    if args.program_output:
        with open(args.program_output, "w") as f:
            f.writelines(line + "\n" for line in lines if not line.startswith(KERNEL_PREFIX))

    failures = []
    if timed_out:
        failures.append(f"timed out after {args.timeout}s")
    elif proc.returncode != args.exit_code:
        failures.append(f"exit status {proc.returncode}, expected {args.exit_code}")
    text = "\n".join(lines)
    for pat in args.expect:
        if not re.search(pat, text, re.MULTILINE):
            failures.append(f"expected output not seen: {pat!r}")
    for pat in args.reject:
        m = re.search(pat, text, re.MULTILINE)
        if m:
            failures.append(f"forbidden output seen: {m.group(0)!r}")
    print(f"qemu: finished in {elapsed:.1f}s, status {proc.returncode}, mode {mode}")
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


class InputAction(argparse.Action):
    """--input and --prompt, kept in one list in command-line order."""

    def __call__(self, parser, namespace, values, option_string=None):
        items = list(getattr(namespace, self.dest) or [])
        items.append((option_string == "--prompt", values[0], values[1]))
        setattr(namespace, self.dest, items)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--kernel", help="kernel ELF, booted with -kernel (multiboot1)")
    src.add_argument("--iso", help="GRUB ISO, booted from CD-ROM (multiboot2)")
    p.add_argument("--append", default="", help="kernel command line (--kernel only)")
    p.add_argument("--initrd", help="initrd module (--kernel only)")
    p.add_argument("--mode", default=os.environ.get("TERN_QEMU_MODE", "tcg"),
                   choices=["tcg", "icount", "kvm"])
    p.add_argument("--memory", type=int, default=512, help="guest RAM in MiB")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--expect", action="append", default=[], help="regex that must appear")
    p.add_argument("--reject", action="append", default=[], help="regex that must not appear")
    p.add_argument("--exit-code", type=int, default=None,
                   help="expected QEMU status (default 33, or 0 with --no-debug-exit)")
    p.add_argument("--no-debug-exit", action="store_true",
                   help="boot without the isa-debug-exit device")
    p.add_argument("--program-output", help="write the output less the kernel's lines here")
    p.add_argument("--symbols", help="kernel ELF for symbolizing backtraces")
    p.add_argument("--log", help="also write the guest output here")
    p.add_argument("--input", nargs=2, action=InputAction, dest="inputs", default=[],
                   metavar=("REGEX", "TEXT"),
                   help="type TEXT on the serial port after a line matching REGEX")
    p.add_argument("--prompt", nargs=2, action=InputAction, dest="inputs", default=[],
                   metavar=("REGEX", "TEXT"),
                   help="type TEXT once the unfinished line (a prompt) matches REGEX")
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--quiet", action="store_true", help="print the output only at the end")
    p.add_argument("extra", nargs="*", help="extra QEMU arguments after --")
    args = p.parse_args()
    if args.exit_code is None:
        args.exit_code = 0 if args.no_debug_exit else EXIT_SUCCESS
    sys.exit(run(args))


if __name__ == "__main__":
    main()
