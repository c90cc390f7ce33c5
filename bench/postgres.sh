#!/usr/bin/env bash
# PostgreSQL benchmark: durable submissions/s and the staff inbox on PostgreSQL, first with
# one `ourvoice serve` node, then with three nodes behind nginx round-robin, each at 8 and 64
# concurrent clients (wrk and bench/feedback.lua, as bench/feedback.sh does on SQLite).
# A throwaway cluster (tools/pg-cluster.sh, fsync and synchronous_commit on, so a 201 means
# the case is on disk), loopback only, bounded in time (about three minutes with the
# defaults), cleans up after itself, Ctrl-C included. The 100,000 cases of
# bench/seed_cases.sql are seeded into a SQLite demo database and moved into PostgreSQL
# with `ourvoice migrate-store` (timed too).
#
#   bench/postgres.sh                 (bench/run.sh calls it after bench/feedback.sh)
#   BENCH_PG_SECONDS=10 BENCH_PG_SEED=0 bench/postgres.sh
#
# Needs: build/ourvoice, PostgreSQL 15 (tools/install-deps.sh --bench), wrk, nginx, node,
# sqlite3, curl. Writes bench/RESULTS.md: only the section between <!-- postgres:start --> and
# <!-- postgres:end -->.
# R_* are set through printf -v:
# shellcheck disable=SC2154
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${OURVOICE_BIN:-$ROOT/build/ourvoice}"
RESULTS="$ROOT/bench/RESULTS.md"
LUA="$ROOT/bench/feedback.lua"
PG_CLUSTER="$ROOT/tools/pg-cluster.sh"

SECONDS_EACH="${BENCH_PG_SECONDS:-5}" # each measured run
WARMUP_SECONDS=1
SEED="${BENCH_PG_SEED:-1}" # 1: the 100,000 cases of bench/seed_cases.sql; 0: none
CLIENTS=(8 64)
THREADS=2
NODES=3

die() { echo "postgres bench: $*" >&2; exit 1; }
say() { echo "postgres bench: $*" >&2; }

[[ "$SECONDS_EACH" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PG_SECONDS must be a whole number of seconds"
[[ "$SEED" =~ ^[01]$ ]] || die "BENCH_PG_SEED must be 0 or 1"
[ -x "$BIN" ] || die "$BIN not found; build first (ninja -C build)"
PATH="$PATH:/usr/sbin:/sbin"
for tool in wrk nginx node sqlite3 curl timeout; do
  command -v "$tool" >/dev/null || die "$tool is missing (tools/install-deps.sh --bench)"
done

# ---- temp dir and clean-up ----

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ourvoice-pg-bench.XXXXXX")"
chmod 0755 "$TMP" # the cluster's owner (postgres, when we are root) works in $TMP/pg
export OURVOICE_PG_DIR="$TMP/pg" OURVOICE_PG_FSYNC=on
NODE_PIDS=()
NGINX_PID=""
CHILD_PID=""

stop_pid() { # pid signal: signal, wait up to 10 s, then SIGKILL
  local pid="$1" sig="$2" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid did not stop; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  { wait "$pid"; } 2>/dev/null || true
}

cleanup() {
  trap - EXIT INT TERM
  [ -z "$CHILD_PID" ] || kill "$CHILD_PID" 2>/dev/null || true
  stop_pid "$NGINX_PID" QUIT
  for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid" TERM; done
  "$PG_CLUSTER" stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

run_child() { # seconds command...: in the background, so a Ctrl-C stops it at once
  local limit="$1" rc=0
  shift
  timeout -k 5 "$limit" "$@" &
  CHILD_PID=$!
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# ---- 1. the cluster, and a seeded demo database moved into it ----

cp "$BIN" "$TMP/ourvoice"
BIN="$TMP/ourvoice"
say "starting a throwaway PostgreSQL cluster (fsync on)"
run_child 120 "$PG_CLUSTER" start >/dev/null || die "the cluster did not start"
DB="$("$PG_CLUSTER" newdb bench)"
PILOT="$TMP/pilot.db"
KEYS="$PILOT.keys" # made by init; migrate-store keeps the data readable with it
say "creating a demo database (SQLite)"
run_child 300 "$BIN" init --db "$PILOT" --demo >"$TMP/init.out" 2>"$TMP/init.log" ||
  { tail -n 20 "$TMP/init.log" >&2; die "ourvoice init failed"; }
if [ "$SEED" -eq 1 ]; then
  say "seeding 100,000 cases (bench/seed_cases.sql)"
  run_child 300 sqlite3 -bail "$PILOT" ".read '$ROOT/bench/seed_cases.sql'" || die "seeding failed"
fi
say "moving it into PostgreSQL (ourvoice migrate-store)"
MIGRATE_T0="$(date +%s.%N)"
run_child 1800 "$BIN" migrate-store --from "$PILOT" --to "$DB" >"$TMP/migrate.out" 2>"$TMP/migrate.log" ||
  { tail -n 20 "$TMP/migrate.out" "$TMP/migrate.log" >&2; die "migrate-store failed"; }
MIGRATE_SECONDS="$(awk -v a="$MIGRATE_T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')"
MIGRATE_ROWS="$(sed -n 's/^all \([0-9]*\) tables identical (\([0-9]*\) rows)$/\2 rows in \1 tables/p' "$TMP/migrate.out")"
PSQL="${OURVOICE_PG_BIN:-/usr/lib/postgresql/15/bin}/psql"
CASES="$("$PSQL" -X -A -t -d "$DB" -c 'SELECT count(*) FROM cases')"

# ---- 2. nodes and nginx ----

start_node() { # → prints the node's port; its pid goes to NODE_PIDS
  local n="${#NODE_PIDS[@]}" port=""
  : >"$TMP/serve.$n.out" # before the child opens it: the loop below reads it at once
  "$BIN" serve --db "$DB" --keys "$KEYS" --bind 127.0.0.1 --port 0 --quiet \
    >"$TMP/serve.$n.out" 2>"$TMP/serve.$n.log" &
  NODE_PIDS+=($!)
  for ((i = 0; i < 150; i++)); do
    port="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/serve.$n.out")"
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { tail -n 20 "$TMP/serve.$n.log" >&2; die "node $n did not start"; }
  NODE_PORTS+=("$port")
}

start_nginx() {
  local port
  port="$(free_port)"
  mkdir -p "$TMP/nginx"
  local user=""
  [ "$(id -u)" -ne 0 ] || user="user root;"
  {
    echo "$user daemon off; worker_processes 2; pid $TMP/nginx/pid; error_log $TMP/nginx/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http { access_log off; client_body_temp_path $TMP/nginx/body; proxy_temp_path $TMP/nginx/proxy;"
    echo "  fastcgi_temp_path $TMP/nginx/f; uwsgi_temp_path $TMP/nginx/u; scgi_temp_path $TMP/nginx/s;"
    echo "  upstream ourvoice { keepalive 128;"
    for p in "${NODE_PORTS[@]}"; do echo "    server 127.0.0.1:$p;"; done
    echo "  }"
    echo "  server { listen 127.0.0.1:$port; keepalive_requests 1000000;"
    echo "    location / { proxy_pass http://ourvoice; proxy_http_version 1.1;"
    echo "      proxy_set_header Connection \"\"; proxy_set_header Host \$host; } } }"
  } >"$TMP/nginx/nginx.conf"
  nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" &
  NGINX_PID=$!
  for ((i = 0; i < 100; i++)); do
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    sleep 0.1
  done
  URL="http://127.0.0.1:$port"
  curl -fsS -o /dev/null --max-time 5 "$URL/healthz" || die "nginx did not start"
}

# ---- 3. the runs ----

# measure NAME CLIENTS MODE ARGS...: a warm-up, then the measured run; sets R_RATE_NAME_C,
# R_P50_…, R_P99_… and R_ERR_… (non-2xx replies and socket errors)
measure() {
  local name="$1" c="$2" mode="$3" out="$TMP/wrk-$1-$2.txt"
  shift 3
  say "$name, $c clients: ${WARMUP_SECONDS}s warm-up, ${SECONDS_EACH}s measured"
  local wrk_args=(-t"$THREADS" -c"$c" --timeout 10s --latency -s "$LUA")
  run_child $((WARMUP_SECONDS + 30)) env FEEDBACK_KEEP=0 \
    wrk "${wrk_args[@]}" -d"${WARMUP_SECONDS}s" "$URL" -- "$mode" "$TMP" "$@" >/dev/null ||
    die "wrk failed ($name warm-up)"
  run_child $((SECONDS_EACH + 30)) env FEEDBACK_KEEP=0 \
    wrk "${wrk_args[@]}" -d"${SECONDS_EACH}s" "$URL" -- "$mode" "$TMP" "$@" >"$out" ||
    { cat "$out" >&2; die "wrk failed ($name)"; }
  local line requests seconds non2xx sockerr p50 p99
  line="$(grep '^FEEDBACK ' "$out")" || { cat "$out" >&2; die "no result from wrk ($name)"; }
  read -r requests seconds non2xx sockerr p50 p99 < <(echo "$line" |
    awk '{ for (i = 2; i <= NF; i++) { sub(/^[a-z0-9_]*=/, "", $i); printf "%s ", $i } print "" }')
  printf -v "R_RATE_${name}_$c" '%s' "$(awk -v n="$((requests - non2xx))" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')"
  printf -v "R_P50_${name}_$c" '%.1f' "$p50"
  printf -v "R_P99_${name}_$c" '%.1f' "$p99"
  printf -v "R_ERR_${name}_$c" '%s' "$((non2xx + sockerr))"
}

sign_in() { # the officer of C-120101, through URL
  run_child 60 node "$ROOT/bench/feedback_auth.mjs" "$URL" "$TMP/init.out" officer.120101 \
    >"$TMP/sessions.txt" || die "staff sign-in failed"
  read -r _ OFFICER_COOKIE _ < <(grep '^officer\.120101 ' "$TMP/sessions.txt")
}

runs() { # SUFFIX
  for c in "${CLIENTS[@]}"; do measure "submit$1" "$c" submit; done
  sign_in
  for c in "${CLIENTS[@]}"; do measure "inbox$1" "$c" get "$OFFICER_COOKIE" /api/v1/cases; done
}

LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
NODE_PORTS=()
start_node
URL="http://127.0.0.1:${NODE_PORTS[0]}"
say "one node on $URL"
runs 1

start_node
start_node
start_nginx
say "$NODES nodes behind nginx on $URL"
runs 3

TOTAL_CASES="$("$PSQL" -X -A -t -d "$DB" -c 'SELECT count(*) FROM cases')"
LOAD_AFTER="$(cut -d' ' -f1 /proc/loadavg)"
stop_pid "$NGINX_PID" QUIT
NGINX_PID=""
for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid" TERM; done
NODE_PIDS=()
grep -hE 'level=(warn|error)' "$TMP"/serve.*.log | head -n 5 >&2 || true

# ---- 4. report ----

row() { # LABEL NAME CLIENTS NODES
  local r="R_RATE_$2_$3" p50="R_P50_$2_$3" p99="R_P99_$2_$3" e="R_ERR_$2_$3"
  echo "| $1 | $4 | $3 | ${!r} | ${!p50} | ${!p99} | ${!e} |"
}
ERRORS=0
for v in "${!R_ERR_@}"; do ERRORS=$((ERRORS + ${!v})); done
NOTE=""
[ "$ERRORS" -eq 0 ] || NOTE="
$ERRORS non-2xx replies or socket errors in all (column errors): those rows are not valid."
CORES="$(nproc)"
CPU_MODEL="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
PG_VERSION="$("$PSQL" -X -A -t -d "$DB" -c 'SHOW server_version' | awk '{ print $1 }')"
DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"

section="$(
  cat <<EOF
<!-- postgres:start -->
## PostgreSQL: submissions and inbox, one node and three

$DATE · $CORES CPUs · ${CPU_MODEL:-unknown CPU} · PostgreSQL $PG_VERSION on the same machine
(\`tools/pg-cluster.sh\`, fsync and synchronous_commit on) · \`wrk -t$THREADS --latency\` on
loopback, ${SECONDS_EACH}s per row after a ${WARMUP_SECONDS}s warm-up · each node with its defaults
(one loop and one worker per core) · $CASES cases before the start, $TOTAL_CASES at the end ·
three nodes behind nginx 1.22 round-robin (keep-alive to the nodes) · load average
$LOAD_BEFORE before the runs, $LOAD_AFTER after (the machine's other work shows there).

| operation | nodes | clients | per second | p50 ms | p99 ms | errors |
|---|---:|---:|---:|---:|---:|---:|
$(for c in "${CLIENTS[@]}"; do row "durable submission (POST /api/v1/feedback)" submit1 "$c" 1; done)
$(for c in "${CLIENTS[@]}"; do row "durable submission (POST /api/v1/feedback)" submit3 "$c" $NODES; done)
$(for c in "${CLIENTS[@]}"; do row "inbox, officer.120101 (GET /api/v1/cases)" inbox1 "$c" 1; done)
$(for c in "${CLIENTS[@]}"; do row "inbox, officer.120101 (GET /api/v1/cases)" inbox3 "$c" $NODES; done)

The database was moved from SQLite by \`ourvoice migrate-store\` in ${MIGRATE_SECONDS}s
(${MIGRATE_ROWS:-?}, copied, then checksummed on both sides).

Every process (PostgreSQL, the nodes, nginx, wrk) shares these $CORES CPUs, so three nodes here
measure the overhead of the set-up, not its capacity: the Argon2id receipt hash of each
submission is CPU-bound and scales with the nodes' cores on separate machines.
$NOTE
<!-- postgres:end -->
EOF
)"

echo
echo "$section" | grep -v '^<!-- postgres:'
echo

# Replace only our section (appended if there is none), through a temp file and a rename.
printf '%s\n' "$section" >"$TMP/section.md"
if [ -f "$RESULTS" ]; then
  awk -v secfile="$TMP/section.md" '
    function emit(  line) {
      if (done) return
      while ((getline line < secfile) > 0) print line
      close(secfile); done = 1
    }
    FNR == NR {
      if ($0 ~ /^<!-- postgres:start -->/) s = 1
      else if (s && $0 ~ /^<!-- postgres:end -->/) has = 1
      next
    }
    has && /^<!-- postgres:start -->/ { skip = 1; emit(); next }
    skip { if ($0 ~ /^<!-- postgres:end -->/) skip = 0; next }
    { print }
    END { if (!done) { print ""; emit() } }
  ' "$RESULTS" "$RESULTS" >"$TMP/RESULTS.md"
else
  { echo "# Benchmark results"; echo; echo "Written by the benchmarks in bench/ (see bench/README.md)."
    echo; cat "$TMP/section.md"; } >"$TMP/RESULTS.md"
fi
cat "$TMP/RESULTS.md" >"$RESULTS.tmp.$$" && mv "$RESULTS.tmp.$$" "$RESULTS"
say "wrote $RESULTS"
