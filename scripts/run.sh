#!/usr/bin/env bash
# The main job: build tern, then boot the project's benchmark program
# (bench/posix, bench/README.md) as /init of the same initramfs (with
# Debian's static BusyBox) on Debian's Linux kernel and on tern in the
# same QEMU, and print the side-by-side table, a row per benchmark
# (scripts/compare.py; icount mode: guest instructions, deterministic;
# about 75 s after the build). Options go to compare.py (--quick,
# --only a,b, --json FILE, --mode tcg, --no-busybox, --timeout S).
#   scripts/run.sh --selftests    boot the GRUB ISO and run the kernel's
#                                 self-tests instead (options after it go
#                                 to scripts/qemu_run.py)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -B build -S . -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
if [ "${1:-}" = "--selftests" ]; then
	shift
	exec python3 scripts/qemu_run.py --iso build/tern.iso --symbols build/kernel/kernel.elf \
		--timeout 300 --expect "SELFTESTS: [0-9]+ passed, 0 failed" "$@"
fi
exec python3 scripts/compare.py --build build "$@"
