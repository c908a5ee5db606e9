#!/usr/bin/env bash
# Starts the local PostgreSQL of this checkout if needed, builds the benchmark (and the API) in Release,
# and runs it against the salex_bench database: the ledger against the raw database, in the same run.
#   ./bench.sh                        full run (several minutes), writes docs/benchmarks.md
#   ./bench.sh --smoke                a few seconds per workload (CI), writes artifacts/benchmarks-smoke.md
#   ./bench.sh --population 20000     any option of the program; ./bench.sh --help lists them
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./db/start.sh
export LEDGER_BENCH_CONNECTION="${LEDGER_BENCH_CONNECTION:-Host=127.0.0.1;Port=${LEDGER_PG_PORT:-55432};Database=salex_bench;Username=postgres}"
dotnet build tests/Ledger.Benchmarks/Ledger.Benchmarks.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet tests/Ledger.Benchmarks/bin/Release/net10.0/Ledger.Benchmarks.dll --repo "$PWD" "$@"
