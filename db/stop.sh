#!/usr/bin/env bash
# Stops the private PostgreSQL cluster of this checkout (no-op when it is not running).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PGBIN="$(find_pg_bin)" || { echo "db: no PostgreSQL binaries" >&2; exit 0; }
for dir in "$PGDATA_LOCAL" "/var/tmp/salex-pg-$(echo "$REPO_ROOT" | md5sum | cut -c1-8)"; do
  if [ -s "$dir/PG_VERSION" ] && as_pg_user "$PGBIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_pg_user "$PGBIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null && echo "db: stopped ($dir)" >&2
  fi
done
