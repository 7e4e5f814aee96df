#!/usr/bin/env bash
# Run every test: install what is missing, build, then ctest (host unit
# tests, QEMU boot tests, the format check). Extra arguments go to ctest,
# e.g. scripts/test.sh -R unit. TERN_QEMU_MODE=kvm uses KVM where it works.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -B build -S . -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
ctest --test-dir build -j"$(nproc)" --output-on-failure "$@"
