#!/usr/bin/env bash
# Fails when any C source or header differs from .clang-format's style.
# Usage: scripts/format-check.sh [--fix]
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -- '*.c' '*.h' 2>/dev/null || true)
if [ "${#files[@]}" -eq 0 ]; then
	mapfile -t files < <(find kernel drivers libsys servers libposix bench test -name '*.[ch]' 2>/dev/null)
fi
if [ "${1:-}" = "--fix" ]; then
	clang-format -i "${files[@]}"
	exit 0
fi
clang-format --dry-run -Werror "${files[@]}"
echo "format: ${#files[@]} files clean"
