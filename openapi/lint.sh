#!/usr/bin/env bash
# Lints the committed OpenAPI contract (openapi/v1.json) with Redocly's recommended rules; fails on any error.
# Installs @redocly/cli from the npm registry into .tools/redocly (git-ignored) the first time; needs node and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
version=2.77.0
tool=.tools/redocly
if [ ! -x "$tool/node_modules/.bin/redocly" ] || ! grep -q "\"version\": \"$version\"" "$tool/node_modules/@redocly/cli/package.json" 2>/dev/null; then
  if ! command -v npm >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get install -y -qq nodejs npm >/dev/null
    else
      echo "openapi/lint.sh: npm is needed (apt-get install nodejs npm)"; exit 1
    fi
  fi
  mkdir -p "$tool"
  npm install --prefix "$tool" --no-audit --no-fund --silent "@redocly/cli@$version" >/dev/null
fi
"$tool/node_modules/.bin/redocly" lint openapi/v1.json --format=summary 2>&1 | grep -Ev '^\s*(║|╔|╚)' 
