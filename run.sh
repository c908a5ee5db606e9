#!/usr/bin/env bash
# Starts the local PostgreSQL of this checkout if needed, then the ledger API on
# http://127.0.0.1:5080 (override with LEDGER_URLS). Development mode: schema created at startup,
# the dev-* API keys work, the OpenAPI document is browsable at /scalar.
set -euo pipefail
# No cd: a file named on the command's line (./run.sh import-bank-file FILE) stays relative to where it was typed.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/db/start.sh"
export ConnectionStrings__Ledger="${ConnectionStrings__Ledger:-Host=127.0.0.1;Port=${LEDGER_PG_PORT:-55432};Database=salex;Username=postgres}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
# Only when given: otherwise the service's own default (http://127.0.0.1:5080), or ASPNETCORE_HTTP_PORTS if set.
if [ -n "${LEDGER_URLS:-}" ]; then export ASPNETCORE_URLS="$LEDGER_URLS"; fi
exec dotnet run --project "$root/src/Ledger.Api" --no-launch-profile -- "$@"
