#!/usr/bin/env python3
"""Bad ELF files for guest.posix_exec, made from a good static binary:
mkbad.py GOOD OUTDIR. Each is a copy with one defect."""
import os, struct, sys

good = open(sys.argv[1], 'rb').read()
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
phoff = struct.unpack_from('<Q', good, 32)[0]
phnum = struct.unpack_from('<H', good, 56)[0]

def loads():
    for i in range(phnum):
        off = phoff + i * 56
        if struct.unpack_from('<I', good, off)[0] == 1:
            yield off

def write(name, data, mode=0o755):
    path = os.path.join(out, name)
    with open(path, 'wb') as f:
        f.write(data)
    os.chmod(path, mode)

def patch(fmt, at, value):
    b = bytearray(good)
    struct.pack_into(fmt, b, at, value)
    return bytes(b)

L = list(loads())
write('bad_trunc', good[:40])
write('bad_class', patch('<B', 4, 1))
write('bad_machine', patch('<H', 18, 3))
write('bad_type', patch('<H', 16, 1))
write('bad_phentsize', patch('<H', 54, 32))
write('bad_phoff', patch('<Q', 32, len(good) - 8))
# The last program header becomes a PT_INTERP whose path is 1 byte long.
b = bytearray(good)
struct.pack_into('<I', b, phoff + (phnum - 1) * 56, 3)
struct.pack_into('<Q', b, phoff + (phnum - 1) * 56 + 32, 1)
write('bad_interp', bytes(b))
write('bad_memsz', patch('<Q', L[-1] + 40, 1 << 47))
write('bad_wrap', patch('<Q', L[-1] + 16, (1 << 64) - 4096))
write('bad_entry', patch('<Q', 24, 0x1000))
vaddr0 = struct.unpack_from('<Q', good, L[0] + 16)[0]
b = bytearray(good)
struct.pack_into('<Q', b, L[1] + 16, vaddr0)
struct.pack_into('<Q', b, L[1] + 24, vaddr0)
off1 = struct.unpack_from('<Q', good, L[1] + 8)[0]
struct.pack_into('<Q', b, L[1] + 8, off1 & ~0xfff)  # keep the congruence
write('bad_overlap', bytes(b))
write('bad_noperm', good, 0o644)
write('bad_script', b'#!/bin/sh\necho hi\n')       # no /bin/sh: ENOENT
write('bad_loop', b'#!/linux/bad_loop\n')            # itself: ELOOP
write('bad_noname', b'#!   \n')                       # no interpreter: ENOEXEC
write('script', b'#!/linux/hello  one \n')           # hello with one argument
