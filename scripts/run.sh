#!/usr/bin/env bash
# Start the action server, the Rasa server and the web app in the foreground; Ctrl-C stops them all.
# Called by `make run` after set-up and training; ports and URLs come from the environment.
#
# With RASA_PROCESSES=N (N > 1; `make run-cluster` sets 2) it starts N Rasa servers and N action servers
# behind nginx (deploy/nginx.conf.template), which listens on RASA_PORT and ACTION_PORT; the servers
# themselves take the ports just above. They share the PostgreSQL tracker store at TRACKER_DATABASE_URL
# and keep each conversation in order with a lock store in Redis at REDIS_HOST:REDIS_PORT (bot/lock_store.py).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_BIN=.venv/bin
: "${RASA_PORT:=5005}" "${ACTION_PORT:=5055}" "${WEB_PORT:=8000}" "${RASA_MODEL:=models/careers.tar.gz}"
: "${RASA_PROCESSES:=1}" "${LOCK_STORE:=in_memory}" "${REDIS_HOST:=127.0.0.1}" "${REDIS_PORT:=6379}"
: "${ACTION_SERVER_TOKEN:=}"
export RASA_PORT WEB_PORT LOCK_STORE REDIS_HOST REDIS_PORT ACTION_SERVER_TOKEN

up() { "$VENV_BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" \
       >/dev/null 2>&1; }

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# Rasa listens on this machine only: students reach it through the web app. Its HTTP API (conversations,
# trackers, model) stays off unless RASA_API_TOKEN is set, and then every call needs that token.
api=()
if [ -n "${RASA_API_TOKEN:-}" ]; then api=(--enable-api --auth-token "$RASA_API_TOKEN"); fi
# In a cluster, a Rasa or action server that stops is started again (nginx sends its work to the others
# meanwhile): `servers` maps each one's process id to what it is.
declare -A servers=()
# bot/server.py is `rasa run` with one of Rasa's costs taken out; it takes the same options.
start_rasa() {
  "$VENV_BIN/python" -m bot.server --model "$RASA_MODEL" --interface "${RASA_HOST:-127.0.0.1}" --port "$1" \
    --credentials credentials.yml --endpoints endpoints.yml "${api[@]}" &
  pids+=($!) servers[$!]="rasa $1"
}
start_actions() {
  "$VENV_BIN/python" -m bot.action_server --port "$1" &
  pids+=($!) servers[$!]="actions $1"
}

if [ "$RASA_PROCESSES" -le 1 ]; then
  start_actions "$ACTION_PORT"
  start_rasa "$RASA_PORT"
else
  case "$TRACKER_DATABASE_URL" in
    postgresql*) ;;
    *) echo "Several Rasa servers must share a PostgreSQL tracker store: set TRACKER_DATABASE_URL to a" \
            "postgresql:// URL (now: $TRACKER_DATABASE_URL)." >&2; exit 2 ;;
  esac
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
  if [ ! -x "$NGINX" ]; then
    echo "Several Rasa servers run behind nginx: on Debian or Ubuntu run 'sudo apt-get install nginx-light'." >&2
    exit 2
  fi
  "$VENV_BIN/python" -m deploy.check "$TRACKER_DATABASE_URL" "$REDIS_HOST" "$REDIS_PORT" || exit 2
  export LOCK_STORE=bot.lock_store.AtomicRedisLockStore
  # A message's hold on its conversation lapses after this many seconds, so a message whose server died
  # holding it waits at most that long on another server (Rasa's default, 60 s, is also how long a
  # request may take before Rasa's web server gives up on it).
  export TICKET_LOCK_LIFETIME="${TICKET_LOCK_LIFETIME:-30}"
  rasa_upstreams="" action_upstreams=""
  for i in $(seq 1 "$RASA_PROCESSES"); do
    start_actions $((ACTION_PORT + i))
    action_upstreams+="server 127.0.0.1:$((ACTION_PORT + i)) max_fails=1 fail_timeout=5s; "
  done
  for i in $(seq 1 "$RASA_PROCESSES"); do
    start_rasa $((RASA_PORT + i))
    rasa_upstreams+="server 127.0.0.1:$((RASA_PORT + i)) max_fails=1 fail_timeout=5s; "
  done
  NGINX_DIR="$PWD/var/nginx"
  mkdir -p "$NGINX_DIR"
  export NGINX_DIR RASA_PORT ACTION_PORT RASA_UPSTREAMS="$rasa_upstreams" ACTION_UPSTREAMS="$action_upstreams"
  envsubst '${NGINX_DIR} ${RASA_PORT} ${ACTION_PORT} ${RASA_UPSTREAMS} ${ACTION_UPSTREAMS}' \
    < deploy/nginx.conf.template > "$NGINX_DIR/nginx.conf"
  "$NGINX" -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" &
  pids+=($!) nginx_pid=$!
fi
"$VENV_BIN/python" -m web &
pids+=($!) web_pid=$!

what="Rasa server on port $RASA_PORT, action server on port $ACTION_PORT"
if [ "$RASA_PROCESSES" -gt 1 ]; then
  what="$RASA_PROCESSES Rasa servers and $RASA_PROCESSES action servers behind nginx on ports $RASA_PORT and $ACTION_PORT"
fi
echo "Starting: $what, web app on port $WEB_PORT."
echo "Ctrl-C stops them all. The first start takes a minute or two while Rasa loads its model."
for _ in $(seq 1 300); do
  if up "http://127.0.0.1:$RASA_PORT/" && up "http://127.0.0.1:$ACTION_PORT/health" \
     && up "http://127.0.0.1:$WEB_PORT/health"; then
    echo "Ready. Open http://localhost:$WEB_PORT/demo to chat, or http://localhost:$WEB_PORT/teacher to set up a lesson."
    break
  fi
  sleep 1
done
if [ "$RASA_PROCESSES" -le 1 ]; then
  # Whichever process ends first ends the run.
  wait -n "${pids[@]}"
else
  # The run ends with nginx or the web app; a Rasa or action server that stops is started again.
  while kill -0 "$nginx_pid" 2>/dev/null && kill -0 "$web_pid" 2>/dev/null; do
    for pid in "${!servers[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        read -r kind port <<< "${servers[$pid]}"
        unset "servers[$pid]"
        echo "The $kind server on port $port stopped; starting it again."
        "start_$kind" "$port"
      fi
    done
    sleep 2
  done
fi
