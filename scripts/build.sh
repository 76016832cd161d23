#!/usr/bin/env bash
# Configures and builds fauxgres. Usage: scripts/build.sh [release|sanitize] (default release)
# Build trees: build/ (release, the server only) and build-sanitize/ (ASan + UBSan, with
# every test; used by scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-release}"
case "$mode" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release -DFAUXGRES_TESTS=OFF) ;;
  sanitize) dir=build-sanitize; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAUXGRES_SANITIZE=ON) ;;
  *) echo "usage: $0 [release|sanitize]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
ninja -C "$dir" -j "$(nproc)"
echo "$dir"
