#!/usr/bin/env python3
"""A stand-in for qemu-system-x86_64 in the runner's end-to-end unit
test: prints what a boot of Linux (a -kernel named vmlinuz*) or of tern
would, from the kernel's name, the archive's name (det.cpio: only the
determinism benchmark, getpid) and the command line (tern.profile=1:
PROF lines), and exits as after a power-off. No guest runs."""
import os
import sys

args = sys.argv[1:]
if "--version" in args:
    print("QEMU emulator version 0.0.0 (fake_qemu.py)")
    sys.exit(0)
kernel = args[args.index("-kernel") + 1]
initrd = args[args.index("-initrd") + 1]
append = args[args.index("-append") + 1]
linux = os.path.basename(kernel).startswith("vmlinuz")
det = os.path.basename(initrd) == "det.cpio"
out = []
if linux:
    out += ["[    0.000000] Linux version 6.1.0-fake", "BENCH start full"]
    out += ["BENCH getpid 200000 64200000 321.0"]
    if not det:
        out += ["BENCH lseek 200000 81060000 405.3", "BENCH fork_exit 2000 212000000 106000.0"]
    out += ["BENCH done", "RUNNER status 0", "RUNNER uname Linux 6.1.0-fake #1 SMP",
            "RUNNER cmdline " + append, "RUNNER vuln meltdown: Not affected",
            "RUNNER vuln spectre_v2: Mitigation: Retpolines", "[    5.000000] reboot: Power down"]
else:
    out += ["[tern] boot: fake", "BENCH start full", "BENCH getpid 200000 21400000 107.0"]
    if not det:
        out += ["BENCH lseek 200000 157400000 787.0", "SKIP fork_exit fork: Out of memory (errno 12)"]
    out += ["BENCH done", "RUNNER status 0", "RUNNER uname Linux 6.1.0-tern #1 SMP tern"]
    if "tern.profile=1" in append.split():
        out += ['PROF {"kind":"meta","src":"proc","tsc_hz":1000000000}',
                'PROF {"kind":"syscall","src":"pid 2","nr":39,"name":"getpid","count":204001,'
                '"total":20400100,"avg":100,"min":98,"max":400,"entry":6120030,'
                '"libposix":14280070,"ipc":0,"server":0}',
                'PROF {"kind":"syscall","src":"pid 2","nr":8,"name":"lseek","count":202001,'
                '"total":151500750,"avg":750,"min":700,"max":2000,"entry":6060030,'
                '"libposix":30300150,"ipc":60600300,"server":54540270}',
                'PROF {"kind":"syscall","src":"pid 1","comm":"init","nr":61,"name":"wait4",'
                '"count":1,"total":9000000,"avg":9000000,"min":9000000,"max":9000000,'
                '"entry":69,"libposix":700,"ipc":8999000,"server":231}',
                'PROF {"kind":"phase","src":"proc","name":"exec.elf_read","count":2,'
                '"total":60000,"avg":30000,"min":29000,"max":31000}']
    out += ["[tern] reboot: Power down"]
sys.stdout.write("".join(l + "\r\n" for l in out))
sys.exit(0)
