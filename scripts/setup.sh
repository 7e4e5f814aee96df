#!/usr/bin/env bash
# Install, only when missing, the Debian packages that building and testing
# tern needs. Idempotent: a second run installs nothing and is quick.
set -euo pipefail

PACKAGES=(
	build-essential cmake python3 binutils clang-format
	qemu-system-x86 grub-pc-bin grub-common xorriso mtools
	musl-tools libcmocka-dev # musl-gcc: for the static Linux test programs (issue 8)
	cpio gzip dpkg apt # initramfs tools; apt-get download + dpkg -x fetch Debian's Linux kernel
	dpkg-dev bzip2 xz-utils # apt-get source busybox (dpkg-source unpacks it; scripts/busybox_src.sh)
	python3-matplotlib # the runner's PNG plots (scripts/runner/plot.py)
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# BusyBox is built from Debian's source package: apt needs a deb-src entry
# (added once, next to Debian's own entries; nothing when one exists).
$SUDO "$(dirname "$0")/busybox_src.sh" deb-src

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "setup: all packages present"
	exit 0
fi

echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
