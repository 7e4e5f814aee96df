#!/usr/bin/env bash
# The main job (the README's first command): build tern, then boot the
# project's benchmark program (bench/posix) from the same initramfs
# (BusyBox as /bin/sh, the program, an /init that runs it and powers off)
# on Debian's Linux kernel and on tern in the same QEMU, and print the
# side-by-side table; write BUILD/results/results.json, results.md and
# ratios.png. The runner is scripts/runner/ (scripts/compare.py is its
# command line; docs/benchmarks.md): the mode is chosen and said (icount
# here: guest instructions, deterministic; kvm on real VT-x/AMD-V; tcg
# only when asked), and an icount run checks its own determinism.
#   scripts/run.sh [--quick] [--only a,b] [--profile] [--mode M] ...
#   scripts/run.sh compare A.json B.json      two result files (no build)
#   scripts/run.sh side-by-side INITRAMFS     any initramfs on both kernels
#   scripts/run.sh side-by-side --hello       the project's hello world
#   scripts/run.sh --selftests    boot the GRUB ISO and run the kernel's
#                                 self-tests instead (options after it go
#                                 to scripts/qemu_run.py)
#   scripts/run.sh --shell        boot the default initramfs into BusyBox's
#                                 shell on the serial console, here on
#                                 stdio (^C and ^Z go to the guest; `exit`
#                                 powers it off; options after it go to
#                                 QEMU; docs/userland.md)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "compare" ]; then
	exec python3 scripts/compare.py "$@"
fi
scripts/setup.sh
cmake -B build -S . -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if [ "${1:-}" = "--selftests" ]; then
	cmake --build build -j"$(nproc)" --target iso
	shift
	exec python3 scripts/qemu_run.py --iso build/tern.iso --symbols build/kernel/kernel.elf \
		--timeout 300 --expect "SELFTESTS: [0-9]+ passed, 0 failed" "$@"
fi
if [ "${1:-}" = "--shell" ]; then
	cmake --build build -j"$(nproc)" --target kernel initrd
	shift
	exec qemu-system-x86_64 -nodefaults -no-reboot -display none -m 512 -accel tcg -cpu max \
		-chardev stdio,id=console,signal=off -serial chardev:console \
		-kernel build/kernel/kernel.elf -initrd build/initrd.cpio \
		-append "console=ttyS0 quiet" "$@"
fi
# Only what the comparison boots (the tests' programs are scripts/test.sh's):
# the kernel (servers and libposix inside), the benchmark program, the
# hello world of side-by-side --hello, and BusyBox where it is built.
targets=(kernel posix_bench linux_hello)
help=$(cmake --build build --target help)
if grep -Eq '(^|\.\.\. )busybox(:|$)' <<<"$help"; then
	targets+=(busybox)
fi
cmake --build build -j"$(nproc)" --target "${targets[@]}"
exec python3 scripts/compare.py "$@"
