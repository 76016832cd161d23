#!/usr/bin/env bash
# Quick start 2: install every dependency, build with ASan + UBSan, check formatting, and
# run the whole suite (unit tests, libpq client tests, faults, API, scenarios, real drivers)
# through ctest, then fuzz the session for FAUXGRES_FUZZ_SECONDS (default 60; 0 skips). FAUXGRES_DOCKER_SMOKE=1 also builds and checks the Docker image with
# buildah (scripts/docker-smoke.sh: 5-12 minutes on 2 cores, so CI leaves it off).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/check-format.sh
scripts/build.sh sanitize >/dev/null
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
status=0
ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" --timeout 900 || status=$?
if [ -f build-sanitize/driver-matrix.txt ]; then
  echo; echo "Driver matrix:"; cat build-sanitize/driver-matrix.txt
fi
if [ "${FAUXGRES_FUZZ_SECONDS:-60}" -gt 0 ]; then
  scripts/fuzz.sh "${FAUXGRES_FUZZ_SECONDS:-60}" || status=$?
fi
if [ "${FAUXGRES_DOCKER_SMOKE:-0}" = 1 ]; then
  scripts/docker-smoke.sh || status=$?
fi
exit $status
