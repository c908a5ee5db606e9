#!/usr/bin/env bash
# Starts (creating it on first use) a private PostgreSQL cluster for this checkout on
# 127.0.0.1:$LEDGER_PG_PORT (default 55432) with the databases salex, salex_test and salex_bench.
# Idempotent: when the cluster already runs, this does nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if ! PGBIN="$(find_pg_bin)"; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "db: PostgreSQL server binaries not found; installing them with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    PGBIN="$(find_pg_bin)"
  else
    echo "db: PostgreSQL server binaries (initdb, pg_ctl) not found." >&2
    echo "    Install them, e.g. 'sudo apt-get install postgresql' (Debian/Ubuntu), or set LEDGER_PG_BIN." >&2
    exit 1
  fi
fi

if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
  # The postgres user must reach the data folder; if the checkout's path is closed to it,
  # keep the cluster under /var/tmp instead.
  mkdir -p "$PGDATA_LOCAL"
  chown postgres: "$PGDATA_LOCAL"
  if ! runuser -u postgres -- test -w "$PGDATA_LOCAL"; then
    PGDATA_LOCAL="/var/tmp/salex-pg-$(echo "$REPO_ROOT" | md5sum | cut -c1-8)"
    PGLOG_LOCAL="$PGDATA_LOCAL.log"
    mkdir -p "$PGDATA_LOCAL"; chown postgres: "$PGDATA_LOCAL"
  fi
  touch "$PGLOG_LOCAL"; chown postgres: "$PGLOG_LOCAL"
fi

if [ ! -s "$PGDATA_LOCAL/PG_VERSION" ]; then
  echo "db: creating cluster in $PGDATA_LOCAL" >&2
  mkdir -p "$PGDATA_LOCAL"; chmod 700 "$PGDATA_LOCAL"
  as_pg_user "$PGBIN/initdb" -D "$PGDATA_LOCAL" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi

if as_pg_user "$PGBIN/pg_ctl" -D "$PGDATA_LOCAL" status >/dev/null 2>&1; then
  echo "db: already running on 127.0.0.1:$PGPORT_LOCAL" >&2
else
  if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT_LOCAL" 2>/dev/null; then
    echo "db: port $PGPORT_LOCAL is taken by another server (another checkout's cluster?)." >&2
    echo "    Stop it, or choose another port: LEDGER_PG_PORT=55433 $0" >&2
    exit 1
  fi
  as_pg_user "$PGBIN/pg_ctl" -D "$PGDATA_LOCAL" -l "$PGLOG_LOCAL" -w -t 60 \
    -o "-p $PGPORT_LOCAL -c listen_addresses=127.0.0.1 -k $PGDATA_LOCAL -c max_connections=200 -c fsync=${LEDGER_PG_FSYNC:-on}" start >/dev/null
  echo "db: started on 127.0.0.1:$PGPORT_LOCAL (data $PGDATA_LOCAL, log $PGLOG_LOCAL)" >&2
fi

# Two roles (cluster-wide): salex_owner owns the schema and runs migrations (db-apply); salex_app is what the
# service connects as in production, and may append events but not update, delete or truncate them (the grants
# are applied by the ledger's own migration). Trust authentication on loopback here; production sets passwords.
for role in salex_owner salex_app; do
  as_pg_user "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT_LOCAL" -U postgres -d postgres -qtAc \
    "do \$\$ begin if not exists (select from pg_roles where rolname = '$role') then create role $role login; end if; end \$\$" >/dev/null
done

for db in salex salex_test salex_bench; do
  exists=$(as_pg_user "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT_LOCAL" -U postgres -d postgres -tAc "select 1 from pg_database where datname='$db'")
  if [ "$exists" != "1" ]; then
    as_pg_user "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT_LOCAL" -U postgres -d postgres -qc "create database $db" >/dev/null
  fi
  as_pg_user "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT_LOCAL" -U postgres -d postgres -qc \
    "grant connect, create on database $db to salex_owner; grant connect on database $db to salex_app" >/dev/null
done
