#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS 3 cluster for the tests and benchmarks:
#
#   pg_test_cluster.sh start DIR   initdb into DIR/data, serve on the socket DIR/sock
#                                  only (no TCP), create the template database
#                                  endstate_template (with PostGIS) and write DIR/env
#                                  (PGHOST, PGPORT, PGUSER for clients)
#   pg_test_cluster.sh stop DIR    stop the server and remove DIR
#
# Tuned for throwaway data (fsync off, no WAL archiving). Run as root (CI), the
# server runs as the unprivileged `postgres` system user (initdb refuses root);
# as anyone else, as that user. ENDSTATE_PG_BINDIR overrides where initdb and
# pg_ctl are found (default: /usr/lib/postgresql/15/bin).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 1
fi
bindir=${ENDSTATE_PG_BINDIR:-/usr/lib/postgresql/15/bin}
port=5432

as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    if [ ! -x "$bindir/initdb" ]; then
      echo "pg_test_cluster: no initdb in $bindir (run scripts/install-deps)" >&2
      exit 1
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    mkdir -p "$dir/data" "$dir/sock"
    chmod 700 "$dir/data"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$dir"; fi
    as_server "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir/sock'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
max_wal_size = 1GB
deadlock_timeout = 200ms
log_min_messages = warning
CONF
    as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    export PGHOST="$dir/sock" PGPORT=$port PGUSER=postgres
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d postgres \
      -c "CREATE DATABASE endstate_template" >/dev/null
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d endstate_template \
      -c "CREATE EXTENSION postgis" >/dev/null
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d postgres \
      -c "ALTER DATABASE endstate_template IS_TEMPLATE true ALLOW_CONNECTIONS false" >/dev/null
    printf 'PGHOST=%s\nPGPORT=%s\nPGUSER=postgres\n' "$dir/sock" "$port" >"$dir/env"
    echo "pg_test_cluster: PostgreSQL running on $dir/sock (port $port)"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_server "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 1
    ;;
esac
