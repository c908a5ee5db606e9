#!/usr/bin/env bash
# Wolverine's handler and endpoint classes, generated ahead of time for Release builds (README "Generated code").
#   ./codegen.sh          rewrite src/Ledger.Api/Internal/Generated/ from the current handlers and endpoints
#   ./codegen.sh --check  change nothing; exit 1 with the difference if the committed files are stale (CI runs it)
# Run it after changing a handler, an endpoint's signature, a middleware or a Wolverine policy, and commit the result.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

project=src/Ledger.Api
committed="$project/Internal/Generated"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# A Debug build has the runtime compiler and leaves the committed files out, so stale files never stop this script.
dotnet build "$project" -c Debug -nologo -v quiet -clp:ErrorsOnly >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
# The code as a Production host generates it, written under a scratch content root. Nothing connects to a database;
# the connection string only has to be set.
mkdir -p "$out/root"
if ! ConnectionStrings__Ledger="${ConnectionStrings__Ledger:-Host=127.0.0.1;Database=salex}" \
    dotnet "$project/bin/Debug/net10.0/Ledger.Api.dll" codegen write --environment Production --contentroot "$out/root" \
    >"$out/codegen.log" 2>&1; then
  cat "$out/codegen.log"; exit 1
fi
generated="$out/root/Internal/Generated"
[ -d "$generated" ] || { cat "$out/codegen.log"; echo "codegen: nothing was generated" >&2; exit 1; }

if $check; then
  if diff -r -u "$committed" "$generated" >"$out/diff" 2>&1; then
    echo "codegen: $committed is up to date ($(find "$generated" -name '*.cs' | wc -l) files)"
  else
    head -200 "$out/diff"
    echo "codegen: $committed is stale: run ./codegen.sh and commit the result" >&2
    exit 1
  fi
else
  rm -rf "$committed"
  mkdir -p "$(dirname "$committed")"
  cp -r "$generated" "$committed"
  echo "codegen: wrote $(find "$committed" -name '*.cs' | wc -l) files to $committed"
fi
