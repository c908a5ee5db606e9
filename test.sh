#!/usr/bin/env bash
# Starts the local PostgreSQL of this checkout if needed, then runs every test of the solution
# (unit tests, HTTP tests through the real host against the salex_test database, and the console's browser tests
# in a headless Chromium against the API run as a process on the salex_test_console database).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./db/start.sh
# The console's browser tests drive Debian's Chromium (installed here when missing, as root). If it cannot be
# installed, say so and go on: those tests then fail naming what is missing, and every other test still runs.
./tests/browser.sh || echo "test: chromium/chromedriver unavailable; the console's browser tests will fail" >&2
export LEDGER_TEST_CONNECTION="${LEDGER_TEST_CONNECTION:-Host=127.0.0.1;Port=${LEDGER_PG_PORT:-55432};Database=salex_test;Username=postgres}"
exec dotnet test Ledger.sln "$@"
