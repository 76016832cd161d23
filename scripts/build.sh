#!/usr/bin/env bash
# Configures and builds fauxgres. Usage: scripts/build.sh [release|sanitize|fuzz] (default
# release). Build trees: build/ (release, the server only), build-sanitize/ (ASan + UBSan,
# with every test; used by scripts/test.sh) and build-fuzz/ (Clang, libFuzzer + ASan +
# UBSan, the fuzz targets only; used by scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-release}"
case "$mode" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release -DFAUXGRES_TESTS=OFF) ;;
  sanitize) dir=build-sanitize; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAUXGRES_SANITIZE=ON) ;;
  fuzz)
    dir=build-fuzz
    export CC=clang CXX=clang++
    flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAUXGRES_TESTS=OFF -DFAUXGRES_FUZZ=ON
      "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all")
    ;;
  *) echo "usage: $0 [release|sanitize|fuzz]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
if [ "$mode" = fuzz ]; then
  ninja -C "$dir" -j "$(nproc)" fuzz_session
else
  ninja -C "$dir" -j "$(nproc)"
fi
echo "$dir"
