#!/usr/bin/env bash
# Print the path of Debian's static BusyBox (busybox-static), fetched with
# `apt-get download` (no root needed) and unpacked with `dpkg -x` into a
# cache, so later runs need no network. For tests that run BusyBox's own
# applets as /init (linux.busybox_poweroff).
#
# Usage: busybox.sh [CACHE_DIR]
#   CACHE_DIR  default $TERN_BUSYBOX_CACHE, else ~/.cache/tern/busybox
# Exit status 0 with the path on stdout; 77 (ctest's SKIP) when it cannot
# be had, with the reason on stderr.
set -uo pipefail
cache=${1:-${TERN_BUSYBOX_CACHE:-$HOME/.cache/tern/busybox}}
bin="$cache/bin/busybox"
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi
mkdir -p "$cache" || {
	echo "busybox: cannot create $cache" >&2
	exit 77
}
if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
	echo "busybox: needs apt-get and dpkg (Debian) to fetch busybox-static" >&2
	exit 77
fi
work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 77
if ! apt-get -q -o APT::Sandbox::User="$(id -un)" download busybox-static >/dev/null 2>apt.log; then
	echo "busybox: apt-get download busybox-static failed: $(tail -n 1 apt.log)" >&2
	exit 77
fi
if ! dpkg -x busybox-static_*.deb x || [ ! -x x/bin/busybox ]; then
	echo "busybox: dpkg -x of busybox-static failed" >&2
	exit 77
fi
mkdir -p "$cache/bin" && mv x/bin/busybox "$bin.tmp" && mv "$bin.tmp" "$bin" || exit 77
echo "$bin"
