#!/usr/bin/env bash
# Make a bootable GRUB ISO (multiboot2) of tern's kernel and a user's
# initramfs, as `-kernel ... -initrd USER.cpio` boots them:
#
#   scripts/mkiso.sh USER.cpio[.gz] OUT.iso [KERNEL_CMDLINE]
#
# KERNEL_CMDLINE defaults to "console=ttyS0 quiet panic=-1"; the kernel is
# build/kernel/kernel.elf (override with TERN_KERNEL). The system's own
# pieces travel inside the kernel image, so the user's archive is the
# only module. Boot it with
#   qemu-system-x86_64 -nodefaults -serial stdio -display none -no-reboot \
#       -m 512 -cdrom OUT.iso
# (the menu has no delay and uses the serial console, as boot/grub.cfg).
set -euo pipefail
if [ $# -lt 2 ]; then
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
initramfs=$1
out=$2
cmdline=${3:-console=ttyS0 quiet panic=-1}
root=$(cd "$(dirname "$0")/.." && pwd)
kernel=${TERN_KERNEL:-$root/build/kernel/kernel.elf}
for f in "$initramfs" "$kernel"; do
	[ -f "$f" ] || {
		echo "mkiso: $f: no such file" >&2
		exit 1
	}
done
command -v grub-mkrescue >/dev/null || {
	echo "mkiso: grub-mkrescue not found (scripts/setup.sh installs it)" >&2
	exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The ISO's tree apart from the log: a file growing inside it while
# xorriso reads it fails the build.
iso=$work/iso
mkdir -p "$iso/boot/grub"
cp "$kernel" "$iso/boot/kernel.elf"
cp "$initramfs" "$iso/boot/initramfs"
cat >"$iso/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
set default=0

menuentry "tern" {
	multiboot2 /boot/kernel.elf $cmdline
	module2 /boot/initramfs initrd
	boot
}
CFG
grub-mkrescue -o "$out" "$iso" 2>"$work/grub-mkrescue.log" || {
	cat "$work/grub-mkrescue.log" >&2
	exit 1
}
echo "mkiso: wrote $out"
