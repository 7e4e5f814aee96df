#!/usr/bin/env python3
"""Write a cpio "newc" archive of a directory tree (what the kernel's
initrd reader parses), using only the standard library.

Usage: mkcpio.py OUTPUT DIR [DEST=SRC ...]
Extra DEST=SRC arguments add files from elsewhere under the name DEST;
DIR "-" means no directory tree, only those files. Symbolic links in DIR
stay links and its directories keep their permission bits (DEST=SRC
follows links, and its directories are 0755)."""
import os
import stat
import sys


def header(ino, mode, size, namesize, nlink=1, mtime=0):
    fields = [ino, mode, 0, 0, nlink, mtime, size, 0, 0, 0, 0, namesize, 0]
    return ("070701" + "".join(f"{f:08x}" for f in fields)).encode()


def pad4(n):
    return (4 - n % 4) % 4


def entry(out, ino, name, mode, data=b""):
    nameb = name.encode() + b"\0"
    out.write(header(ino, mode, len(data), len(nameb)))
    out.write(nameb + b"\0" * pad4(110 + len(nameb)))
    out.write(data + b"\0" * pad4(len(data)))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    output, root = sys.argv[1], sys.argv[2]
    items = []
    for dirpath, dirnames, filenames in (os.walk(root) if root != "-" else ()):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        if rel != ".":
            items.append((rel, dirpath, True))
        for f in sorted(filenames):
            items.append((os.path.normpath(os.path.join(rel, f)), os.path.join(dirpath, f), True))
    for extra in sys.argv[3:]:
        dest, src = extra.split("=", 1)
        items.append((dest.lstrip("/"), src, False))
    tmp = f"{output}.{os.getpid()}.tmp"  # parallel builds may run this twice
    with open(tmp, "wb") as out:
        for ino, (name, src, in_tree) in enumerate(items, start=1):
            st = os.lstat(src) if in_tree else os.stat(src)
            if stat.S_ISLNK(st.st_mode):
                entry(out, ino, name, stat.S_IFLNK | 0o777, os.readlink(src).encode())
            elif stat.S_ISDIR(st.st_mode):
                entry(out, ino, name, stat.S_IFDIR | (st.st_mode & 0o7777 if in_tree else 0o755))
            else:
                with open(src, "rb") as f:
                    data = f.read()
                entry(out, ino, name, stat.S_IFREG | (st.st_mode & 0o777), data)
        entry(out, 0, "TRAILER!!!", 0)
    os.replace(tmp, output)


if __name__ == "__main__":
    main()
