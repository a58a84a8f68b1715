#!/usr/bin/env bash
# Start the action server, the Rasa server and the web app in the foreground; Ctrl-C stops all three.
# Called by `make run` after set-up and training; ports and URLs come from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_BIN=.venv/bin
: "${RASA_PORT:=5005}" "${ACTION_PORT:=5055}" "${WEB_PORT:=8000}" "${RASA_MODEL:=models/careers.tar.gz}"
export RASA_PORT WEB_PORT

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
# Rasa listens on this machine only: students reach it through the web app. Its HTTP API (conversations,
# trackers, model) stays off unless RASA_API_TOKEN is set, and then every call needs that token.
api=()
if [ -n "${RASA_API_TOKEN:-}" ]; then api=(--enable-api --auth-token "$RASA_API_TOKEN"); fi
"$VENV_BIN/rasa" run --model "$RASA_MODEL" --interface "${RASA_HOST:-127.0.0.1}" --port "$RASA_PORT" \
  --credentials credentials.yml --endpoints endpoints.yml "${api[@]}" &
pids+=($!)
"$VENV_BIN/python" -m web &
pids+=($!)

echo "Starting: Rasa server on port $RASA_PORT, action server on port $ACTION_PORT, web app on port $WEB_PORT."
echo "Ctrl-C stops all three. The first start takes a minute or two while Rasa loads its model."
for _ in $(seq 1 180); do
  if up "http://127.0.0.1:$RASA_PORT/" && up "http://127.0.0.1:$ACTION_PORT/health" \
     && up "http://127.0.0.1:$WEB_PORT/health"; then
    echo "Ready. Open http://localhost:$WEB_PORT/demo to chat, or http://localhost:$WEB_PORT/teacher to set up a lesson."
    break
  fi
  sleep 1
done
# Whichever process ends first ends the run.
wait -n "${pids[@]}"
