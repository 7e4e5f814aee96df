#!/usr/bin/env bash
# Build tern and boot its GRUB ISO in QEMU on the serial console (this
# terminal). Today the ISO runs the kernel self-tests and exits; the Linux
# comparison benchmark will be the main job here once the Linux
# personality exists. Options go to scripts/qemu_run.py, e.g.
#   scripts/run.sh --mode icount     deterministic: guest instructions
#   scripts/run.sh --mode kvm        KVM where /dev/kvm works
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -B build -S . -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
exec python3 scripts/qemu_run.py --iso build/tern.iso --symbols build/kernel/kernel.elf \
	--timeout 300 --expect "SELFTESTS: [0-9]+ passed, 0 failed" "$@"
