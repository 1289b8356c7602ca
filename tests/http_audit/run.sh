#!/usr/bin/env bash
# GraphQL over HTTP compliance: starts `plaudit serve` on a free port (embedded SQLite and Redis in
# a temporary data dir) and runs graphql-http's server audits against its /graphql.
# Usage (from anywhere, after `make test` built .venv): bash tests/http_audit/run.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."

if [[ ! -d "$here/node_modules" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

unset PLAUDIT_DATABASE_URL PLAUDIT_REDIS_URL
tmp="$(mktemp -d "${TMPDIR:-/tmp}/plaudit-http-audit.XXXXXX")"
log="$tmp/server.log"
server_pid=""

cleanup() {
  status=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $status -ne 0 && -f "$log" ]]; then
    echo "--- server log (tail) ---" >&2
    tail -n 40 "$log" >&2 || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT

port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export PLAUDIT_DATA_DIR="$tmp/data" PLAUDIT_HOST=127.0.0.1 PLAUDIT_PORT="$port"
mkdir -p "$PLAUDIT_DATA_DIR"

.venv/bin/plaudit serve >"$log" 2>&1 &
server_pid=$!

base="http://127.0.0.1:$port"
healthy() {
  .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "$base/healthz" 2>/dev/null
}
for _ in $(seq 1 120); do
  if healthy; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "plaudit serve exited before it was healthy" >&2
    exit 1
  fi
  sleep 0.5
done
healthy || { echo "no healthy server after 60s" >&2; exit 1; }

node "$here/audit.mjs" "$base/graphql"
