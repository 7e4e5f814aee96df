#!/usr/bin/env python3
"""Compressed variants of the initrd for the gzip boot tests.

Usage: mkgzinitrd.py INITRD OUTDIR

Writes into OUTDIR:
  initrd.cpio.gz            the archive, gzip -9 (one member)
  initrd-2members.cpio.gz   the archive's bytes cut in two, a gzip member
                            each, zero padding after both (the last ISIZE
                            is not the size: the kernel must scan)
  initrd-2archives.cpio.gz  two cpio archives, a member each: every entry
                            but bin/guest_core_ipc, then that one alone
                            (found in the second archive)
  initrd-mixed.cpio         the first of those archives plain, padded to
                            512 bytes, then the second gzip'ed, as an
                            early-microcode initramfs is made
  initrd-junk.cpio          initrd.cpio, then bytes that are neither zeros,
                            an archive nor gzip
  initrd-truncated.cpio.gz  initrd.cpio.gz less its last 1000 bytes
All with mtime 0, so the output only changes with the input."""
import gzip
import os
import sys


def entries(data):
    """(name, raw entry bytes) of each newc entry before the trailer."""
    off, out = 0, []
    while True:
        hdr = data[off:off + 110]
        assert hdr[:6] in (b"070701", b"070702"), "not a newc archive"
        size = int(hdr[54:62], 16)
        namesize = int(hdr[94:102], 16)
        name = data[off + 110:off + 110 + namesize - 1].decode()
        data_off = (off + 110 + namesize + 3) & ~3
        end = (data_off + size + 3) & ~3
        if name == "TRAILER!!!":
            return out, data[off:end]
        out.append((name, data[off:end]))
        off = end


def main():
    data = open(sys.argv[1], "rb").read()
    outdir = sys.argv[2]

    def put(name, blob):
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(blob)

    def gz(blob, level):
        return gzip.compress(blob, level, mtime=0)

    one = gz(data, 9)
    put("initrd.cpio.gz", one)
    half = len(data) // 2
    put("initrd-2members.cpio.gz", gz(data[:half], 6) + bytes(3) + gz(data[half:], 1) + bytes(8))
    ents, trailer = entries(data)
    # Entries are 4-aligned from their archive's start, and each archive
    # here is a multiple of 4 long, so raw entries can be regrouped.
    first = b"".join(raw for name, raw in ents if name.lstrip("./") != "bin/guest_core_ipc")
    second = b"".join(raw for name, raw in ents if name.lstrip("./") == "bin/guest_core_ipc")
    assert second, "bin/guest_core_ipc not in the initrd"
    put("initrd-2archives.cpio.gz", gz(first + trailer, 9) + bytes(4) + gz(second + trailer, 9))
    plain = first + trailer
    plain += bytes(-len(plain) % 512)
    put("initrd-mixed.cpio", plain + gz(second + trailer, 6))
    put("initrd-junk.cpio", data + b"junk")
    put("initrd-truncated.cpio.gz", one[:len(one) - 1000])


if __name__ == "__main__":
    main()
