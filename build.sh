#!/usr/bin/env bash
# ActorMq build entry point.
#
#   ./build.sh test            build, start a private RabbitMQ node and PostgreSQL cluster, run every
#                              test project, stop the servers; ends with "N passed, N failed"
#   ./build.sh demo            the order-processing demo against a private broker (kept until Ctrl-C)
#   ./build.sh bench SUITE...  the benchmark harness (tests/ActorMq.Benchmarks) against private servers
#                              (`bench faults [SCENARIO...]`: the fault harness, on servers it starts itself)
#
# Servers are private to the run: free loopback ports, their own node name, temp directories,
# their own Erlang port mapper; they are stopped on every exit path. Two runs at once do not collide.
# Set ACTORMQ_TEST_AMQP_URI (and ACTORMQ_TEST_RABBIT_NODE / _HOME / _EPMD_PORT for rabbitmqctl) to use
# a broker you run yourself; set ACTORMQ_TEST_POSTGRES to use your own PostgreSQL.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

RABBIT_BIN=/usr/lib/rabbitmq/bin
PG_BIN=/usr/lib/postgresql/15/bin
CONFIGURATION=${CONFIGURATION:-Release}

log() { printf '[build.sh] %s\n' "$*" >&2; }
die() { printf '[build.sh] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Cleanup: every started server registers a stop command; all run on any exit.
CLEANUPS=()
cleanup() {
  local rc=$?
  local i
  for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do
    eval "${CLEANUPS[$i]}" || true
  done
  CLEANUPS=()
  return $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Packages
ensure_package() { # ensure_package <debian-package> <file that proves it is installed>
  local pkg=$1 proof=$2
  [ -e "$proof" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "$pkg is not installed. Install it with: sudo apt-get update && sudo apt-get install -y $pkg"
  fi
  log "installing $pkg with apt-get"
  # Debian's maintainer scripts must not start the system-wide service: the runs use private servers.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1; fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/tmp/actormq-apt-$$.log 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>/tmp/actormq-apt-$$.log 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >>/tmp/actormq-apt-$$.log 2>&1 \
      || { [ $created_policy = 1 ] && rm -f "$policy"; tail -n 20 /tmp/actormq-apt-$$.log >&2; die "apt-get install $pkg failed"; }
  fi
  [ $created_policy = 1 ] && rm -f "$policy"
  rm -f /tmp/actormq-apt-$$.log
  [ -e "$proof" ] || die "$pkg installed but $proof is missing"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() { # a loopback port nobody listens on, from a range ephemeral ports rarely use
  local p tries=0
  while :; do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    if ! port_in_use "$p"; then echo "$p"; return 0; fi
    tries=$((tries + 1)); [ $tries -lt 200 ] || die "no free loopback port found"
  done
}

# ---------------------------------------------------------------------------------------------
# A private RabbitMQ node
rabbit_ctl() { # rabbit_ctl <args...> against the private node
  env HOME="$ACTORMQ_TEST_RABBIT_HOME" ERL_EPMD_PORT="$ACTORMQ_TEST_RABBIT_EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_CONF_ENV_FILE="$ACTORMQ_TEST_RABBIT_HOME/rabbitmq-env.conf" \
    "$RABBIT_BIN/rabbitmqctl" -n "$ACTORMQ_TEST_RABBIT_NODE" "$@"
}

stop_rabbit() { # stop_rabbit <dir> <server pid>
  local dir=$1 pid=$2
  if kill -0 "$pid" 2>/dev/null; then
    timeout 60 bash -c "$(declare -f rabbit_ctl); RABBIT_BIN=$RABBIT_BIN; rabbit_ctl stop" >/dev/null 2>&1 || true
    local n=0
    while kill -0 "$pid" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.2; n=$((n + 1)); done
    kill -0 "$pid" 2>/dev/null && { kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; sleep 2; kill -KILL -- "-$pid" 2>/dev/null || true; }
  fi
  # The private Erlang port mapper started for this node only.
  epmd -port "$ACTORMQ_TEST_RABBIT_EPMD_PORT" -kill >/dev/null 2>&1 || true
  rm -rf "$dir"
  log "RabbitMQ node $ACTORMQ_TEST_RABBIT_NODE stopped"
}

start_rabbit() {
  if [ -n "${ACTORMQ_TEST_AMQP_URI:-}" ]; then
    log "using the broker in ACTORMQ_TEST_AMQP_URI"
    return 0
  fi
  ensure_package rabbitmq-server "$RABBIT_BIN/rabbitmq-server"
  command -v epmd >/dev/null || die "epmd (Erlang) not found although rabbitmq-server is installed"
  local dir attempt port dist epmd_port node pid
  dir=$(mktemp -d "${TMPDIR:-/tmp}/actormq-rabbit.XXXXXX")
  chmod 700 "$dir"
  for attempt in 1 2 3; do
    port=$(free_port); dist=$(free_port); epmd_port=$(free_port)
    node="actormq-$$-$RANDOM@localhost"
    mkdir -p "$dir/mnesia" "$dir/log"
    printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users = none\n' "$port" >"$dir/rabbitmq.conf"
    printf '[].\n' >"$dir/enabled_plugins"
    : >"$dir/rabbitmq-env.conf"
    export ACTORMQ_TEST_RABBIT_NODE=$node ACTORMQ_TEST_RABBIT_HOME=$dir ACTORMQ_TEST_RABBIT_EPMD_PORT=$epmd_port
    # setsid: the node gets its own process group, so a stop can reach every process it started.
    setsid env HOME="$dir" \
      ERL_EPMD_PORT="$epmd_port" ERL_EPMD_ADDRESS=127.0.0.1 \
      RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
      RABBITMQ_DIST_PORT="$dist" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
      RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
      RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_PID_FILE="$dir/rabbit.pid" \
      RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" ERL_CRASH_DUMP="$dir/erl_crash.dump" \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
      "$RABBIT_BIN/rabbitmq-server" >"$dir/server.out" 2>&1 </dev/null &
    pid=$!
    CLEANUPS+=("stop_rabbit '$dir' $pid")
    if await_rabbit "$pid" "$dir"; then
      export ACTORMQ_TEST_AMQP_URI="amqp://guest:guest@127.0.0.1:$port/"
      log "RabbitMQ node $node listening on 127.0.0.1:$port (dir $dir)"
      return 0
    fi
    log "RabbitMQ node $node did not start (attempt $attempt):"
    tail -n 15 "$dir/server.out" "$dir/await.out" >&2 || true
    stop_rabbit_keep_dir "$pid"
    unset 'CLEANUPS[${#CLEANUPS[@]}-1]'
    rm -rf "${dir:?}/mnesia" "${dir:?}/log"
  done
  rm -rf "$dir"
  die "could not start a private RabbitMQ node"
}

await_rabbit() { # await_rabbit <server pid> <dir>: the node registered with epmd, then fully booted
  local pid=$1 dir=$2 n=0
  while [ $n -lt 240 ]; do
    kill -0 "$pid" 2>/dev/null || return 1
    if rabbit_ctl ping >/dev/null 2>&1; then
      timeout 120 bash -c "$(declare -f rabbit_ctl); RABBIT_BIN=$RABBIT_BIN; rabbit_ctl await_startup" >"$dir/await.out" 2>&1
      return $?
    fi
    sleep 0.5; n=$((n + 1))
  done
  return 1
}

stop_rabbit_keep_dir() {
  local pid=$1
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  sleep 2
  kill -KILL -- "-$pid" 2>/dev/null || true
  epmd -port "$ACTORMQ_TEST_RABBIT_EPMD_PORT" -kill >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------------------------------------
# A private PostgreSQL cluster (the PostgreSQL dead store's tests)
pg_as_owner() { # runs a PostgreSQL binary as the cluster's owner (postgres when we are root)
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_postgres() { # stop_postgres <dir>
  local dir=$1
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" stop -m fast -w >/dev/null 2>&1 || true
  rm -rf "$dir"
  log "PostgreSQL cluster in $dir stopped"
}

start_postgres() {
  if [ -n "${ACTORMQ_TEST_POSTGRES:-}" ]; then
    log "using the PostgreSQL server in ACTORMQ_TEST_POSTGRES"
    return 0
  fi
  ensure_package postgresql "$PG_BIN/pg_ctl"
  local dir port attempt
  dir=$(mktemp -d "${TMPDIR:-/tmp}/actormq-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.out" 2>&1 \
    || { cat "$dir/initdb.out" >&2; rm -rf "$dir"; die "initdb failed"; }
  for attempt in 1 2 3; do
    port=$(free_port)
    CLEANUPS+=("stop_postgres '$dir'")
    if pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" \
        start >"$dir/pg_ctl.out" 2>&1; then
      export ACTORMQ_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      log "PostgreSQL listening on 127.0.0.1:$port (dir $dir)"
      return 0
    fi
    unset 'CLEANUPS[${#CLEANUPS[@]}-1]'
    log "PostgreSQL did not start (attempt $attempt):"
    tail -n 10 "$dir/server.log" >&2 || true
  done
  rm -rf "$dir"
  die "could not start a private PostgreSQL cluster"
}

# ---------------------------------------------------------------------------------------------
# Commands
cmd_test() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is required"
  ensure_package chromium /usr/bin/chromium
  log "building ($CONFIGURATION)"
  dotnet build ActorMq.sln -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly

  start_rabbit
  start_postgres

  local results
  results=$(mktemp -d "${TMPDIR:-/tmp}/actormq-results.XXXXXX")
  CLEANUPS+=("rm -rf '$results'")
  # One project at a time, each with its own results folder: the broker fault tests restart the
  # node, which must not surprise another project's tests, and TRX names cannot collide.
  local rc=0 passed=0 failed=0 skipped=0 project name counters f
  for project in tests/*.Tests/*.csproj tests/*Tests/*.csproj; do
    [ -e "$project" ] || continue
    name=$(basename "$project" .csproj)
    [ -d "$results/$name" ] && continue
    mkdir -p "$results/$name"
    log "testing $name"
    local prc=0
    dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results/$name" --blame-hang-timeout 5m "$@" || prc=$?
    f="$results/$name/$name.trx"
    if [ -e "$f" ]; then
      counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
      passed=$((passed + $(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")))
      failed=$((failed + $(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")))
      skipped=$((skipped + $(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")))
    fi
    if [ $prc -ne 0 ]; then
      rc=$prc
      if [ ! -e "$f" ] || ! grep -q ' failed="[1-9]' "$f"; then
        # A crashed or hung test host, or a project without results: not a pass.
        log "$name: dotnet test exited with $prc and recorded no failed test (crashed, hung or empty)"
        failed=$((failed + 1))
      fi
    fi
  done
  if [ $skipped -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [ $failed -eq 0 ]
}

# The faults suite starts (and breaks) servers of its own: `bench faults [SCENARIO...]` alone needs none from here.
FAULT_SCENARIOS=" kill9 connection-storm memory-alarm store-outage queue-deleted cluster-failover freeze disk-alarm "
bench_needs_servers() {
  [ "$1" = faults ] || return 0
  shift
  local word
  for word in "$@"; do [[ $FAULT_SCENARIOS == *" $word "* ]] || return 0; done
  return 1
}

cmd_bench() {
  [ $# -gt 0 ] || set -- list
  log "building the benchmark harness"
  dotnet build tests/ActorMq.Benchmarks/ActorMq.Benchmarks.csproj -c Release -nologo -v q -clp:ErrorsOnly
  case " $* " in
    *" list "*|*" --help "*) ;;
    *) bench_needs_servers "$@" && { start_rabbit; start_postgres; } ;;
  esac
  dotnet run -c Release --no-build --project tests/ActorMq.Benchmarks -- "$@"
}

cmd_demo() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is required"
  log "building the actormq command ($CONFIGURATION)"
  dotnet build src/ActorMq.Cli/ActorMq.Cli.csproj -c "$CONFIGURATION" -nologo -v q -clp:ErrorsOnly
  start_rabbit
  local rc=0
  # The password goes through the environment, not the command line (where ps shows it to every user).
  local uri=$ACTORMQ_TEST_AMQP_URI password=""
  if [[ $uri =~ ^(amqps?://)([^:@/]*):([^@/]*)@(.*)$ ]]; then
    password=${BASH_REMATCH[3]}
    uri="${BASH_REMATCH[1]}${BASH_REMATCH[2]}@${BASH_REMATCH[4]}"
  fi
  ACTORMQ_AMQP_PASSWORD=$password dotnet "src/ActorMq.Cli/bin/$CONFIGURATION/net10.0/ActorMq.Cli.dll" demo --amqp "$uri" "$@" || rc=$?
  if [ -t 0 ]; then
    # Interactive: keep the broker for a look around (rabbitmqctl with ACTORMQ_TEST_RABBIT_* set) until Ctrl-C;
    # the exit trap stops it then.
    log "demo finished (exit code $rc); the broker stays up at $ACTORMQ_TEST_AMQP_URI until Ctrl-C"
    while :; do sleep 3600; done
  fi
  return $rc
}

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  demo) shift; cmd_demo "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
