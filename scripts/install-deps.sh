#!/usr/bin/env bash
# Installs everything fauxgres needs to build, test and benchmark, from Debian and npm.
# Idempotent: re-running only installs what is missing.
# Usage: scripts/install-deps.sh [--build-only]
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libboost1.81-dev libboost-json1.81-dev
  libssl-dev openssl libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev
  catch2 libpq-dev libicu-dev tzdata
)
test_pkgs=(
  postgresql-15 postgresql-client-15 procps iproute2 clang-format clang libclang-rt-14-dev
  python3 python3-psycopg2 python3-psycopg python3-psycopg-pool python3-asyncpg
  python3-sqlalchemy python3-pg8000
  golang-go golang-github-lib-pq-dev golang-github-jackc-pgx-v4-dev golang-github-jinzhu-gorm-dev
  default-jdk-headless libpostgresql-jdbc-java libjunixsocket-java libjunixsocket-jni
)

pkgs=("${build_pkgs[@]}")
[ "${1:-}" = "--build-only" ] || pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm: the machine's own (nodesource) build when present, else Debian's.
if [ "${1:-}" != "--build-only" ] && ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A packaged PostgreSQL cluster must not hold port 5432: fauxgres' default port.
if command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
    pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
  done
fi

if [ "${1:-}" != "--build-only" ]; then
  # Node drivers, pinned by client_tests/drivers/node/package-lock.json.
  (cd client_tests/drivers/node && { [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund --silent; })
fi
