# Shared settings for the local PostgreSQL cluster of this checkout. Sourced, not run.
# LEDGER_PG_PORT (default 55432) and LEDGER_PG_DATA (default <repo>/.pgdata) override.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGPORT_LOCAL="${LEDGER_PG_PORT:-55432}"
PGDATA_LOCAL="${LEDGER_PG_DATA:-$REPO_ROOT/.pgdata}"
PGLOG_LOCAL="$PGDATA_LOCAL.log"

find_pg_bin() {
  local candidate
  if [ -n "${LEDGER_PG_BIN:-}" ] && [ -x "$LEDGER_PG_BIN/pg_ctl" ]; then echo "$LEDGER_PG_BIN"; return 0; fi
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$candidate/pg_ctl" ] && [ -x "$candidate/initdb" ]; then echo "$candidate"; return 0; fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"; return 0
  fi
  return 1
}

# As root, the server must run as the postgres user (initdb refuses root).
as_pg_user() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
