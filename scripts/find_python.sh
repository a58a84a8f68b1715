#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 needs Python 3.8-3.10; we use 3.10).
# Looks at $PYTHON, python3.10 on PATH, then pyenv's versions; explains what to do if none is found.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

for candidate in "${PYTHON:-}" "$(command -v python3.10 || true)"; do
  if [ -n "$candidate" ] && is_310 "$candidate"; then echo "$candidate"; exit 0; fi
done
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
for candidate in $(ls -d "$pyenv_root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V -r); do
  if is_310 "$candidate"; then echo "$candidate"; exit 0; fi
done

cat >&2 <<'MSG'
Python 3.10 was not found. Rasa 3.6 runs on Python 3.8 to 3.10, and this project uses 3.10.
Install it one of these ways, then run the command again:
  - with pyenv:            pyenv install 3.10
  - on Debian or Ubuntu:   sudo apt-get install python3.10 python3.10-venv
  - on macOS (Homebrew):   brew install python@3.10
Or point at an interpreter you already have:  PYTHON=/path/to/python3.10 make run
MSG
exit 1
