#!/usr/bin/env bash
# Apollo Client against a real `plaudit serve` (embedded SQLite and Redis in a temporary data
# dir): automatic persisted queries over GET, ETag/304, then the safelist of
# PLAUDIT_PERSISTED_QUERIES=only, on a second server started after `plaudit persisted-queries add`.
# Also checks that `add app.graphql` registers the ids Apollo Client itself computes (manifest.mjs).
# Usage (from anywhere, after `make test` built .venv): bash tests/apollo_client/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."

if [[ ! -d "$here/node_modules" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

unset PLAUDIT_DATABASE_URL PLAUDIT_REDIS_URL PLAUDIT_PERSISTED_QUERIES
tmp="$(mktemp -d "${TMPDIR:-/tmp}/plaudit-apollo-client.XXXXXX")"
log="$tmp/server.log"
server_pid=""

stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

cleanup() {
  status=$?
  stop_server
  if [[ $status -ne 0 && -f "$log" ]]; then
    echo "--- server log (tail) ---" >&2
    tail -n 40 "$log" >&2 || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT

port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export PLAUDIT_DATA_DIR="$tmp/data" PLAUDIT_HOST=127.0.0.1 PLAUDIT_PORT="$port" PLAUDIT_LOG_LEVEL=WARNING
mkdir -p "$PLAUDIT_DATA_DIR"
base="http://127.0.0.1:$port"

start_server() {
  .venv/bin/plaudit serve >>"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
      "$base/healthz" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "plaudit serve exited before it was healthy" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "no healthy server after 60s" >&2
  return 1
}

token="$(.venv/bin/plaudit token --role member --sub ada)"

echo "--- ids: plaudit persisted-queries add app.graphql against Apollo Client's own (manifest.mjs)"
node "$here/manifest.mjs" "$here/app.graphql" >"$tmp/manifest.json"
.venv/bin/plaudit persisted-queries add --dry-run "$here/app.graphql" | awk '{print $1}' | sort >"$tmp/ours"
.venv/bin/python -c 'import json, sys; [print(o["id"]) for o in json.load(open(sys.argv[1]))["operations"]]' \
  "$tmp/manifest.json" | sort >"$tmp/apollo's"
diff "$tmp/ours" "$tmp/apollo's"
echo "ok - the same $(wc -l <"$tmp/ours") ids"

echo "--- PLAUDIT_PERSISTED_QUERIES=auto"
start_server
node "$here/client.mjs" auto "$base/graphql" "$token"
stop_server

echo "--- PLAUDIT_PERSISTED_QUERIES=only, after plaudit persisted-queries add"
.venv/bin/plaudit persisted-queries add "$tmp/manifest.json" "$here/app.graphql"
export PLAUDIT_PERSISTED_QUERIES=only
start_server
node "$here/client.mjs" only "$base/graphql" "$token"
