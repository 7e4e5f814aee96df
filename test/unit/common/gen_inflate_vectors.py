#!/usr/bin/env python3
"""Write the known-answer vectors of test_inflate into a directory: inputs
compressed by Python's zlib and gzip, and the manifest the test reads.

Usage: gen_inflate_vectors.py OUTDIR

Each manifest line is "KIND NAME": KIND is gzip (NAME.gz inflates to
NAME.out with gzip_inflate) or raw (NAME.deflate is a raw DEFLATE stream
that inflates to NAME.out). Everything is deterministic (fixed seeds,
mtime 0), so the files only change when this script does."""
import gzip
import os
import random
import struct
import sys
import zlib


def newc(files):
    """A cpio newc archive of (name, data) pairs, as the kernel reads it."""
    out = bytearray()

    def entry(ino, name, mode, data):
        nameb = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nameb), 0]
        out.extend(("070701" + "".join(f"{f:08x}" for f in fields)).encode())
        out.extend(nameb + b"\0" * ((4 - (110 + len(nameb)) % 4) % 4))
        out.extend(data + b"\0" * ((4 - len(data) % 4) % 4))

    for i, (name, data) in enumerate(files):
        entry(i + 1, name, 0o100644, data)
    entry(0, "TRAILER!!!", 0, b"")
    return bytes(out)


def inputs():
    rnd = random.Random(8)
    text = (b"The quick brown fox jumps over the lazy dog; "
            b"pack my box with five dozen liquor jugs.\n") * 40
    words = [b"tern", b"kernel", b"capability", b"inflate", b"huffman", b"\n"]
    big = b" ".join(rnd.choice(words) for _ in range(30000))  # > 64 KiB
    return {
        "empty": b"",
        "one": b"A",
        "text": text,
        "random": rnd.randbytes(20000),
        "zeros": b"\0" * 200000,
        "runs": b"".join(bytes([rnd.randrange(256)]) * rnd.randrange(1, 600)
                         for _ in range(600)),
        "big": big,
        "bigrandom": rnd.randbytes(70000),
        "cpio": newc([("etc/motd", b"Welcome to tern.\n"), ("bin/x", text),
                      ("lib/r", rnd.randbytes(3000))]),
    }


def header_with_all_flags(level, data):
    """A gzip member with FTEXT, FEXTRA, FNAME, FCOMMENT and FHCRC set."""
    hdr = bytearray(b"\x1f\x8b\x08\x1f") + struct.pack("<I", 0) + b"\x00\x03"
    extra = b"AB\x02\x00hi"
    hdr += struct.pack("<H", len(extra)) + extra + b"name.cpio\0" + b"a comment\0"
    hdr += struct.pack("<H", zlib.crc32(hdr) & 0xffff)
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    body = c.compress(data) + c.flush()
    return bytes(hdr) + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xffffffff)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    manifest = []

    def put(kind, name, comp, orig):
        ext = ".gz" if kind == "gzip" else ".deflate"
        with open(os.path.join(outdir, name + ext), "wb") as f:
            f.write(comp)
        with open(os.path.join(outdir, name + ".out"), "wb") as f:
            f.write(orig)
        manifest.append(f"{kind} {name}\n")

    ins = inputs()
    for name, data in ins.items():
        for level in (0, 1, 6, 9):
            put("gzip", f"{name}-{level}", gzip.compress(data, level, mtime=0), data)
        # Raw streams that force each block kind: fixed Huffman only,
        # Huffman-only and run-length strategies, a tiny window.
        for tag, strategy, wbits in (("fixed", zlib.Z_FIXED, -15),
                                     ("huff", zlib.Z_HUFFMAN_ONLY, -15),
                                     ("rle", zlib.Z_RLE, -15),
                                     ("w9", zlib.Z_DEFAULT_STRATEGY, -9)):
            c = zlib.compressobj(9, zlib.DEFLATED, wbits, 9, strategy)
            put("raw", f"{name}-{tag}", c.compress(data) + c.flush(), data)
        # Full flushes put empty stored blocks mid-stream.
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        parts = [c.compress(data[i:i + 5000]) + c.flush(zlib.Z_FULL_FLUSH)
                 for i in range(0, len(data), 5000)]
        put("raw", f"{name}-flush", b"".join(parts) + c.flush(), data)

    # Header fields, several members, padding as Linux's loader skips it.
    text, cpio = ins["text"], ins["cpio"]
    put("gzip", "flags", header_with_all_flags(6, cpio), cpio)
    put("gzip", "multi", gzip.compress(cpio, 9, mtime=0) + gzip.compress(text, 1, mtime=0)
        + gzip.compress(b"", 6, mtime=0), cpio + text)
    put("gzip", "padded", gzip.compress(cpio, 9, mtime=0) + b"\0" * 509, cpio)
    put("gzip", "multipad", gzip.compress(cpio, 6, mtime=0) + b"\0" * 4
        + gzip.compress(ins["big"], 6, mtime=0) + b"\0" * 3, cpio + ins["big"])
    with open(os.path.join(outdir, "manifest.txt"), "w") as f:
        f.writelines(manifest)


if __name__ == "__main__":
    main()
