#!/usr/bin/env bash
# Entrypoint of the fauxgres image: turns the official postgres image's variables
# (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_HOST_AUTH_METHOD) and the
# FAUXGRES_* variables into fauxgres flags, appends the container's arguments, and execs
# fauxgres, so that it is PID 1 and `docker stop` (SIGTERM) is its fast shutdown.
# The variables are described in docs/docker.md.
set -euo pipefail

say() { printf 'docker-entrypoint: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }  # 2, like fauxgres' own configuration errors

# `docker run IMAGE bash` (or any command) runs that command instead; `fauxgres ARGS` and
# bare flags start the server. `postgres ARGS`, the official image's command (which
# Testcontainers' PostgreSQLContainer and many compose files pass, e.g. `-c fsync=off`),
# starts the server too: PostgreSQL's own options mean nothing to fauxgres and are dropped.
if [ $# -gt 0 ] && [ "$1" = postgres ]; then
  shift
  if [ $# -gt 0 ]; then say "ignoring PostgreSQL server options: $*"; fi
  set --
fi
if [ $# -gt 0 ] && [ "$1" = fauxgres ]; then shift; fi
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then exec "$@"; fi

# VAR_FILE names a file holding VAR (Docker and Kubernetes secrets), as in the official image.
file_env() {
  local var=$1 file_var="$1_FILE"
  if [ -n "${!file_var:-}" ]; then
    [ -z "${!var:-}" ] || die "both $var and $file_var are set"
    [ -r "${!file_var}" ] || die "$file_var: cannot read ${!file_var}"
    export "$var=$(<"${!file_var}")"
  fi
}
for v in POSTGRES_USER POSTGRES_PASSWORD POSTGRES_DB FAUXGRES_API_TOKEN; do file_env "$v"; done

# Splits a list value into the array `items`: at newlines and at the characters of $2,
# trimmed; empty items and items starting with '#' are dropped. No subshells: a child
# still running at `exec` would stay a zombie under fauxgres (PID 1, which reaps none).
list_items() {
  local value=$1 seps=$2 item
  items=()
  if [ -n "$seps" ]; then value=${value//[$seps]/$'\n'}; fi
  while IFS= read -r item; do
    item=${item#"${item%%[![:space:]]*}"}
    item=${item%"${item##*[![:space:]]}"}
    if [ -n "$item" ] && [ "${item:0:1}" != "#" ]; then items+=("$item"); fi
  done <<<"$value"
}

args=()

# --- roles, databases, authentication: the official image's variables -------------------
# With a password there is one role (default name postgres), checked with the method of
# POSTGRES_HOST_AUTH_METHOD (default scram-sha-256). Without one, everyone is let in
# (trust, any user), like POSTGRES_HOST_AUTH_METHOD=trust.
if [ -n "${POSTGRES_PASSWORD:-}" ]; then
  args+=(--user "${POSTGRES_USER:-postgres}=${POSTGRES_PASSWORD}")
elif [ -n "${POSTGRES_HOST_AUTH_METHOD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD}" != trust ]; then
  say "warning: POSTGRES_HOST_AUTH_METHOD=${POSTGRES_HOST_AUTH_METHOD} without POSTGRES_PASSWORD: no role can log in"
fi
if [ -n "${POSTGRES_HOST_AUTH_METHOD:-}" ]; then args+=(--auth "$POSTGRES_HOST_AUTH_METHOD"); fi
# POSTGRES_DB makes databases exist by name, others get 3D000. "postgres" exists too, as
# in the official image (tools connect to it for maintenance).
if [ -n "${POSTGRES_DB:-}" ]; then
  args+=(--database "$POSTGRES_DB")
  if [ "$POSTGRES_DB" != postgres ]; then args+=(--database postgres); fi
fi

# --- listeners ------------------------------------------------------------------------
# A container must listen beyond its loopback: 0.0.0.0 on the port (FAUXGRES_PORT, the
# config file's port:, else 5432), unless listeners come from elsewhere: FAUXGRES_LISTEN,
# the config file's listeners:, or --listen / --unix-socket-dir among the arguments.
listeners_elsewhere() {
  local a
  for a in "$@"; do
    case $a in --listen | --listen=* | --unix-socket-dir | --unix-socket-dir=*) return 0 ;; esac
  done
  [ -n "${FAUXGRES_CONFIG:-}" ] && [ -r "$FAUXGRES_CONFIG" ] && grep -q '^listeners:' "$FAUXGRES_CONFIG"
}
listen=${FAUXGRES_LISTEN:-}
if [ -z "$listen" ] && ! listeners_elsewhere "$@"; then listen=0.0.0.0; fi
# Addresses: separated by spaces, commas, semicolons or newlines ([::]:5432 has no such).
list_items "$listen" ',; '
for item in "${items[@]}"; do args+=(--listen "$item"); done
# Directories may contain spaces or commas: separated by semicolons or newlines.
list_items "${FAUXGRES_UNIX_SOCKET_DIR:-}" ';'
for item in "${items[@]}"; do args+=(--unix-socket-dir "$item"); done

# --- fault rules ----------------------------------------------------------------------
# One --fault per line; a single-line value may separate rules with ';' instead (a
# multi-line value is split at newlines only, so a rule's pattern may contain ';').
faults=${FAUXGRES_FAULTS:-}
fault_seps=';'
if [[ $faults == *$'\n'* ]]; then fault_seps=''; fi
list_items "$faults" "$fault_seps"
for item in "${items[@]}"; do args+=(--fault "$item"); done

# --- one variable per remaining flag, passed only when set ------------------------------
# FAUXGRES_API / FAUXGRES_API_TOKEN feed the control API's flags; leaving them unset
# keeps the image working with builds that do not have them.
scalar_flags=(
  FAUXGRES_PORT=--port
  FAUXGRES_SSL=--ssl
  FAUXGRES_SSL_CERT=--ssl-cert
  FAUXGRES_SSL_KEY=--ssl-key
  FAUXGRES_CONFIG=--config
  FAUXGRES_FIXTURES=--fixtures
  FAUXGRES_SEED=--seed
  FAUXGRES_LOG_FORMAT=--log-format
  FAUXGRES_LOG_LEVEL=--log-level
  FAUXGRES_AUTHENTICATION_TIMEOUT=--authentication-timeout
  FAUXGRES_SERVER_VERSION=--server-version
  FAUXGRES_STATS_FILE=--stats-file
  FAUXGRES_TEST_CA_FILE=--test-ca-file
  FAUXGRES_API=--api
  FAUXGRES_API_TOKEN=--api-token
)
for pair in "${scalar_flags[@]}"; do
  var=${pair%%=*}
  if [ -n "${!var:-}" ]; then args+=("${pair#*=}" "${!var}"); fi
done

# The command line, secrets masked, so `docker logs` shows how the server was started.
shown=()
mask_next=''
for a in "${args[@]}" "$@"; do
  if [ "$mask_next" = user ]; then
    shown+=("${a%%=*}=***")
  elif [ "$mask_next" = token ]; then
    shown+=("***")
  else
    case $a in
      --user=*) user=${a#--user=} && shown+=("--user=${user%%=*}=***") ;;
      --api-token=*) shown+=("--api-token=***") ;;
      *) shown+=("$a") ;;
    esac
  fi
  case $a in --user) mask_next=user ;; --api-token) mask_next=token ;; *) mask_next='' ;; esac
done
say "fauxgres ${shown[*]}"

exec fauxgres "${args[@]}" "$@"
