#!/usr/bin/env bash
# Verifies docker/Dockerfile for real without a Docker engine (docs/docker.md):
#   1. a Debian bookworm base image made with debootstrap from Debian's mirror, imported
#      into buildah (cached under /var/tmp/fauxgres-smoke and in buildah's store);
#   2. `buildah bud --isolation chroot` of docker/Dockerfile, FROM pointed at that base;
#   3. the image's ENTRYPOINT run with `buildah run` (the image's user and environment)
#      plus POSTGRES_USER/PASSWORD/DB on a free port of 127.0.0.1, then checks with host
#      psql/libpq: login, databases, a wrong password (28P01), an env-configured fault, the
#      image's HEALTHCHECK, the non-root user, and a clean stop on SIGTERM.
# Needs root and Debian's apt (installs buildah, debootstrap, psql, libpq-dev when missing).
# Usage: scripts/docker-smoke.sh [--clean]
#   --clean: remove the cached rootfs, the base and smoke images and buildah's dangling images
# Environment: FAUXGRES_SMOKE_CONTEXT (build context, default the repository),
#   FAUXGRES_SMOKE_CACHE (default /var/tmp/fauxgres-smoke), FAUXGRES_SMOKE_MIRROR.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
context=${FAUXGRES_SMOKE_CONTEXT:-$repo}
cache=${FAUXGRES_SMOKE_CACHE:-/var/tmp/fauxgres-smoke}
mirror=${FAUXGRES_SMOKE_MIRROR:-http://deb.debian.org/debian}
base_image=localhost/fauxgres-smoke/debian:bookworm
image=localhost/fauxgres:smoke
ready_timeout_s=30

# Credentials with URL-special characters, as in story S3; the fault proves FAUXGRES_FAULTS
# reaches the server.
db_user=smoke_user
db_password='p@ss:w/rd%#'
db_name=smoke_db

if [ "$(id -u)" -ne 0 ]; then echo "docker-smoke: needs root (debootstrap, buildah)" >&2; exit 2; fi

if [ "${1:-}" = --clean ]; then
  buildah rmi "$image" "$base_image" 2>/dev/null || true
  # The build's cached layers are unnamed images: prune the dangling ones.
  buildah rmi --prune >/dev/null 2>&1 || true
  rm -rf "$cache"
  echo "docker-smoke: removed $image, $base_image, dangling layers and $cache"
  exit 0
fi

# ---- bookkeeping: checks, phases, cleanup ---------------------------------------------
results=()
failed=0
step=setup
work=$(mktemp -d /tmp/fauxgres-smoke.XXXXXX)
ctr=''
base_ctr=''
run_pid=''
server_pid=''
t0=$(date +%s%N)
phase_t=$t0
timings=()

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
seconds_since() { local ms; ms=$(ms_since "$1"); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }
pass() { results+=("PASS  $1"); echo "PASS  $1"; }
fail() { results+=("FAIL  $1"); echo "FAIL  $1" >&2; failed=1; }
check() {
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
phase() {  # ends the current phase (its time goes in the summary) and starts the next
  [ "$step" = setup ] || timings+=("$(printf '%-11s %s' "$step" "$(seconds_since "$phase_t")")")
  step=$1
  phase_t=$(date +%s%N)
  echo "==== docker-smoke: $step"
}

# Every process we started is stopped by its PID, containers and mounts are removed,
# whatever way the script ends; then the summary.
cleanup() {
  local rc=$?
  set +e
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; fi
  if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
    kill -TERM "$run_pid"
    wait_until 10 not_running "$run_pid" || kill -KILL "$run_pid"
    wait "$run_pid" 2>/dev/null
  fi
  [ -z "$ctr" ] || buildah rm "$ctr" >/dev/null
  [ -z "$base_ctr" ] || buildah rm "$base_ctr" >/dev/null
  unmount_under "$cache/rootfs.tmp"
  rm -rf "$work"
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then fail "$step (stopped with exit code $rc)"; fi
  [ "$step" = finished ] || phase finished
  echo
  echo "==== docker-smoke summary"
  printf '%s\n' "${results[@]}"
  printf 'time: %s\n' "${timings[@]}"
  local total
  total=$(seconds_since "$t0")
  if [ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]; then
    echo "docker-smoke: PASS (${#results[@]} checks, $total)"
    exit 0
  fi
  echo "docker-smoke: FAIL ($total)"
  exit 1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Polls a condition until it holds or the deadline passes: readiness, never a fixed sleep.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}
not_running() { ! kill -0 "$1" 2>/dev/null; }

# A failed debootstrap can leave /proc and /sys mounted inside its target.
unmount_under() {
  local m
  [ -d "$1" ] || return 0
  findmnt -rno TARGET | grep -F "$1/" | sort -r | while read -r m; do umount -l "$m"; done
}

# ---- tools ----------------------------------------------------------------------------
missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v cc >/dev/null || missing+=(gcc libc6-dev)
[ -e /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
command -v ps >/dev/null || missing+=(procps)
command -v ss >/dev/null || missing+=(iproute2)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "docker-smoke: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# psql cannot show a failed login's SQLSTATE (its error verbosity is set after connecting),
# so a few lines of libpq do: connect asynchronously with verbosity "sqlstate" from the start.
cat >"$work/login_sqlstate.c" <<'EOF'
#include <libpq-fe.h>
#include <stdio.h>
#include <sys/select.h>
int main(int argc, char** argv) {
  if (argc != 2) return 3;
  PGconn* conn = PQconnectStart(argv[1]);
  if (!conn) return 3;
  PQsetErrorVerbosity(conn, PQERRORS_SQLSTATE);
  PostgresPollingStatusType st = PGRES_POLLING_WRITING;
  while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
    int fd = PQsocket(conn);
    if (fd < 0) break;
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(fd, &fds);
    struct timeval tv = {10, 0};
    int n = st == PGRES_POLLING_READING ? select(fd + 1, &fds, NULL, NULL, &tv)
                                        : select(fd + 1, NULL, &fds, NULL, &tv);
    if (n <= 0) return 3;
    st = PQconnectPoll(conn);
  }
  if (PQstatus(conn) == CONNECTION_OK) puts("ok");
  else fputs(PQerrorMessage(conn), stdout);
  PQfinish(conn);
  return 0;
}
EOF
cc -O1 -o "$work/login_sqlstate" "$work/login_sqlstate.c" -I/usr/include/postgresql -lpq

# ---- 1. base image: debootstrap once, then from cache ---------------------------------
phase base-image
mkdir -p "$cache"
if buildah inspect --type image "$base_image" >/dev/null 2>&1; then
  echo "cached: $base_image"
else
  if [ ! -s "$cache/bookworm-rootfs.tar" ]; then
    unmount_under "$cache/rootfs.tmp"
    rm -rf "$cache/rootfs.tmp"
    debootstrap --variant=minbase bookworm "$cache/rootfs.tmp" "$mirror"
    # Sources and apt settings like the official debian:bookworm image.
    cat >"$cache/rootfs.tmp/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
    # apt keeps no .debs or caches in layers, as the official image's docker-clean does.
    cat >"$cache/rootfs.tmp/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    rm -rf "$cache/rootfs.tmp/var/lib/apt/lists/"* "$cache/rootfs.tmp/var/cache/apt/"*.bin \
      "$cache/rootfs.tmp/var/cache/apt/archives/"*.deb
    # /dev, /proc and /sys are provided by the runtime, as in any image.
    tar -C "$cache/rootfs.tmp" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' \
      --exclude='./sys/*' -cf "$cache/bookworm-rootfs.tar.tmp" .
    mv "$cache/bookworm-rootfs.tar.tmp" "$cache/bookworm-rootfs.tar"
    rm -rf "$cache/rootfs.tmp"
  fi
  base_ctr=$(buildah from scratch)
  buildah add "$base_ctr" "$cache/bookworm-rootfs.tar" / >/dev/null  # ADD unpacks a local tar
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --cmd bash "$base_ctr"
  buildah commit --rm "$base_ctr" "$base_image" >/dev/null
  base_ctr=''
fi
pass "base image $base_image (debootstrap bookworm)"

# ---- 2. build the Dockerfile ----------------------------------------------------------
phase build
# --format docker keeps HEALTHCHECK (OCI image configs have no such field); --layers
# reuses unchanged steps from earlier runs.
buildah bud --isolation chroot --layers --format docker --pull=never \
  --build-arg BUILD_IMAGE="$base_image" --build-arg RUNTIME_IMAGE="$base_image" \
  -f "$context/docker/Dockerfile" -t "$image" "$context"
pass "buildah bud docker/Dockerfile -> $image ($(buildah images --format '{{.Size}}' "$image"))"

# ---- 3. run the image ------------------------------------------------------------------
phase run
image_field() { buildah inspect --type image --format "$1" "$image"; }
mapfile -t entrypoint < <(image_field '{{range .Docker.Config.Entrypoint}}{{println .}}{{end}}')
mapfile -t healthcheck < <(image_field '{{range .Docker.Config.Healthcheck.Test}}{{println .}}{{end}}')
image_user=$(image_field '{{.Docker.Config.User}}')
[ ${#entrypoint[@]} -gt 0 ] || { fail "image has an ENTRYPOINT"; exit 1; }

# A free port: the first one from a random start that nothing listens on.
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 40000))
    if [ "$p" != "${port:-}" ] && [ -z "$(ss -Hltn "sport = :$p")" ]; then echo "$p" && return 0; fi
  done
  return 1
}
port=$(free_port) || { fail "found a free TCP port"; exit 1; }

ctr=$(buildah from --pull=never "$image")
env_args=(
  --env POSTGRES_USER="$db_user" --env POSTGRES_PASSWORD="$db_password"
  --env POSTGRES_DB="$db_name"
  --env FAUXGRES_LISTEN="127.0.0.1:$port" --env FAUXGRES_PORT="$port"
  --env 'FAUXGRES_FAULTS=query_error:pattern=fault_probe,sqlstate=40001'
  --env FAUXGRES_LOG_FORMAT=json
)
# The control API's variables, when the image's fauxgres has the flags (the entrypoint
# passes them only when set, so older builds are checked without them).
api_port=''
api_token=smoke-token
if buildah run --isolation chroot "$ctr" -- fauxgres --help </dev/null 2>&1 | grep -q -- '--api-token'; then
  api_port=$(free_port) || { fail "found a second free TCP port"; exit 1; }
  env_args+=(--env FAUXGRES_API="127.0.0.1:$api_port" --env FAUXGRES_API_TOKEN="$api_token")
fi
buildah run --isolation chroot "${env_args[@]}" "$ctr" -- "${entrypoint[@]}" \
  </dev/null >"$work/server.out" 2>"$work/server.err" &
run_pid=$!

server_ready() { grep -q '^fauxgres ready on' "$work/server.out" || not_running "$run_pid"; }
if ! wait_until "$ready_timeout_s" server_ready || ! grep -q '^fauxgres ready on' "$work/server.out"; then
  fail "server ready within ${ready_timeout_s}s"
  cat "$work/server.out" "$work/server.err" >&2
  exit 1
fi
pass "server ready: $(head -n1 "$work/server.out")"

# The fauxgres process: a descendant of `buildah run` (other fauxgres may run on the host).
descendants() {
  local pid
  for pid in $(ps -o pid= --ppid "$1"); do
    echo "$pid"
    descendants "$pid"
  done
}
for pid in $(descendants "$run_pid"); do
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = fauxgres ]; then server_pid=$pid && break; fi
done
[ -n "$server_pid" ] || { fail "found the fauxgres process under buildah run"; exit 1; }

export PGCONNECT_TIMEOUT=10
sql() {  # psql as the configured user; prints rows or the error's SQLSTATE
  PGPASSWORD=$db_password psql -X -q -At -v VERBOSITY=sqlstate -h 127.0.0.1 -p "$port" \
    -U "$db_user" -d "${2:-$db_name}" -c "$1" 2>&1
}
expect() {  # expect LABEL PATTERN COMMAND...: the command's output matches the glob PATTERN
  local label=$1 want=$2 out
  shift 2
  out=$("$@" 2>&1) || true
  # shellcheck disable=SC2053  # $want is a pattern
  if [[ $out == $want ]]; then pass "$label"; else fail "$label (wanted '$want', got: $out)"; fi
}
not_in_output() { ! grep -qF "$1" "$work/server.out" "$work/server.err"; }
login() { "$work/login_sqlstate" "host=127.0.0.1 port=$port user=$db_user $1"; }

expect "SELECT 1 as POSTGRES_USER with POSTGRES_PASSWORD" "1" sql 'SELECT 1'
expect "current_user, current_database() = POSTGRES_USER, POSTGRES_DB" "$db_user|$db_name" \
  sql 'SELECT current_user, current_database()'
expect "database postgres exists too" "postgres" sql 'SELECT current_database()' postgres
expect "libpq login with the password" "ok" login "dbname=$db_name password='$db_password'"
expect "wrong password: FATAL 28P01" "*FATAL:  28P01*" login "dbname=$db_name password=wrong"
expect "database other than POSTGRES_DB: FATAL 3D000" "*FATAL:  3D000*" \
  login "dbname=other_db password='$db_password'"
expect "FAUXGRES_FAULTS rule fires: ERROR 40001" "*ERROR:  40001*" sql "SELECT 'fault_probe'"
check "FAUXGRES_LOG_FORMAT=json: logs are JSON" grep -q '^{"ts":' "$work/server.err"
check "entrypoint logs its command line, password masked" \
  grep -qF "docker-entrypoint: fauxgres --user $db_user=*** --database $db_name --database postgres" \
  "$work/server.err"
check "the password appears nowhere in the output" not_in_output "$db_password"
http_status() {  # http_status PATH [TOKEN]: the API's HTTP status code
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 ${2:+-H "Authorization: Bearer $2"} \
    "http://127.0.0.1:$api_port$1"
}
if [ -n "$api_port" ]; then
  expect "FAUXGRES_API + FAUXGRES_API_TOKEN: GET /version with the token: 200" 200 \
    http_status /version "$api_token"
  expect "FAUXGRES_API_TOKEN: without the token: 401" 401 http_status /version
  check "the API token appears nowhere in the output" not_in_output "$api_token"
else
  echo "SKIP  FAUXGRES_API / FAUXGRES_API_TOKEN: this fauxgres has no --api flags"
fi

# The HEALTHCHECK as Docker runs it: in the container, with the container's environment.
healthcheck_cmd() {
  case ${healthcheck[0]:-} in
    CMD-SHELL) buildah run --isolation chroot "${env_args[@]}" "$ctr" -- /bin/sh -c "${healthcheck[1]}" ;;
    CMD) buildah run --isolation chroot "${env_args[@]}" "$ctr" -- "${healthcheck[@]:1}" ;;
    *) echo "no HEALTHCHECK in the image" >&2 && return 3 ;;
  esac
}
echo "healthcheck: ${healthcheck[*]}"
check "HEALTHCHECK succeeds while the server runs" healthcheck_cmd </dev/null

# Non-root: the image's USER is not root, and the server process runs with its uid.
image_uid=$(buildah run --isolation chroot "$ctr" -- id -u </dev/null)
server_uid=$(awk '/^Uid:/ {print $2 "," $3}' "/proc/$server_pid/status")
check "image USER '$image_user' is not root (uid $image_uid)" test -n "$image_user" -a "$image_uid" != 0
check "server runs as uid $image_uid (real,effective: $server_uid)" test "$server_uid" = "$image_uid,$image_uid"
parent_pid=$(awk '/^PPid:/ {print $2}' "/proc/$server_pid/status")
parent_comm=$(cat "/proc/$parent_pid/comm")
check "entrypoint execs fauxgres (parent is '$parent_comm', not a shell)" \
  test "$parent_comm" != bash -a "$parent_comm" != docker-entrypoi
# As PID 1 fauxgres reaps no one: the entrypoint must leave it no children (zombies).
children=$(ps -o pid=,stat=,comm= --ppid "$server_pid" || true)
check "fauxgres has no child processes${children:+ (has: $children)}" test -z "$children"

# docker stop: SIGTERM, then a clean exit; afterwards the healthcheck must fail.
kill -TERM "$server_pid"
if wait_until 10 not_running "$run_pid"; then
  rc=0
  wait "$run_pid" || rc=$?
  run_pid=''
  server_pid=''
  check "SIGTERM: fast shutdown, exit code 0" test "$rc" -eq 0
else
  fail "SIGTERM: server stopped within 10 s"
fi
hc_rc=0
healthcheck_cmd </dev/null 2>"$work/healthcheck.err" || hc_rc=$?  # buildah reports the exit 1
if [ "$hc_rc" -eq 1 ]; then
  pass "HEALTHCHECK reports unhealthy (exit 1) when nothing listens"
else
  fail "HEALTHCHECK reports unhealthy (exit 1) when nothing listens (exit $hc_rc)"
  cat "$work/healthcheck.err" >&2
fi
phase finished
