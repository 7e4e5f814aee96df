#!/usr/bin/env python3
"""Stage the default initramfs's tree (boot/CMakeLists.txt packs it with
scripts/mkcpio.py; docs/userland.md).

Usage: busybox_rootfs.py SRC OUT [BUSYBOX LINKS]

OUT gets the files of SRC (initrd/: /init, /etc), the empty directories a
Linux root has (/tmp sticky and world-writable, /root private, /proc, /sys,
/mnt, /var, /bin, /sbin, /usr/bin, /usr/sbin) and, when given, BUSYBOX as
/bin/busybox with a symbolic link to /bin/busybox for each applet path
LINKS lists (BusyBox's busybox.links: /bin/ls, /usr/bin/awk, ...; not
/linuxrc)."""
import os
import shutil
import sys


def main():
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(src, out, symlinks=True)
    for d, mode in (("bin", 0o755), ("sbin", 0o755), ("usr/bin", 0o755), ("usr/sbin", 0o755),
                    ("tmp", 0o1777), ("root", 0o700), ("proc", 0o555), ("sys", 0o555),
                    ("mnt", 0o755), ("var", 0o755)):
        path = os.path.join(out, d)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
    if len(sys.argv) == 5:
        busybox, links = sys.argv[3], sys.argv[4]
        shutil.copy2(busybox, os.path.join(out, "bin/busybox"))
        with open(links) as f:
            for path in f.read().split():
                if path in ("/linuxrc", "/bin/busybox") or not path.startswith("/"):
                    continue
                dest = os.path.join(out, path.lstrip("/"))
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                os.symlink("/bin/busybox", dest)


if __name__ == "__main__":
    main()
