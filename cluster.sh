#!/usr/bin/env bash
# A local ledger cluster on this machine (README "Cluster", docs/cluster.md): a PostgreSQL primary with a
# streaming-replication hot standby (synchronous, remote_apply), the schema applied by the owner as a DBA would,
# three ledger nodes in Production mode (one Release publish) and HAProxy in front, health-checking /health.
#   ./cluster.sh up          start (or complete) everything; idempotent; after a failover it rebuilds the standby
#   ./cluster.sh down        stop and remove everything (data, logs, keys)
#   ./cluster.sh status      each part: servers and their role, replication, nodes, the balancer's view
#   ./cluster.sh failover    promote the standby (the operator's command after the primary died) and fence the old one
#   ./cluster.sh env         the API keys and addresses, as shell assignments (for scripts: eval "$(./cluster.sh env)")
#   ./cluster.sh test        the kill test (tests/cluster-test.sh)
#   ./cluster.sh publish     only the Release publish of the API (artifacts/api), when src/ changed since the last
#   ./cluster.sh bench [S]   rights throughput through the balancer, node 1 alone vs three nodes (wrk, S seconds)
#   ./cluster.sh stop-node N / start-node N / kill-node N   one node (1..3), for drills
# Ports (LEDGER_CLUSTER_*): PostgreSQL 55460 and 55461, nodes 5201-5203, balancer 5200 (all nodes) and 5204
# (node 1 only, to compare one node with three through the same balancer). Data in /var/tmp/salex-cluster-<hash>.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source db/common.sh

CLUSTER_DIR="${LEDGER_CLUSTER_DIR:-/var/tmp/salex-cluster-$(echo "$REPO_ROOT" | md5sum | cut -c1-8)}"
PG_PORTS=("${LEDGER_CLUSTER_PG_PRIMARY:-55460}" "${LEDGER_CLUSTER_PG_STANDBY:-55461}")
read -r -a NODE_PORTS <<<"${LEDGER_CLUSTER_NODES:-5201 5202 5203}"
LB_PORT="${LEDGER_CLUSTER_LB:-5200}"
LB_ONE_PORT="${LEDGER_CLUSTER_LB_ONE:-5204}"
API_DIR="$REPO_ROOT/artifacts/api"
API_DLL="$API_DIR/Ledger.Api.dll"
STANDBY_NAME=salex_standby
SLOT=salex_standby_slot
# How often a node looks for rate rows added on another node (the documented delay of a rate row's use).
RATES_REFRESH="${LEDGER_CLUSTER_RATES_REFRESH:-5}"

say() { echo "cluster: $*" >&2; }
pgdir() { echo "$CLUSTER_DIR/pg-$1"; }
psql_at() { # port, sql[, database]
  as_pg_user "$PGBIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d "${3:-postgres}" -qtAX -c "$2"
}
pg_running() { [ -s "$(pgdir "$1")/PG_VERSION" ] && as_pg_user "$PGBIN/pg_ctl" -D "$(pgdir "$1")" status >/dev/null 2>&1; }
in_recovery() { psql_at "$1" "select pg_is_in_recovery()" 2>/dev/null; }
primary_port() { cat "$CLUSTER_DIR/primary-port" 2>/dev/null || echo "${PG_PORTS[0]}"; }
standby_port() { local p; p="$(primary_port)"; if [ "$p" = "${PG_PORTS[0]}" ]; then echo "${PG_PORTS[1]}"; else echo "${PG_PORTS[0]}"; fi; }

ensure_pg_bin() {
  if ! PGBIN="$(find_pg_bin)"; then
    # db/start.sh installs the server when it is missing; run it on a scratch data folder only for that.
    LEDGER_PG_DATA="$CLUSTER_DIR/pg-install-probe" LEDGER_PG_PORT="${PG_PORTS[0]}" ./db/start.sh >/dev/null
    PGBIN="$(find_pg_bin)"
  fi
}

ensure_haproxy() {
  command -v haproxy >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "HAProxy not found; installing Debian's haproxy (and wrk, for the throughput runs) with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq haproxy wrk >&2
  else
    say "HAProxy not found: install it (sudo apt-get install haproxy)"; exit 1
  fi
}

# One Release publish for every node (ReadyToRun, pre-generated handler code), the same as bench.sh's; skipped when
# nothing under src/ is newer than it.
ensure_publish() {
  # (bin/ and obj/ left out: a Debug build or the tests write there without changing what is published)
  if [ -f "$API_DLL" ] && [ -z "$(find src Directory.Packages.props Directory.Build.props \( -name bin -o -name obj \) -prune -o \
    -type f -newer "$API_DLL" -print -quit)" ]; then
    return 0
  fi
  say "publishing the API (Release) to $API_DIR"
  dotnet publish src/Ledger.Api/Ledger.Api.csproj -c Release -r linux-x64 --self-contained false -o "$API_DIR" \
    -nologo -v quiet -clp:ErrorsOnly >&2
  touch "$API_DLL"
}

# Keys and the digest signing key, made once per cluster (kept in the cluster folder, readable by root only).
ensure_secrets() {
  mkdir -p "$CLUSTER_DIR/digests"
  if [ ! -s "$CLUSTER_DIR/keys.env" ]; then
    umask 077
    {
      for role in admin finance rights-reader auditor policy-admin; do
        var="CLUSTER_KEY_$(echo "$role" | tr 'a-z-' 'A-Z_')"
        echo "$var=$role-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
      done
    } >"$CLUSTER_DIR/keys.env"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$CLUSTER_DIR/digest-signing.pem" 2>/dev/null
    umask 022
  fi
}

# The settings every node (and the admin commands) gets, as environment variables: Production, API keys by hash,
# the signing key, the shared digest archive, the multi-host connection strings.
node_env() { # port or "admin"
  local primary standby i=0 role key
  primary="$(primary_port)"; standby="$(standby_port)"
  local hosts="127.0.0.1:$primary,127.0.0.1:$standby"
  echo "ASPNETCORE_ENVIRONMENT=Production"
  echo "DOTNET_ENVIRONMENT=Production"
  # Writes (and everything else) go to whichever server is the primary; Npgsql re-checks a host's role every 2 s.
  echo "ConnectionStrings__Ledger=Host=$hosts;Database=salex;Username=salex_app;Target Session Attributes=primary;Host Recheck Seconds=2;Timeout=5;Application Name=salex-node-$1"
  # Rights reads prefer the standby (remote_apply: a commit acknowledged by the primary is already visible there).
  echo "ConnectionStrings__LedgerReads=Host=127.0.0.1:$standby,127.0.0.1:$primary;Database=salex;Username=salex_app;Target Session Attributes=prefer-standby;Host Recheck Seconds=2;Timeout=5;Application Name=salex-reads-$1"
  echo "Ledger__DigestArchive=$CLUSTER_DIR/digests"
  echo "Regime__RatesRefreshSeconds=$RATES_REFRESH"
  [ -n "${LEDGER_CLUSTER_SWEEP_SCHEDULE:-}" ] && echo "Ledger__LapseSweepSchedule=$LEDGER_CLUSTER_SWEEP_SCHEDULE"
  [ -n "${LEDGER_CLUSTER_DIGEST_SCHEDULE:-}" ] && echo "Ledger__DigestSchedule=$LEDGER_CLUSTER_DIGEST_SCHEDULE"
  while IFS='=' read -r var key; do
    role="$(echo "${var#CLUSTER_KEY_}" | tr 'A-Z_' 'a-z-')"
    echo "Auth__ApiKeys__${i}__Name=cluster-$role"
    echo "Auth__ApiKeys__${i}__Role=$role"
    echo "Auth__ApiKeys__${i}__Sha256=$(printf %s "$key" | sha256sum | cut -c1-64)"
    i=$((i + 1))
  done <"$CLUSTER_DIR/keys.env"
}

run_admin() { # runs an admin command of the API against the primary as the schema owner
  local primary; primary="$(primary_port)"
  (
    set -a
    while IFS= read -r line; do export "${line?}"; done < <(node_env admin)
    export "Ledger__DigestSigningKey=$(cat "$CLUSTER_DIR/digest-signing.pem")"
    export "ConnectionStrings__Ledger=Host=127.0.0.1;Port=$primary;Database=salex;Username=${CLUSTER_ADMIN_USER:-salex_owner}"
    cd "$API_DIR" && dotnet Ledger.Api.dll "$@"
  )
}

start_primary() {
  local port="$1"
  # db/start.sh: the same binaries, roles and databases as every checkout's cluster (initdb on first use).
  LEDGER_PG_DATA="$(pgdir "$port")" LEDGER_PG_PORT="$port" ./db/start.sh 2>&1 | sed 's/^/  /' >&2
  if [ "$(in_recovery "$port")" = "t" ]; then say "server on $port is a standby, not starting it as the primary"; exit 1; fi
  # A commit returns once the standby has applied it (no acknowledged payment lost with the primary; reads on the
  # standby see it). Set with ALTER SYSTEM so that a promoted standby can drop it (see failover).
  psql_at "$port" "alter system set synchronous_commit = 'remote_apply'" >/dev/null
  psql_at "$port" "select pg_reload_conf()" >/dev/null
}

ensure_standby() {
  local primary="$1" port="$2" dir; dir="$(pgdir "$port")"
  if pg_running "$port"; then
    if [ "$(in_recovery "$port")" = "t" ]; then return 0; fi
    say "server on $port is running as a primary beside $primary (split brain?): stopping it"
    as_pg_user "$PGBIN/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null || true
  fi
  # Rebuilt from the primary every time it is not running (first start, or the old primary after a failover).
  say "building the standby on $port from the primary on $primary (pg_basebackup -R, slot $SLOT)"
  rm -rf "$dir" "$dir.log"
  mkdir -p "$dir"; chmod 700 "$dir"; chown postgres: "$dir" 2>/dev/null || true
  psql_at "$primary" "select pg_drop_replication_slot('$SLOT') from pg_replication_slots where slot_name = '$SLOT'" >/dev/null
  as_pg_user "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir" -R -C -S "$SLOT" -X stream -c fast
  # Not a synchronous primary of its own once promoted: the setting is the primary's, copied by the base backup.
  echo "synchronous_standby_names = ''" | as_pg_user tee -a "$dir/postgresql.auto.conf" >/dev/null
  touch "$dir.log"; chown postgres: "$dir.log" 2>/dev/null || true
  as_pg_user "$PGBIN/pg_ctl" -D "$dir" -l "$dir.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=200 -c hot_standby=on -c hot_standby_feedback=on -c cluster_name=$STANDBY_NAME" \
    start >/dev/null
  # The primary waits for this standby from now on (synchronous replication, FIRST 1).
  psql_at "$primary" "alter system set synchronous_standby_names = '$STANDBY_NAME'" >/dev/null
  psql_at "$primary" "select pg_reload_conf()" >/dev/null
  for _ in $(seq 1 60); do
    [ "$(psql_at "$primary" "select sync_state from pg_stat_replication where application_name = '$STANDBY_NAME'")" = "sync" ] && return 0
    sleep 0.5
  done
  say "the standby on $port did not become synchronous"; exit 1
}

node_pid() { cat "$CLUSTER_DIR/node-$1.pid" 2>/dev/null || true; }
node_alive() { local pid; pid="$(node_pid "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

start_node() {
  local port="$1"
  if node_alive "$port"; then return 0; fi
  local envfile="$CLUSTER_DIR/node-$port.env"
  (umask 077; node_env "$port" >"$envfile")
  # Started in their own session so a terminal's signals do not reach them; stdout and stderr to the node's log.
  (
    set -a
    while IFS= read -r line; do export "${line?}"; done <"$envfile"
    export "Ledger__DigestSigningKey=$(cat "$CLUSTER_DIR/digest-signing.pem")"
    export "Urls=http://127.0.0.1:$port"
    # Each log line stamped (UTC), so that the nodes' logs can be laid side by side after a kill.
    export "Logging__Console__FormatterOptions__TimestampFormat=HH:mm:ss.fff "
    export "Logging__Console__FormatterOptions__UseUtcTimestamp=true"
    cd "$API_DIR"
    exec setsid dotnet Ledger.Api.dll >>"$CLUSTER_DIR/node-$port.log" 2>&1 </dev/null
  ) &
  echo $! >"$CLUSTER_DIR/node-$port.pid"
}

wait_healthy() { # url, seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1/health")" = "200" ] && return 0
    sleep 0.5
  done
  return 1
}

write_haproxy_config() {
  local servers="" i=1 port
  for port in "${NODE_PORTS[@]}"; do
    servers+="    server node$i 127.0.0.1:$port check"$'\n'; i=$((i + 1))
  done
  cat >"$CLUSTER_DIR/haproxy.cfg" <<EOF
# Written by cluster.sh. One frontend over the three nodes, one over node 1 only (the 1-vs-3 comparison).
global
    maxconn 4096
    stats socket $CLUSTER_DIR/haproxy.sock mode 600 level admin
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # Only a request that never reached a node is sent to another one (a POST that did may have been recorded).
    retries 2
    option redispatch
    retry-on conn-failure
    default-server inter 1s fall 2 rise 2
frontend ledger
    bind 127.0.0.1:$LB_PORT
    default_backend nodes
frontend ledger_one
    bind 127.0.0.1:$LB_ONE_PORT
    default_backend node_one
backend nodes
    balance leastconn
    option httpchk GET /health
    http-check expect status 200
$servers
backend node_one
    option httpchk GET /health
    http-check expect status 200
    server node1 127.0.0.1:${NODE_PORTS[0]} check
EOF
}

haproxy_alive() { local pid; pid="$(cat "$CLUSTER_DIR/haproxy.pid" 2>/dev/null || true)"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

cmd_up() {
  mkdir -p "$CLUSTER_DIR"; chmod 755 "$CLUSTER_DIR"
  ensure_pg_bin; ensure_haproxy; ensure_secrets
  local primary standby
  primary="$(primary_port)"; standby="$(standby_port)"
  echo "$primary" >"$CLUSTER_DIR/primary-port"
  start_primary "$primary"
  ensure_standby "$primary" "$standby"
  ensure_publish
  if [ ! -f "$CLUSTER_DIR/schema-applied" ] || [ "$API_DLL" -nt "$CLUSTER_DIR/schema-applied" ]; then
    say "applying the schema as salex_owner (db-apply)"
    run_admin db-apply >"$CLUSTER_DIR/db-apply.log" 2>&1 || { cat "$CLUSTER_DIR/db-apply.log" >&2; exit 1; }
    touch "$CLUSTER_DIR/schema-applied"
  fi
  local port
  for port in "${NODE_PORTS[@]}"; do start_node "$port"; done
  for port in "${NODE_PORTS[@]}"; do
    wait_healthy "http://127.0.0.1:$port" 120 || { say "node $port did not become healthy; see $CLUSTER_DIR/node-$port.log"; exit 1; }
  done
  write_haproxy_config
  if haproxy_alive; then
    haproxy -f "$CLUSTER_DIR/haproxy.cfg" -D -p "$CLUSTER_DIR/haproxy.pid" -sf "$(cat "$CLUSTER_DIR/haproxy.pid")"
  else
    haproxy -f "$CLUSTER_DIR/haproxy.cfg" -D -p "$CLUSTER_DIR/haproxy.pid"
  fi
  wait_healthy "http://127.0.0.1:$LB_PORT" 30 || { say "the balancer does not answer"; exit 1; }
  say "up: balancer http://127.0.0.1:$LB_PORT (node 1 alone: $LB_ONE_PORT), nodes ${NODE_PORTS[*]}, primary $primary, standby $standby"
  say "keys: $CLUSTER_DIR/keys.env"
}

stop_node() { # port, signal
  local pid; pid="$(node_pid "$1")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "-${2:-TERM}" "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$CLUSTER_DIR/node-$1.pid"
}

cmd_down() {
  local port
  if haproxy_alive; then kill "$(cat "$CLUSTER_DIR/haproxy.pid")" 2>/dev/null || true; fi
  for port in "${NODE_PORTS[@]}"; do stop_node "$port"; done
  if PGBIN="$(find_pg_bin)"; then
    for port in "${PG_PORTS[@]}"; do
      pg_running "$port" && as_pg_user "$PGBIN/pg_ctl" -D "$(pgdir "$port")" -m fast -w stop >/dev/null || true
    done
  fi
  rm -rf "$CLUSTER_DIR"
  say "down: removed $CLUSTER_DIR"
}

cmd_status() {
  PGBIN="$(find_pg_bin)" || { say "no PostgreSQL binaries"; exit 1; }
  local port role pid code
  [ -d "$CLUSTER_DIR" ] || { say "not up ($CLUSTER_DIR does not exist)"; return 0; }
  for port in "${PG_PORTS[@]}"; do
    if pg_running "$port"; then
      role="$([ "$(in_recovery "$port")" = "t" ] && echo standby || echo primary)"
      echo "postgres $port: running, $role"
      if [ "$role" = primary ]; then
        psql_at "$port" "select '  replication: ' || application_name || ' ' || state || ' ' || sync_state || ', replay lag ' || coalesce(replay_lag::text, '0') from pg_stat_replication" || true
      else
        psql_at "$port" "select '  replayed up to ' || pg_last_wal_replay_lsn() || ', last commit replayed ' || coalesce(now() - pg_last_xact_replay_timestamp(), '0')::text || ' ago'" || true
      fi
    else
      echo "postgres $port: stopped"
    fi
  done
  for port in "${NODE_PORTS[@]}"; do
    pid="$(node_pid "$port")"
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port/health" || true)"
    if node_alive "$port"; then echo "node $port: running (pid $pid), /health $code"; else echo "node $port: stopped"; fi
  done
  if haproxy_alive; then
    echo "haproxy $LB_PORT/$LB_ONE_PORT: running (pid $(cat "$CLUSTER_DIR/haproxy.pid"))"
    echo "show stat" | socat_or_nc | awk -F, 'NR > 1 && $2 ~ /^node/ { print "  " $1 "/" $2 ": " $18 }' || true
  else
    echo "haproxy: stopped"
  fi
  local primary; primary="$(primary_port)"
  if pg_running "$primary"; then
    psql_at "$primary" "select '  wolverine node ' || node_number || ' (' || id || ') heartbeat ' || (now() - health_check)::text || ' ago' from salex.wolverine_nodes order by node_number" salex 2>/dev/null || true
    psql_at "$primary" "select '  agent ' || a.id || ' on node ' || n.node_number from salex.wolverine_node_assignments a join salex.wolverine_nodes n on n.id = a.node_id order by a.id" salex 2>/dev/null || true
  fi
}

# HAProxy's stats socket, read with python (always on Debian's images with apt) to avoid another package.
socat_or_nc() {
  python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.stdin.buffer.read())
out=b""
while True:
    b=s.recv(65536)
    if not b: break
    out+=b
sys.stdout.write(out.decode())' "$CLUSTER_DIR/haproxy.sock"
}

cmd_failover() {
  PGBIN="$(find_pg_bin)"
  local old new
  old="$(primary_port)"; new="$(standby_port)"
  pg_running "$new" || { say "the standby on $new is not running: nothing to promote"; exit 1; }
  [ "$(in_recovery "$new")" = "t" ] || { say "the server on $new is already a primary"; echo "$new" >"$CLUSTER_DIR/primary-port"; return 0; }
  # Fence the old primary first: it must not take writes again (it is rebuilt as a standby by the next 'up').
  if pg_running "$old"; then
    say "stopping the old primary on $old (fencing)"
    as_pg_user "$PGBIN/pg_ctl" -D "$(pgdir "$old")" -m immediate -w stop >/dev/null || true
  fi
  say "promoting the standby on $new"
  as_pg_user "$PGBIN/pg_ctl" -D "$(pgdir "$new")" -w -t 60 promote >/dev/null
  # Alone now: commits must not wait for a standby that does not exist.
  psql_at "$new" "alter system set synchronous_standby_names = ''" >/dev/null
  psql_at "$new" "select pg_reload_conf()" >/dev/null
  echo "$new" >"$CLUSTER_DIR/primary-port"
  say "primary is now $new; the nodes find it through their multi-host connection strings. './cluster.sh up' rebuilds a standby."
}

cmd_env() {
  cat "$CLUSTER_DIR/keys.env"
  echo "CLUSTER_DIR=$CLUSTER_DIR"
  echo "CLUSTER_LB=http://127.0.0.1:$LB_PORT"
  echo "CLUSTER_LB_ONE=http://127.0.0.1:$LB_ONE_PORT"
  echo "CLUSTER_NODE_PORTS=\"${NODE_PORTS[*]}\""
  echo "CLUSTER_PG_PRIMARY=$(primary_port)"
  echo "CLUSTER_PG_STANDBY=$(standby_port)"
  echo "CLUSTER_PGBIN=$(find_pg_bin)"
}

# Rights throughput through the balancer: node 1 alone (port LB_ONE) against all three (LB), wrk on GET /api/rights.
cmd_bench() {
  local seconds="${1:-20}" connections="${CLUSTER_BENCH_CONNECTIONS:-16}" accounts="$CLUSTER_DIR/bench-accounts" i body today number
  command -v wrk >/dev/null 2>&1 || { say "wrk not found (apt-get install wrk)"; exit 1; }
  source "$CLUSTER_DIR/keys.env"
  today="$(date -u -d '-6 hours' +%F)"
  if [ ! -s "$accounts" ]; then
    say "enrolling 300 accounts to read"
    for i in $(seq 1 300); do
      local d; d="$(printf '%08d' $((70000000 + i)))"; local s=0 k
      for k in 0 1 2 3 4 5 6 7; do s=$((s + ${d:$k:1} * (9 - k))); done
      body="{\"dui\":\"$d-$(((10 - s % 10) % 10))\",\"fullName\":\"Bench $i\",\"birthDate\":\"1980-01-01\",\"countryOfResidence\":\"US\",\"enrolledOn\":\"$today\",\"eligibilityChecks\":{\"identityVerified\":true,\"residesAbroad\":true,\"notInsuredElsewhere\":true}}"
      number="$(curl -s --max-time 10 -X POST -H "X-Api-Key: $CLUSTER_KEY_ADMIN" -H 'Content-Type: application/json' \
        --data-binary "$body" "http://127.0.0.1:$LB_PORT/api/insured" | sed -nE 's/.*"affiliationNumber":"?([0-9]+)"?.*/\1/p')"
      [ -n "$number" ] && echo "$number" >>"$accounts"
    done
  fi
  cat >"$CLUSTER_DIR/rights.lua" <<'LUA'
local numbers = {}
for line in io.lines(os.getenv("CLUSTER_BENCH_ACCOUNTS")) do numbers[#numbers + 1] = line end
local key = os.getenv("CLUSTER_BENCH_KEY")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/rights/" .. numbers[math.random(#numbers)], { ["X-Api-Key"] = key })
end
LUA
  local out="$REPO_ROOT/artifacts/cluster-bench.txt" label port
  mkdir -p "$REPO_ROOT/artifacts"; : >"$out"
  for label in "one node:$LB_ONE_PORT" "three nodes:$LB_PORT"; do
    port="${label##*:}"
    # a short warm-up, then the measured run
    CLUSTER_BENCH_ACCOUNTS="$accounts" CLUSTER_BENCH_KEY="$CLUSTER_KEY_RIGHTS_READER" wrk -t2 -c"$connections" -d5s -s "$CLUSTER_DIR/rights.lua" "http://127.0.0.1:$port" >/dev/null
    local before after result
    before="$(cut -d' ' -f1-3 /proc/loadavg)"
    result="$(CLUSTER_BENCH_ACCOUNTS="$accounts" CLUSTER_BENCH_KEY="$CLUSTER_KEY_RIGHTS_READER" wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$CLUSTER_DIR/rights.lua" "http://127.0.0.1:$port")"
    after="$(cut -d' ' -f1-3 /proc/loadavg)"
    {
      echo "== ${label%%:*} (balancer port $port), $connections connections, ${seconds} s; load average before $before, after $after"
      echo "$result"
    } | tee -a "$out"
  done
  say "written to $out"
}

node_port_of() { local n="$1"; [[ "$n" =~ ^[1-9]$ ]] && [ "$n" -le "${#NODE_PORTS[@]}" ] || { say "node 1..${#NODE_PORTS[@]}"; exit 2; }; echo "${NODE_PORTS[$((n - 1))]}"; }

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  failover) cmd_failover ;;
  env) cmd_env ;;
  test) shift; exec tests/cluster-test.sh "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  publish) ensure_publish ;;
  admin) shift; PGBIN="$(find_pg_bin)"; run_admin "$@" ;;
  start-node) PGBIN="$(find_pg_bin)"; start_node "$(node_port_of "${2:-}")"; wait_healthy "http://127.0.0.1:$(node_port_of "$2")" 120 ;;
  stop-node) stop_node "$(node_port_of "${2:-}")" TERM ;;
  kill-node) stop_node "$(node_port_of "${2:-}")" KILL ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
