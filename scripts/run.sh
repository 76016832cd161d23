#!/usr/bin/env bash
# Quick start 1: install build dependencies, build, and start fauxgres with its defaults
# (TCP 127.0.0.1:5432 and /tmp/.s.PGSQL.5432, any user and database, trust).
# Extra arguments are passed to fauxgres, e.g. scripts/run.sh --listen 127.0.0.1:6543
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --build-only
scripts/build.sh release >/dev/null
exec build/fauxgres "$@"
