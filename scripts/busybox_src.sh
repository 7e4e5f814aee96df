#!/usr/bin/env bash
# BusyBox from Debian's source package (`apt-get source busybox`: 1.35.0
# with Debian's patches applied), built statically with musl-gcc.
#
# Usage:
#   busybox_src.sh [fetch]                print the unpacked source tree's
#                                         path (fetched once into the cache)
#   busybox_src.sh build OUT FRAGMENT HEADERS
#                                         build OUT/busybox out of tree
#                                         (make O=OUT): defconfig, then the
#                                         lines of FRAGMENT (CONFIG_X=y or
#                                         "# CONFIG_X is not set"), then
#                                         make with musl-gcc -isystem HEADERS
#                                         (symlinks to the kernel headers)
#   busybox_src.sh deb-src                add a deb-src entry when apt has
#                                         none (root; scripts/setup.sh runs it)
#
# The cache is $TERN_BUSYBOX_SRC_CACHE, else ~/.cache/tern/busybox-src: the
# source is fetched once per machine (CI caches ~/.cache/tern), never
# modified by a build (every object goes to OUT), and OUT keeps its
# objects, so a rebuild neither refetches nor recompiles.
# Exit status 0 on success; 77 (ctest's SKIP) when the source cannot be had,
# with the reason on stderr; 1 when the build fails.
set -uo pipefail
cache=${TERN_BUSYBOX_SRC_CACHE:-$HOME/.cache/tern/busybox-src}

has_deb_src() {
	grep -Eqs '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}

# deb-src: copy Debian's deb822 entries (debian.sources) as deb-src, or the
# one-line "deb" entries of sources.list as "deb-src", then apt-get update.
add_deb_src() {
	has_deb_src && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "busybox_src: no deb-src entry in apt's sources; run scripts/setup.sh (as root)" >&2
		return 77
	fi
	local d=/etc/apt/sources.list.d
	if [ -f $d/debian.sources ]; then
		sed -E 's/^Types:.*/Types: deb-src/' $d/debian.sources >$d/tern-deb-src.sources
	elif grep -Eqs '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
		sed -nE 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list >$d/tern-deb-src.list
	else
		echo "busybox_src: no Debian apt source to copy as deb-src" >&2
		return 77
	fi
	echo "busybox_src: added a deb-src entry to $d; apt-get update" >&2
	apt-get update -qq || return 77
}

# The unpacked tree: $cache/busybox-<version> with Debian's patches applied
# (dpkg-source -x, which apt-get source runs).
fetch() {
	local src
	src=$(ls -d "$cache"/busybox-*/ 2>/dev/null | head -n 1)
	if [ -n "$src" ] && [ -f "$src/.tern-complete" ]; then
		echo "${src%/}"
		return 0
	fi
	add_deb_src || return 77
	command -v apt-get >/dev/null && command -v dpkg-source >/dev/null || {
		echo "busybox_src: needs apt-get and dpkg-source (dpkg-dev; scripts/setup.sh installs it)" >&2
		return 77
	}
	mkdir -p "$cache" || return 77
	local work
	work=$(mktemp -d "$cache/.fetch.XXXXXX") || return 77
	# shellcheck disable=SC2064
	trap "rm -rf '$work'; trap - RETURN" RETURN
	if ! (cd "$work" && apt-get -q -o APT::Sandbox::User="$(id -un)" source busybox \
		>apt.log 2>&1); then
		echo "busybox_src: apt-get source busybox failed: $(tail -n 1 "$work/apt.log")" >&2
		return 77
	fi
	src=$(ls -d "$work"/busybox-*/ 2>/dev/null | head -n 1)
	if [ -z "$src" ] || [ ! -f "$src/Makefile" ]; then
		echo "busybox_src: apt-get source left no busybox-*/Makefile" >&2
		return 77
	fi
	local name
	name=$(basename "$src")
	touch "$src/.tern-complete"
	rm -rf "${cache:?}/$name" && mv "$src" "$cache/$name" || return 77
	echo "$cache/$name"
}

# Set each line of the fragment in .config: CONFIG_X=... replaces any line
# of CONFIG_X, "# CONFIG_X is not set" too.
apply_fragment() {
	local config=$1 fragment=$2 line sym
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		CONFIG_*=*) sym=${line%%=*} ;;
		"# CONFIG_"*" is not set") sym=${line#\# } sym=${sym%% *} ;;
		*) continue ;;
		esac
		grep -v -E "^(# )?$sym([= ]|$)" "$config" >"$config.tmp"
		echo "$line" >>"$config.tmp"
		mv "$config.tmp" "$config"
	done <"$fragment"
}

build() {
	local out=$1 fragment=$2 headers=$3 src
	src=$(fetch) || return $?
	command -v musl-gcc >/dev/null || {
		echo "busybox_src: musl-gcc not found (musl-tools; scripts/setup.sh)" >&2
		return 77
	}
	mkdir -p "$out" || return 1
	out=$(cd "$out" && pwd) && headers=$(cd "$headers" && pwd) || return 1
	local jobs
	jobs=$(nproc 2>/dev/null || echo 2)
	# Configure only when the fragment changed: make then recompiles only
	# what the new configuration touches.
	if ! cmp -s "$fragment" "$out/.tern-fragment" || [ ! -f "$out/.config" ]; then
		make -s -C "$src" O="$out" defconfig >"$out/config.log" 2>&1 || {
			cat "$out/config.log" >&2
			return 1
		}
		apply_fragment "$out/.config" "$fragment"
		# New symbols a fragment line exposes take their defaults.
		yes "" | make -C "$src" O="$out" oldconfig >>"$out/config.log" 2>&1
		[ "${PIPESTATUS[1]}" -eq 0 ] || { # yes itself ends with SIGPIPE
			cat "$out/config.log" >&2
			return 1
		}
		local line
		while IFS= read -r line; do
			case $line in CONFIG_* | "# CONFIG_"*) ;; *) continue ;; esac
			grep -qxF "$line" "$out/.config" || {
				echo "busybox_src: $fragment: '$line' did not hold after oldconfig" >&2
				return 1
			}
		done <"$fragment"
		cp "$fragment" "$out/.tern-fragment"
	fi
	make -C "$out" -j"$jobs" CC="musl-gcc -isystem $headers" busybox busybox.links \
		>"$out/build.log" 2>&1 || {
		tail -n 40 "$out/build.log" >&2
		return 1
	}
	touch "$out/busybox" "$out/busybox.links" # newer than what made CMake rerun this
	echo "$out/busybox"
}

case ${1:-fetch} in
fetch) fetch ;;
build)
	[ $# -eq 4 ] || {
		sed -n '2,/^set /p' "$0" | sed '$d' >&2
		exit 2
	}
	build "$2" "$3" "$4"
	;;
deb-src) add_deb_src ;;
*)
	sed -n '2,/^set /p' "$0" | sed '$d' >&2
	exit 2
	;;
esac
