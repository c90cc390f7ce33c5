#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: a primary (and, with --replica, a
# streaming replica) in a temporary folder, listening on loopback ports only, run as an
# unprivileged user (`postgres` when started by root). Loopback connections are trusted:
# never use this for real data.
#
#   tools/pg-cluster.sh start [--replica]  start (or reuse) the cluster; prints the URL
#   tools/pg-cluster.sh url                postgresql://… of the primary's `postgres` database
#   tools/pg-cluster.sh replica-url        postgresql://… of the replica
#   tools/pg-cluster.sh newdb [NAME]       creates an empty database, prints its URL
#   tools/pg-cluster.sh wait-replay        waits until the replica replayed the primary's WAL
#   tools/pg-cluster.sh status             what runs, on which ports
#   tools/pg-cluster.sh stop               stops both servers and removes the folder
#
# Environment: OURVOICE_PG_DIR (the folder; default /tmp/ourvoice-pg-cluster, so separate
# shells share one cluster), OURVOICE_PG_BIN (default /usr/lib/postgresql/15/bin),
# OURVOICE_PG_FSYNC (off by default for speed; `on` for benchmarks of durable writes).
set -euo pipefail

DIR="${OURVOICE_PG_DIR:-${TMPDIR:-/tmp}/ourvoice-pg-cluster}"
PG_BIN="${OURVOICE_PG_BIN:-/usr/lib/postgresql/15/bin}"
FSYNC="${OURVOICE_PG_FSYNC:-off}"
SUPERUSER=postgres
PRIMARY="$DIR/primary"
REPLICA="$DIR/replica"

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# as_owner CMD...: runs a command as the cluster's owner (postgres when we are root)
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_port() { # primary|replica → the port it was given, or nothing
  cat "$DIR/$1.port" 2>/dev/null || true
}

url_of() { # PORT [DB]
  echo "postgresql://$SUPERUSER@127.0.0.1:$1/${2:-postgres}"
}

psql_at() { # PORT SQL: one value, no decoration
  "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$SUPERUSER" \
    -d postgres -c "$2"
}

is_running() { # DATADIR
  [ -f "$1/postmaster.pid" ] && as_owner "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

port_free() { # PORT: nothing answers on it
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() { # a free loopback port in 20000-59999, not the other server's
  local p other
  other="$(pg_port primary)"
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    [ "$p" != "$other" ] && port_free "$p" && { echo "$p"; return; }
  done
  die "no free port found"
}

check_tools() {
  [ -x "$PG_BIN/initdb" ] ||
    die "$PG_BIN/initdb not found: install postgresql (tools/install-deps.sh --test)"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the postgres user (package postgresql)"
  fi
}

make_folder() {
  mkdir -p "$DIR"
  chmod 0755 "$DIR"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$DIR"
    as_owner test -w "$DIR" || die "$DIR is not writable by the postgres user"
  fi
}

# settings for both servers: loopback only, sockets in our folder, fast rather than safe
# unless OURVOICE_PG_FSYNC=on
write_conf() { # DATADIR PORT
  as_owner tee -a "$1/postgresql.conf" >/dev/null <<EOF

# tools/pg-cluster.sh
listen_addresses = '127.0.0.1'
port = $2
unix_socket_directories = '$DIR'
max_connections = 300
shared_buffers = 64MB
fsync = $FSYNC
synchronous_commit = $FSYNC
full_page_writes = $FSYNC
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
wal_writer_delay = 10ms
hot_standby = on
# short OLTP queries: JIT compilation would cost far more than it saves
jit = off
hot_standby_feedback = on
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

wait_ready() { # PORT WHAT
  for _ in $(seq 1 150); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1" && return 0
    sleep 0.1
  done
  die "the $2 did not accept connections on port $1 (log: $DIR/$2.log)"
}

start_server() { # DATADIR NAME
  local port
  port="$(pg_port "$2")"
  is_running "$1" && return 0
  as_owner "$PG_BIN/pg_ctl" -D "$1" -l "$DIR/$2.log" -w -t 30 start >/dev/null ||
    { tail -n 20 "$DIR/$2.log" >&2; die "the $2 did not start"; }
  wait_ready "$port" "$2"
}

init_primary() {
  local port
  port="$(free_port)"
  as_owner "$PG_BIN/initdb" -D "$PRIMARY" -U "$SUPERUSER" --auth=trust --no-sync \
    --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
    { tail -n 20 "$DIR/initdb.log" >&2; die "initdb failed"; }
  write_conf "$PRIMARY" "$port"
  as_owner tee "$PRIMARY/pg_hba.conf" >/dev/null <<EOF
# tools/pg-cluster.sh: a throwaway cluster, loopback and its own socket only
local all         all                trust
host  all         all  127.0.0.1/32  trust
host  replication all  127.0.0.1/32  trust
EOF
  echo "$port" >"$DIR/primary.port"
}

init_replica() {
  local port
  port="$(free_port)"
  as_owner "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$(pg_port primary)" -U "$SUPERUSER" \
    -D "$REPLICA" -R -X stream -c fast --no-sync >"$DIR/basebackup.log" 2>&1 ||
    { tail -n 20 "$DIR/basebackup.log" >&2; die "pg_basebackup failed"; }
  # the copied postgresql.conf names the primary's port; the last setting wins
  as_owner tee -a "$REPLICA/postgresql.conf" >/dev/null <<<"port = $port"
  echo "$port" >"$DIR/replica.port"
}

# waits until the replica has replayed everything the primary had written when called
wait_replay() {
  local lsn ok
  [ -f "$DIR/replica.port" ] || die "no replica (start --replica)"
  # the insert position: with synchronous_commit off a commit may not be written out yet
  lsn="$(psql_at "$(pg_port primary)" 'SELECT pg_current_wal_insert_lsn()')"
  for _ in $(seq 1 300); do
    ok="$(psql_at "$(pg_port replica)" \
      "SELECT pg_is_in_recovery() AND coalesce(pg_last_wal_replay_lsn() >= '$lsn', false)" \
      2>/dev/null || true)"
    [ "$ok" = t ] && return 0
    sleep 0.1
  done
  die "the replica did not replay up to $lsn in 30 s (log: $DIR/replica.log)"
}

cmd_start() {
  local replica=0
  for arg in "$@"; do
    case "$arg" in
      --replica) replica=1 ;;
      *) usage ;;
    esac
  done
  check_tools
  make_folder
  exec 9>"$DIR.lock"
  flock 9
  [ -f "$PRIMARY/PG_VERSION" ] || { rm -rf "$PRIMARY"; init_primary; }
  start_server "$PRIMARY" primary
  if [ "$replica" -eq 1 ]; then
    [ -f "$REPLICA/PG_VERSION" ] || { rm -rf "$REPLICA"; init_replica; }
    start_server "$REPLICA" replica
    wait_replay
  fi
  flock -u 9
  url_of "$(pg_port primary)"
}

cmd_stop() {
  [ -d "$DIR" ] || return 0
  exec 9>"$DIR.lock"
  flock 9
  local d
  for d in "$REPLICA" "$PRIMARY"; do
    if is_running "$d"; then
      as_owner "$PG_BIN/pg_ctl" -D "$d" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$DIR"
  flock -u 9
  rm -f "$DIR.lock"
}

need_running() { # NAME DATADIR
  is_running "$2" || die "the $1 is not running (tools/pg-cluster.sh start${3:-})"
}

cmd_newdb() {
  need_running primary "$PRIMARY"
  local name="${1:-t_$(date +%s)_$$_$RANDOM}"
  [[ "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "a database name is [a-z_][a-z0-9_]*"
  psql_at "$(pg_port primary)" "CREATE DATABASE $name" >/dev/null
  url_of "$(pg_port primary)" "$name"
}

cmd_status() {
  local name d
  for name in primary replica; do
    d="$DIR/$name"
    if is_running "$d"; then
      echo "$name: running on 127.0.0.1:$(pg_port "$name") ($d)"
    else
      echo "$name: not running"
    fi
  done
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  url) need_running primary "$PRIMARY"; url_of "$(pg_port primary)" ;;
  replica-url) need_running replica "$REPLICA" " --replica"; url_of "$(pg_port replica)" ;;
  newdb) shift; cmd_newdb "$@" ;;
  wait-replay) need_running replica "$REPLICA" " --replica"; wait_replay ;;
  status) cmd_status ;;
  *) usage ;;
esac
