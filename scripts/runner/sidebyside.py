"""Side by side for any initramfs: boot it on Debian's Linux and on tern
in the same QEMU, and diff the two consoles less each kernel's own lines
(tern's "[tern] " lines, Linux's printk lines), so a user sees whether
their program behaves the same here."""
import concurrent.futures
import difflib

from . import boot, qemu


def run(initrd, tern_kernel, linux_kernel, mode, append="", timeout=300, logs=None,
        qemu_binary="qemu-system-x86_64"):
    """-> (identical, diff_lines, {system: Boot})."""
    cmds = {"linux": qemu.command("linux", mode, linux_kernel, initrd, append, qemu_binary),
            "tern": qemu.command("tern", mode, tern_kernel, initrd, append, qemu_binary)}
    logs = logs or {}
    # Independent boots: in icount and tcg mode they may run at once (the
    # figures do not matter here; in kvm mode one after the other).
    jobs = 1 if mode == "kvm" else 2
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {s: ex.submit(boot.run, s, c, timeout, logs.get(s)) for s, c in cmds.items()}
        boots = {s: f.result() for s, f in futs.items()}
    a, b = boots["linux"].program, boots["tern"].program
    diff = list(difflib.unified_diff([l + "\n" for l in a], [l + "\n" for l in b],
                                     "linux", "tern"))
    return not diff, diff, boots
