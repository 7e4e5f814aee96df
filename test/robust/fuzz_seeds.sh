#!/bin/sh
# The syscall fuzzer's long runs (opt-in; docs/testing.md, "Robustness"):
#   test/robust/fuzz_seeds.sh [BUILD] [CALLS] [SEEDS...]
# boots build/test/robust/fuzz.cpio once per seed with FUZZ_CALLS=CALLS
# (default 1,000,000; the ctest robust.fuzz runs 100,000 with the fixed
# seed) and prints each run's verdict and figures; seeds default to ten
# from 1. A failing seed is replayed with the same line, FUZZ_LOG=1
# added to log every call.
build=${1:-build}
calls=${2:-1000000}
[ $# -gt 2 ] && shift 2 || set -- 1 2 3 4 5 6 7 8 9 10
root=$(cd "$(dirname "$0")/../.." && pwd)
fails=0
for seed in "$@"; do
	out=$(python3 "$root/scripts/qemu_run.py" --kernel "$build/kernel/kernel.elf" \
		--initrd "$build/test/robust/fuzz.cpio" --timeout 3600 \
		--append "console=ttyS0 irqoff_stats FUZZ_SEED=$seed FUZZ_CALLS=$calls" \
		--expect '^FUZZ: PASS$' --reject 'FUZZ FAILURE' --reject PANIC 2>&1)
	st=$?
	echo "seed $seed: $( [ $st -eq 0 ] && echo PASS || echo FAIL)"
	echo "$out" | grep -E "^FUZZ (calls|figures|irqoff|FAILURE|LEAK)" | sed 's/^/  /'
	[ $st -eq 0 ] || fails=$((fails + 1))
done
echo "$# seeds, $fails failed"
[ $fails -eq 0 ]
