"""Which QEMU mode a run uses, and why.

icount  TCG with -icount shift=0 -cpu max,-erms,-fsrm -seed 1: every
        figure is a count of guest instructions, deterministic (one boot
        per system; -seed makes RDRAND's numbers the same every boot:
        qemu.py).
        The default where there is no hardware virtualisation.
kvm     -enable-kvm -cpu host, one vCPU, -mem-prealloc, QEMU pinned with
        taskset -c 0, N boots of each system alternating: ns (cycles),
        best and median. Only on real VT-x/AMD-V: /dev/kvm present AND a
        vmx or svm CPU flag AND not kvm_pvm (a software hypervisor that
        runs guest kernel code in an instruction emulator, about 1000x
        slower: ../shared/FACTS.md).
tcg     plain TCG, only when asked: "emulated, not a speed result"."""
import os
import re

MODES = ("icount", "kvm", "tcg")
UNITS = {
    "icount": "guest instructions per operation (icount: deterministic)",
    "kvm": "ns per operation (hardware KVM, pinned to CPU 0)",
    "tcg": "ns per operation under plain TCG: emulated, not a speed result",
}


class HostFacts:
    """What decides the mode, gathered once (or given by a test)."""

    def __init__(self, dev_kvm, kvm_access, cpu_flags, kvm_pvm):
        self.dev_kvm = dev_kvm          # /dev/kvm exists
        self.kvm_access = kvm_access    # and is readable and writable
        self.cpu_flags = set(cpu_flags)
        self.kvm_pvm = kvm_pvm          # the host's KVM is kvm_pvm

    @classmethod
    def gather(cls):
        flags = set()
        try:
            with open("/proc/cpuinfo") as f:
                for line in f:
                    if line.startswith("flags"):
                        flags = set(line.split(":", 1)[1].split())
                        break
        except OSError:
            pass
        pvm = os.path.isdir("/sys/module/kvm_pvm")
        if not pvm:
            try:
                with open("/proc/modules") as f:
                    pvm = any(re.match(r"kvm_pvm\s", l) for l in f)
            except OSError:
                pass
        dev = os.path.exists("/dev/kvm")
        return cls(dev, dev and os.access("/dev/kvm", os.R_OK | os.W_OK), flags, pvm)


def hardware_kvm(facts):
    """(usable, reason): can figures be taken under KVM here?"""
    if not facts.dev_kvm:
        return False, "no /dev/kvm"
    if facts.kvm_pvm:
        return False, ("/dev/kvm is kvm_pvm, a software hypervisor (guest kernel code "
                       "runs in an instruction emulator, ~1000x slower: not for figures)")
    if not ({"vmx", "svm"} & facts.cpu_flags):
        return False, "/dev/kvm is present but the CPU has no vmx or svm flag"
    if not facts.kvm_access:
        return False, "/dev/kvm is not readable and writable by this user"
    hw = "VT-x" if "vmx" in facts.cpu_flags else "AMD-V"
    return True, f"/dev/kvm with hardware virtualisation ({hw})"


def choose(requested, facts):
    """(mode, reason) or raise ValueError when the requested mode cannot
    give what it promises."""
    ok, why = hardware_kvm(facts)
    if requested in (None, "auto"):
        if ok:
            return "kvm", f"auto: {why}"
        return "icount", f"auto: {why}; icount counts guest instructions, deterministic"
    if requested == "kvm":
        if not ok:
            raise ValueError(f"kvm mode refused: {why}")
        return "kvm", f"asked for: {why}"
    if requested == "icount":
        return "icount", "asked for"
    if requested == "tcg":
        return "tcg", "asked for: emulated, not a speed result"
    raise ValueError(f"unknown mode {requested!r} (one of {', '.join(MODES)}, auto)")


def default_boots(mode):
    """Boots per system: icount is deterministic, one suffices."""
    return 5 if mode == "kvm" else 1
