#!/usr/bin/env bash
# Start the action server and the Rasa server in the foreground; Ctrl-C stops both.
# Called by `make run` after set-up and training; ports and URLs come from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_BIN=.venv/bin
: "${RASA_PORT:=5005}" "${ACTION_PORT:=5055}" "${RASA_MODEL:=models/careers.tar.gz}"

up() { "$VENV_BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" \
       >/dev/null 2>&1; }

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$VENV_BIN/rasa" run actions --actions bot.actions --port "$ACTION_PORT" &
pids+=($!)
"$VENV_BIN/rasa" run --model "$RASA_MODEL" --port "$RASA_PORT" --credentials credentials.yml \
  --endpoints endpoints.yml &
pids+=($!)

echo "Starting: Rasa server on port $RASA_PORT, action server on port $ACTION_PORT (Ctrl-C stops both)."
for _ in $(seq 1 180); do
  if up "http://127.0.0.1:$RASA_PORT/" && up "http://127.0.0.1:$ACTION_PORT/health"; then
    echo "Ready. Chat over REST: curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"hi\"}'"
    break
  fi
  sleep 1
done
# Whichever process ends first ends the run.
wait -n "${pids[@]}"
