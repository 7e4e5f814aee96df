#!/usr/bin/env python3
"""Check that kernel.elf can be loaded as a flat image (multiboot1 a.out
kludge): every PT_LOAD must keep p_offset - p_paddr constant, and the
multiboot1 header must lie in the first 8 KiB. Exits non-zero otherwise."""
import struct
import sys

PT_LOAD = 1


def main(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit(f"{path}: not an ELF64 file")
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    deltas = set()
    for i in range(phnum):
        p_type, _flags, off, _vaddr, paddr, filesz, _memsz, _align = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD and filesz:
            deltas.add(off - paddr)
    if len(deltas) != 1:
        sys.exit(f"{path}: PT_LOAD segments are not laid out linearly: {sorted(deltas)}")
    mb1 = data.find(struct.pack("<I", 0x1BADB002), 0, 8192)
    if mb1 < 0 or mb1 % 4:
        sys.exit(f"{path}: no aligned multiboot1 header in the first 8 KiB")
    mb2 = data.find(struct.pack("<I", 0xE85250D6), 0, 32768)
    if mb2 < 0 or mb2 % 8:
        sys.exit(f"{path}: no aligned multiboot2 header in the first 32 KiB")


if __name__ == "__main__":
    main(sys.argv[1])
