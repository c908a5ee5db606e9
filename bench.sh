#!/usr/bin/env bash
# Starts the local PostgreSQL of this checkout if needed, builds the benchmark in Release, publishes the API as
# production would run it (Release, ReadyToRun, pre-generated handler code: README "Generated code") to
# artifacts/api/, and runs the benchmark against the salex_bench database: the ledger against the raw database.
#   ./bench.sh                        full run (several minutes), writes docs/benchmarks.md
#   ./bench.sh --smoke                a few seconds per workload (CI), writes artifacts/benchmarks-smoke.md
#   ./bench.sh --only cold,http       focused run of some workloads (writes artifacts/benchmarks-focused.md)
#   ./bench.sh --population 20000     any option of the program; ./bench.sh --help lists them
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./db/start.sh
export LEDGER_BENCH_CONNECTION="${LEDGER_BENCH_CONNECTION:-Host=127.0.0.1;Port=${LEDGER_PG_PORT:-55432};Database=salex_bench;Username=postgres}"
dotnet build tests/Ledger.Benchmarks/Ledger.Benchmarks.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
rm -rf artifacts/api
dotnet publish src/Ledger.Api/Ledger.Api.csproj -c Release -r linux-x64 --self-contained true -o artifacts/api \
  -nologo -v quiet -clp:ErrorsOnly
exec dotnet tests/Ledger.Benchmarks/bin/Release/net10.0/Ledger.Benchmarks.dll --repo "$PWD" --api "$PWD/artifacts/api/Ledger.Api.dll" "$@"
