#!/usr/bin/env bash
# What the browser tests need: Debian's chromium (/usr/bin/chromium, driven by Playwright; no browser is
# downloaded) and axe-core from npm (package-lock.json). Installs what is missing where it can; otherwise
# says what to install. The browser tests skip with the same message, except under CI=true, where they fail.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/system_packages.sh chromium || echo "Or set CHROMIUM_PATH to a Chromium or Chrome binary."

if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error && touch node_modules/axe-core/axe.min.js
  else
    echo "The accessibility scan needs axe-core from npm: install Node.js and npm, then run 'npm ci'."
  fi
fi
exit 0
