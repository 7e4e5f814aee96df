#!/usr/bin/env python3
"""Pack a directory into a Linux initramfs: a cpio "newc" archive, plain or
gzip-compressed, that both tern and Linux boot with QEMU's -initrd.

Usage:
  mkinitramfs.py -o OUT [--gzip] [DIR] [--file DEST=SRC ...]
                 [--dir DEST] [--symlink DEST=TARGET] [--nod DEST=c:MAJOR:MINOR]

  DIR                     the tree to pack (its contents become /); optional
  --file /init=./hello    add one file under the name DEST (mode from SRC)
  --dir /tmp              add an empty directory
  --symlink /bin/sh=busybox   add a symbolic link
  --nod /dev/null=c:1:3   add a device node (c or b, major, minor); Linux
                          makes it, tern's vfs provides its own /dev
  --gzip                  compress the archive (gzip -9, mtime 0)

Every entry is owned by root (uid 0, gid 0) with mtime 0, so the archive
depends only on its inputs. Permission bits come from the files; symbolic
links in DIR stay links; files with several links in DIR share an inode
(as cpio writes them: the data comes with the last one). Directories that
a --file, --dir, --symlink or --nod path needs are added first, since
Linux's unpacker (init/initramfs.c) does not create missing parents.
"""
import argparse
import gzip
import os
import stat
import sys

TRAILER = "TRAILER!!!"


def header(ino, mode, size, namesize, nlink=1, rdevmajor=0, rdevminor=0):
    # magic ino mode uid gid nlink mtime filesize devmajor devminor
    # rdevmajor rdevminor namesize check
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdevmajor, rdevminor, namesize, 0]
    return ("070701" + "".join(f"{f:08x}" for f in fields)).encode()


class Archive:
    def __init__(self):
        self.entries = []  # (name, mode, data, nlink, ino, rdev)
        self.names = set()
        self.next_ino = 1

    def _ino(self):
        self.next_ino += 1
        return self.next_ino - 1

    def _parents(self, name):
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in self.names:
                self.add(d, stat.S_IFDIR | 0o755)

    def add(self, name, mode, data=b"", nlink=None, ino=None, rdev=(0, 0)):
        name = os.path.normpath(name.lstrip("/"))
        if name in (".", "") or name.startswith(".."):
            sys.exit(f"mkinitramfs: bad archive path {name!r}")
        self._parents(name)
        if name in self.names:
            # A later entry replaces an earlier one, as the unpacker would.
            self.entries = [e for e in self.entries if e[0] != name]
        self.names.add(name)
        if nlink is None:
            nlink = 2 if stat.S_ISDIR(mode) else 1
        self.entries.append((name, mode, data, nlink, ino or self._ino(), rdev))

    def add_tree(self, root):
        links = {}  # (st_dev, st_ino) -> archive inode
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            rel = os.path.relpath(dirpath, root)
            if rel != ".":
                self.add(rel, stat.S_IFDIR | (os.lstat(dirpath).st_mode & 0o7777))
            # Symbolic links to directories are listed in dirnames: pack
            # them as links, not as what they point to.
            for name in sorted(dirnames + filenames):
                path = os.path.join(dirpath, name)
                arc = os.path.normpath(os.path.join(rel, name))
                st = os.lstat(path)
                if stat.S_ISDIR(st.st_mode):
                    continue
                self.add_path(arc, path, st, links)

    def add_path(self, arc, path, st=None, links=None):
        st = st or os.lstat(path)
        perm = st.st_mode & 0o7777
        if stat.S_ISLNK(st.st_mode):
            self.add(arc, stat.S_IFLNK | 0o777, os.readlink(path).encode())
        elif stat.S_ISREG(st.st_mode):
            with open(path, "rb") as f:
                data = f.read()
            ino = None
            nlink = 1
            if links is not None and st.st_nlink > 1:
                key = (st.st_dev, st.st_ino)
                ino = links.setdefault(key, self._ino())
                nlink = st.st_nlink
            self.add(arc, stat.S_IFREG | perm, data, nlink, ino)
        elif stat.S_ISDIR(st.st_mode):
            self.add(arc, stat.S_IFDIR | perm)
        elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            kind = stat.S_IFCHR if stat.S_ISCHR(st.st_mode) else stat.S_IFBLK
            self.add(arc, kind | perm, rdev=(os.major(st.st_rdev), os.minor(st.st_rdev)))
        else:
            sys.exit(f"mkinitramfs: {path}: cannot pack this kind of file")

    def write(self, out):
        # Hard links: only the last entry of an inode carries the data.
        last = {}
        for i, e in enumerate(self.entries):
            last[e[4]] = i
        for i, (name, mode, data, nlink, ino, rdev) in enumerate(self.entries):
            if nlink > 1 and stat.S_ISREG(mode) and last[ino] != i:
                data = b""
            out.write(self._entry(ino, name, mode, data, nlink, rdev))
        out.write(self._entry(0, TRAILER, 0, b"", 1, (0, 0)))

    @staticmethod
    def _entry(ino, name, mode, data, nlink, rdev):
        nameb = name.encode() + b"\0"
        hdr = header(ino, mode, len(data), len(nameb), nlink, *rdev)
        pad_name = (4 - (len(hdr) + len(nameb)) % 4) % 4
        pad_data = (4 - len(data) % 4) % 4
        return hdr + nameb + b"\0" * pad_name + data + b"\0" * pad_data


def split_pair(text, what):
    if "=" not in text:
        sys.exit(f"mkinitramfs: {what} wants DEST=VALUE, got {text!r}")
    return text.split("=", 1)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir", nargs="?", help="directory whose contents become /")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--gzip", action="store_true", help="gzip the archive")
    p.add_argument("--file", action="append", default=[], metavar="DEST=SRC")
    p.add_argument("--dir", dest="dirs", action="append", default=[], metavar="DEST")
    p.add_argument("--symlink", action="append", default=[], metavar="DEST=TARGET")
    p.add_argument("--nod", action="append", default=[], metavar="DEST=c:MAJOR:MINOR")
    args = p.parse_args()

    ar = Archive()
    if args.dir:
        if not os.path.isdir(args.dir):
            sys.exit(f"mkinitramfs: {args.dir}: not a directory")
        ar.add_tree(args.dir)
    for d in args.dirs:
        ar.add(d, stat.S_IFDIR | 0o755)
    for spec in args.file:
        dest, src = split_pair(spec, "--file")
        st = os.stat(src)  # follow a link given on the command line
        if not stat.S_ISREG(st.st_mode):
            sys.exit(f"mkinitramfs: {src}: not a regular file")
        ar.add_path(dest, src, st)
    for spec in args.symlink:
        dest, target = split_pair(spec, "--symlink")
        ar.add(dest, stat.S_IFLNK | 0o777, target.encode())
    for spec in args.nod:
        dest, dev = split_pair(spec, "--nod")
        try:
            kind, major, minor = dev.split(":")
            kinds = {"c": stat.S_IFCHR, "b": stat.S_IFBLK}
            ar.add(dest, kinds[kind] | 0o666, rdev=(int(major), int(minor)))
        except (ValueError, KeyError):
            sys.exit(f"mkinitramfs: --nod wants DEST=c:MAJOR:MINOR, got {spec!r}")
    if not ar.entries:
        sys.exit("mkinitramfs: nothing to pack (give a DIR or --file)")

    tmp = f"{args.output}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        if args.gzip:
            with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as g:
                ar.write(g)
        else:
            ar.write(f)
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
