#!/usr/bin/env python3
"""Turn the "->NAME value" markers that kernel/arch/x86_64/asm_offsets.c
leaves in its compiled assembly into a header of #defines for the
kernel's assembly files. Usage: gen_asm_offsets.py ASM_FILE OUT_HEADER"""
import re
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    defs = []
    for line in open(src, encoding="utf-8", errors="replace"):
        m = re.search(r'->(\w+) \$?(-?\d+)', line)
        if m:
            defs.append((m.group(1), int(m.group(2))))
    if not defs:
        sys.exit(f"gen_asm_offsets: no markers in {src}")
    names = [n for n, _ in defs]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"gen_asm_offsets: defined twice: {sorted(dup)}")
    text = ["/* Generated from kernel/arch/x86_64/asm_offsets.c by",
            " * scripts/gen_asm_offsets.py: do not edit. */",
            "#ifndef ASM_OFFSETS_H", "#define ASM_OFFSETS_H", ""]
    text += [f"#define {n} {v}" for n, v in defs]
    text += ["", "#endif", ""]
    new = "\n".join(text)
    try:
        if open(out, encoding="utf-8").read() == new:
            return  # unchanged: keep the timestamp, no needless rebuilds
    except OSError:
        pass
    with open(out, "w", encoding="utf-8") as f:
        f.write(new)


if __name__ == "__main__":
    main()
