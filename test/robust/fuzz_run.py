#!/usr/bin/env python3
"""robust.fuzz's verdict (test/robust/fuzz.cmake): runs scripts/qemu_run.py
with the arguments given and passes on "FUZZ: PASS". While workers of the
fuzzer still hang or die in calls that are open findings (docs/testing.md,
"Robustness": OPEN below), a run whose only failures are those and that
showed the system whole (no panic, no server died, every process reaped,
frames and quota back, a normal program runs) is SKIP (77), naming them;
anything else fails (a leak of frames or of vfs's quota too)."""
import re
import subprocess
import sys

OPEN = re.compile(r"^FUZZ FAILURE: worker \d+ (\(pid \d+\) hangs: no return|ended with status)")

out = subprocess.run([sys.executable] + sys.argv[1:], capture_output=True, text=True)
text = out.stdout + out.stderr
print(text[-20000:])
if out.returncode == 0:
    sys.exit(0)
fails = [l for l in text.splitlines() if l.startswith("FUZZ FAILURE")]
whole = re.search(r"^FUZZ system whole:", text, re.M)
bad = re.search(r"PANIC|root: server .* died|^FUZZ LEAK", text, re.M)
if fails and whole and not bad and all(OPEN.match(l) for l in fails):
    print("SKIP: the system stayed whole; open findings (workers hanging or killed in "
          "signal delivery):")
    for l in fails:
        print("  " + l)
    sys.exit(77)
sys.exit(1)
