#!/usr/bin/env bash
# The main job: build tern, then boot the syscall benchmark (bench/posix)
# as /init of the same initramfs on Debian's Linux kernel and on tern in
# the same QEMU, and print the side-by-side table (scripts/compare.py;
# icount mode: guest instructions, deterministic). Options go to
# compare.py (--mode tcg, --json FILE).
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
