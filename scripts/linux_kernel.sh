#!/usr/bin/env bash
# Print the path of a Debian Linux kernel image (vmlinuz) to boot in QEMU
# as the reference for tern: the same initramfs, the same QEMU, Linux's
# output beside tern's. Never the host's own kernel: the image comes from
# Debian's package, fetched with `apt-get download` (no root needed) and
# unpacked with `dpkg -x` into a cache, so later runs need no network.
#
# Usage: linux_kernel.sh [CACHE_DIR]
#   CACHE_DIR  default $TERN_LINUX_CACHE, else ~/.cache/tern/linux
# Tries linux-image-cloud-amd64 (the small cloud flavour, what FACTS.md's
# figures are from), then linux-image-amd64. Both are metapackages: the
# image is the package they depend on (linux-image-<version>-<flavour>).
# Exit status 0 with the path on stdout; 77 (ctest's SKIP) when no kernel
# can be had, with the reason on stderr.
set -uo pipefail

cache=${1:-${TERN_LINUX_CACHE:-$HOME/.cache/tern/linux}}
mkdir -p "$cache" || {
	echo "linux_kernel: cannot create $cache" >&2
	exit 77
}

found() {
	# The newest unpacked image in the cache, if any.
	ls -1 "$cache"/*/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1
}

image=$(found)
if [ -n "$image" ]; then
	echo "$image"
	exit 0
fi

# Tests run in parallel: one fetch at a time, the others wait and then
# find its result.
if command -v flock >/dev/null; then
	exec 9>"$cache/.lock"
	flock 9
	image=$(found)
	if [ -n "$image" ]; then
		echo "$image"
		exit 0
	fi
fi

if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
	echo "linux_kernel: needs apt-get and dpkg (Debian) to fetch a Linux kernel" >&2
	exit 77
fi

work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 77

# apt-get as root warns that its sandbox user cannot write here; as
# anyone else it simply downloads. Either way the .deb lands in $work.
apt_download() {
	apt-get -q -o APT::Sandbox::User="$(id -un)" download "$1" >/dev/null 2>apt.log
}

for meta in linux-image-cloud-amd64 linux-image-amd64; do
	if ! apt_download "$meta"; then
		echo "linux_kernel: apt-get download $meta failed: $(tail -n 1 apt.log)" >&2
		continue
	fi
	# The metapackage's Depends names the real image package.
	dep=$(dpkg-deb -f "$meta"_*.deb Depends | tr ',' '\n' | sed 's/[ (].*//; s/^ *//' |
		grep '^linux-image-[0-9]' | head -n 1)
	if [ -z "$dep" ]; then
		echo "linux_kernel: $meta names no linux-image-<version> package" >&2
		continue
	fi
	if ! apt_download "$dep"; then
		echo "linux_kernel: apt-get download $dep failed: $(tail -n 1 apt.log)" >&2
		continue
	fi
	dest="$cache/$dep"
	mkdir -p x && dpkg -x "$dep"_*.deb x || {
		echo "linux_kernel: dpkg -x of $dep failed" >&2
		continue
	}
	# Only the image is needed: drop the modules (about 100 MB).
	rm -rf x/lib x/usr
	rm -rf "$dest" && mv x "$dest"
	image=$(found)
	if [ -n "$image" ]; then
		echo "$image"
		exit 0
	fi
done

echo "linux_kernel: no Debian Linux kernel package could be had (no network or no apt source?)" >&2
exit 77
