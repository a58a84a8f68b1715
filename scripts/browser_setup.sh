#!/usr/bin/env bash
# What the browser tests need: Debian's chromium (/usr/bin/chromium, driven by Playwright; no browser is
# downloaded) and axe-core from npm (package-lock.json). Installs what is missing where it can; otherwise
# says what to install. The browser tests skip with the same message, except under CI=true, where they fail.
set -uo pipefail
cd "$(dirname "$0")/.."
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } \
      || echo "Could not install chromium with apt-get."
  fi
  [ -x "$CHROMIUM" ] || echo "The browser tests need Chromium at $CHROMIUM: on Debian or Ubuntu run" \
    "'sudo apt-get install chromium', or set CHROMIUM_PATH to a Chromium or Chrome binary."
fi

if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error && touch node_modules/axe-core/axe.min.js
  else
    echo "The accessibility scan needs axe-core from npm: install Node.js and npm, then run 'npm ci'."
  fi
fi
exit 0
