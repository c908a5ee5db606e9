#!/usr/bin/env bash
# Starts the local PostgreSQL of this checkout if needed, then runs every test of the solution
# (unit tests, and HTTP tests through the real host against the salex_test database).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./db/start.sh
export LEDGER_TEST_CONNECTION="${LEDGER_TEST_CONNECTION:-Host=127.0.0.1;Port=${LEDGER_PG_PORT:-55432};Database=salex_test;Username=postgres}"
exec dotnet test Ledger.sln "$@"
