#!/usr/bin/env bash
# The browser tests' prerequisites (README "Console"): Debian's Chromium and its matching driver, installed when
# missing as db/start.sh installs PostgreSQL. Without them (no root, no apt) this fails loudly, and so do the tests:
# they never skip silently.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "browser: chromium or chromium-driver missing; installing them with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >&2
else
  echo "browser: chromium and chromedriver are required for the console's browser tests." >&2
  echo "    Install them, e.g. 'sudo apt-get install chromium chromium-driver' (Debian), or run as root." >&2
  exit 1
fi
command -v chromium >/dev/null && command -v chromedriver >/dev/null
