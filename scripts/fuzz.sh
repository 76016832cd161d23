#!/usr/bin/env bash
# Fuzzes the session state machine (startup, authentication, simple and extended query,
# waits) with libFuzzer under ASan + UBSan, for SECONDS (default 60). It starts from the
# seed corpus of fuzz/seeds.py plus what earlier runs found (build-fuzz/corpus/), and fails
# on a crash, a sanitizer report, a hang or broken message framing; the input that did it
# is saved as build-fuzz/crash-* (replay: build-fuzz/fuzz_session FILE).
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scripts/build.sh fuzz >/dev/null
corpus=build-fuzz/corpus
mkdir -p "$corpus"
/usr/bin/python3 fuzz/seeds.py "$corpus"
echo "fuzzing the session for ${seconds}s (corpus: $(ls "$corpus" | wc -l) inputs)"
set +e
build-fuzz/fuzz_session -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/ "$corpus" 2>&1 |
  sed -E -e '/^#[0-9]+.*(NEW|REDUCE|pulse)/d' -e '/^\s+NEW_FUNC/d' \
    -e '/^###### Recommended dictionary/,/^###### End/d'
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] && echo "fuzz: no failure in ${seconds}s" || echo "fuzz: FAILED (exit $status)"
exit "$status"
