#!/usr/bin/env bash
# Debian packages that parts of the assistant need: installed where missing and possible (as root, with
# apt-get); otherwise it says what to install and exits with 1.
#   scripts/system_packages.sh chromium   the browser tests (Playwright drives /usr/bin/chromium)
#   scripts/system_packages.sh nginx      several Rasa servers behind one address (make run-cluster)
set -uo pipefail

need() {  # need BINARY PACKAGE WHAT_FOR
  local binary=$1 package=$2 what_for=$3
  [ -x "$binary" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's $package: $what_for"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "$package" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$package" >/dev/null 2>&1; } \
      || echo "Could not install $package with apt-get."
  fi
  [ -x "$binary" ] && return 0
  echo "$what_for: this needs $binary. On Debian or Ubuntu run 'sudo apt-get install $package'."
  return 1
}

status=0
for name in "$@"; do
  case "$name" in
    chromium) need "${CHROMIUM_PATH:-/usr/bin/chromium}" chromium "the browser tests" || status=1 ;;
    nginx) need /usr/sbin/nginx nginx-light "several Rasa servers behind one address" || status=1 ;;
    *) echo "unknown package: $name"; status=2 ;;
  esac
done
exit $status
