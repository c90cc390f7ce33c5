#!/usr/bin/env bash
# Foundation benchmark: HTTP throughput of `ourvoice serve` against nginx serving a static
# file on the same machine (the ceiling). Loopback only. See bench/README.md.
#
#   bench/run.sh                      (`make bench` builds first, then runs this)
#   BENCH_DURATION=30s BENCH_CONNECTIONS=128 bench/run.sh
#
# Needs: build/ourvoice (ninja -C build), wrk, nginx, curl. Writes bench/RESULTS.md (only
# the section between <!-- foundation:start --> and <!-- foundation:end -->).
# RPS_*, P50_*, P99_* and NOTE_* are set by run_wrk through printf -v:
# shellcheck disable=SC2154
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${OURVOICE_BIN:-$ROOT/build/ourvoice}"
RESULTS="$ROOT/bench/RESULTS.md"

DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS=2
WARMUP=2s
AREAS_PATH='/api/v1/areas?parent=12'

# targets
TARGET_RATIO=50   # area list req/s, % of nginx, at least
TARGET_P99_MS=10  # p99 latency of ourvoice, below
TARGET_RSS_MB=50  # peak RSS of ourvoice, below

die() { echo "bench: $*" >&2; exit 1; }

[[ "$DURATION" =~ ^[1-9][0-9]*[smh]?$ ]] || die "BENCH_DURATION must look like 15s, 1m or 15"
if ! [[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || [ "$CONNECTIONS" -lt "$THREADS" ]; then
  die "BENCH_CONNECTIONS must be a whole number >= $THREADS"
fi
[ -x "$BIN" ] || die "$BIN not found; build first (ninja -C build)"
PATH="$PATH:/usr/sbin:/sbin" # nginx lives in sbin
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || die "$tool is missing (tools/install-deps.sh --bench installs it)"
done

# ---- temp dir and clean-up ----

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ourvoice-bench.XXXXXX")"
SERVER_PID=""
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
    echo "bench: pid $pid did not stop; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  { wait "$pid"; } 2>/dev/null || true
}

cleanup() {
  trap - EXIT INT TERM
  [ -z "$CHILD_PID" ] || kill "$CHILD_PID" 2>/dev/null || true
  stop_pid "$SERVER_PID" TERM
  SERVER_PID=""
  stop_pid "$NGINX_PID" QUIT # graceful: the master stops its workers
  NGINX_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# ---- helpers ----

# Runs a command in the background and waits for it: bash runs a trap only between
# foreground commands, so this lets a SIGTERM stop a 15-second wrk run at once.
run_child() {
  local rc=0
  "$@" &
  CHILD_PID=$!
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

# A loopback port nothing answers on (bounded tries).
free_port() {
  local i p
  for ((i = 0; i < 50; i++)); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free loopback port found"
}

# Waits (bounded) until URL answers 200; fails if PID dies first.
wait_http() {
  local url="$1" pid="$2" i
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# VmHWM of a pid in kB (0 if gone).
hwm_kb() {
  awk '/^VmHWM:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null ||
    echo 0
}

# Latency text from wrk (e.g. 812.00us, 1.23ms, 2.00s, 1.00m) in ms.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000
    else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000
    printf "%.3f", n }'
}

# run_wrk NAME URL: warm-up, then the measured run; sets RPS_x, P50_x, P99_x, NOTE_x.
run_wrk() {
  local name="$1" url="$2" out="$TMP/wrk-$1.txt"
  echo "bench: $name: warm-up $WARMUP, then wrk -t$THREADS -c$CONNECTIONS -d$DURATION $url" >&2
  run_child wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
  run_child wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$out"
  local rps p50 p99 non2xx errors
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  p50="$(awk '/Latency Distribution/ { d = 1; next } d && $1 == "50%" { print $2; exit }' "$out")"
  p99="$(awk '/Latency Distribution/ { d = 1; next } d && $1 == "99%" { print $2; exit }' "$out")"
  if [ -z "$rps" ] || [ -z "$p50" ] || [ -z "$p99" ]; then
    cat "$out" >&2
    die "cannot parse wrk output for $name"
  fi
  non2xx="$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$out")"
  errors="$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$out")"
  local note=""
  [ -n "$non2xx" ] && note="$non2xx non-2xx replies"
  [ -n "$errors" ] && note="${note:+$note; }socket errors: $errors"
  printf -v "RPS_$name" '%.0f' "$rps"
  printf -v "P50_$name" '%s' "$(to_ms "$p50")"
  printf -v "P99_$name" '%s' "$(to_ms "$p99")"
  printf -v "NOTE_$name" '%s' "$note"
}

# ---- ourvoice ----

# a private copy, so a rebuild while the benchmark runs cannot swap the binary under it
# (the web and data folders are found from the source tree, whatever the binary's path)
cp "$BIN" "$TMP/ourvoice"
BIN="$TMP/ourvoice"

DB="$TMP/bench.db"
echo "bench: creating a demo database" >&2
if ! run_child "$BIN" init --db "$DB" --demo >"$TMP/init.log" 2>&1; then
  tail -n 20 "$TMP/init.log" >&2
  die "ourvoice init failed (reference data in data/ complete? OURVOICE_DATA=DIR picks another folder)"
fi

: >"$TMP/serve.out" # exists before the first poll below
"$BIN" serve --db "$DB" --bind 127.0.0.1 --port 0 --quiet >"$TMP/serve.out" 2>"$TMP/serve.log" &
SERVER_PID=$!
OV_PORT=""
for ((i = 0; i < 150; i++)); do
  OV_PORT="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/serve.out" || true)"
  [ -n "$OV_PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$OV_PORT" ] || ! wait_http "http://127.0.0.1:$OV_PORT/healthz" "$SERVER_PID"; then
  tail -n 20 "$TMP/serve.log" >&2
  die "ourvoice serve did not start"
fi
OV="http://127.0.0.1:$OV_PORT"
echo "bench: ourvoice on $OV (pid $SERVER_PID)" >&2

# ---- nginx with the areas reply as a static file ----

NG="$TMP/nginx"
mkdir -p "$NG/www" "$NG/temp"
curl -fsS --max-time 10 -o "$NG/www/areas.json" "$OV$AREAS_PATH" || die "GET $AREAS_PATH failed"
AREAS_BYTES="$(wc -c <"$NG/www/areas.json")"
[ "$AREAS_BYTES" -gt 2 ] || die "GET $AREAS_PATH gave an empty list; is the gazetteer loaded?"
# as root, nginx's workers run as nobody: they must be able to reach the file
chmod 711 "$TMP" "$NG"
chmod 755 "$NG/www"
chmod 644 "$NG/www/areas.json"

start_nginx() {
  local port="$1"
  cat >"$NG/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes auto;
pid $NG/nginx.pid;
error_log $NG/error.log warn;

events {
    worker_connections $((CONNECTIONS + 1024));
}

http {
    access_log off;
    client_body_temp_path $NG/temp/client_body;
    proxy_temp_path $NG/temp/proxy;
    fastcgi_temp_path $NG/temp/fastcgi;
    uwsgi_temp_path $NG/temp/uwsgi;
    scgi_temp_path $NG/temp/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;

    server {
        listen 127.0.0.1:$port;
        server_name localhost;
        location = /areas.json {
            root $NG/www;
            default_type application/json;
        }
    }
}
EOF
  nginx -p "$NG/" -c "$NG/nginx.conf" -e "$NG/error.log" &
  NGINX_PID=$!
  if wait_http "http://127.0.0.1:$port/areas.json" "$NGINX_PID"; then
    return 0
  fi
  stop_pid "$NGINX_PID" QUIT
  NGINX_PID=""
  return 1
}

NG_PORT=""
for ((attempt = 0; attempt < 3; attempt++)); do
  port="$(free_port)"
  [ "$port" = "$OV_PORT" ] && continue
  if start_nginx "$port"; then
    NG_PORT="$port"
    break
  fi
done
[ -n "$NG_PORT" ] || { tail -n 20 "$NG/error.log" >&2 2>/dev/null; die "nginx did not start"; }
echo "bench: nginx on http://127.0.0.1:$NG_PORT (pid $NGINX_PID), areas.json $AREAS_BYTES bytes" >&2

# ---- runs (one after the other, so they do not share the CPUs) ----

run_wrk nginx "http://127.0.0.1:$NG_PORT/areas.json"
run_wrk healthz "$OV/healthz"
run_wrk areas "$OV$AREAS_PATH"

kill -0 "$SERVER_PID" 2>/dev/null || die "ourvoice serve died during the runs"
OV_HWM_KB="$(hwm_kb "$SERVER_PID")"
NG_HWM_KB="$(hwm_kb "$NGINX_PID")"
for w in $(pgrep -P "$NGINX_PID" || true); do
  NG_HWM_KB=$((NG_HWM_KB + $(hwm_kb "$w")))
done

# ---- report ----

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
OV_RSS_MB="$(mb "$OV_HWM_KB")"
NG_RSS_MB="$(mb "$NG_HWM_KB")"
RATIO="$(awk -v a="$RPS_areas" -v n="$RPS_nginx" 'BEGIN { printf "%.1f", (n > 0 ? 100 * a / n : 0) }')"
# verdict VALUE OP LIMIT (OP: ge or lt) -> PASS or MISS
verdict() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = op == "ge" ? (v + 0 >= t + 0) : (v + 0 < t + 0); exit !ok }' &&
    echo PASS || echo MISS
}
V_RATIO="$(verdict "$RATIO" ge "$TARGET_RATIO")"
V_P99_AREAS="$(verdict "$P99_areas" lt "$TARGET_P99_MS")"
V_P99_HEALTHZ="$(verdict "$P99_healthz" lt "$TARGET_P99_MS")"
V_RSS="$(verdict "$OV_RSS_MB" lt "$TARGET_RSS_MB")"

CPU_MODEL="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
[ -n "$CPU_MODEL" ] || CPU_MODEL="$(awk -F': *' '/^(Hardware|Processor|cpu model)/ { print $2; exit }' /proc/cpuinfo)"
[ -n "$CPU_MODEL" ] || CPU_MODEL="unknown"
DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"

notes=""
for n in nginx healthz areas; do
  v="NOTE_$n"
  [ -n "${!v}" ] && notes+="- $n: ${!v} (figures not valid)"$'\n'
done

section="$(cat <<EOF
<!-- foundation:start -->
## Foundation: HTTP throughput

$DATE · $(nproc) CPUs · $CPU_MODEL · \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\` on
loopback after a $WARMUP warm-up · ourvoice with its defaults (one loop per core) on a fresh
demo database · nginx $(nginx -v 2>&1 | sed 's|.*/||'), \`worker_processes auto\`, serving the
areas reply ($AREAS_BYTES bytes) as a static file.

| server | requests/s | p50 ms | p99 ms | peak RSS MB |
|---|---:|---:|---:|---:|
| nginx static JSON | $RPS_nginx | $P50_nginx | $P99_nginx | $NG_RSS_MB |
| ourvoice /healthz | $RPS_healthz | $P50_healthz | $P99_healthz | $OV_RSS_MB |
| ourvoice $AREAS_PATH | $RPS_areas | $P50_areas | $P99_areas | $OV_RSS_MB |

Area list / nginx: **$RATIO %**

| target | measured | |
|---|---|---|
| area list >= $TARGET_RATIO % of nginx | $RATIO % | $V_RATIO |
| p99 < $TARGET_P99_MS ms (area list) | $P99_areas ms | $V_P99_AREAS |
| p99 < $TARGET_P99_MS ms (/healthz) | $P99_healthz ms | $V_P99_HEALTHZ |
| peak RSS < $TARGET_RSS_MB MB (ourvoice, VmHWM after the runs) | $OV_RSS_MB MB | $V_RSS |
${notes:+
$notes}<!-- foundation:end -->
EOF
)"

echo
echo "$section" | grep -v '^<!-- foundation:'
echo

# Replace only our section: between the markers if present, else a bare heading of that
# name up to the next "## " heading, else append. Written to a temp file, then moved.
new="$TMP/RESULTS.md"
if [ -f "$RESULTS" ]; then
  printf '%s\n' "$section" >"$TMP/section.md"
  awk -v secfile="$TMP/section.md" '
    function emit(  line) {
      if (done) return
      while ((getline line < secfile) > 0) print line
      close(secfile); done = 1
    }
    # first pass: is there a start marker followed by an end marker?
    FNR == NR {
      if ($0 ~ /^<!-- foundation:start -->/) s = 1
      else if (s && $0 ~ /^<!-- foundation:end -->/) has_markers = 1
      next
    }
    has_markers { # replace the first marked block, drop any later one
      if ($0 ~ /^<!-- foundation:start -->/) { skip = 1; emit(); next }
      if (skip) { if ($0 ~ /^<!-- foundation:end -->/) skip = 0; next }
      print; next
    }
    { # no markers: replace the bare heading up to the next "# " or "## " heading
      if ($0 ~ /^<!-- foundation:(start|end) -->/) next
      if ($0 == "## Foundation: HTTP throughput") { skip = 1; emit(); next }
      if (skip && $0 ~ /^##? /) { skip = 0; print "" }
      if (!skip) print
    }
    END { if (!done) { print ""; emit() } }
  ' "$RESULTS" "$RESULTS" >"$new"
else
  { echo "# Benchmark results"; echo; echo "Written by the benchmarks in bench/ (see bench/README.md)."
    echo; printf '%s\n' "$section"; } >"$new"
fi
cat "$new" >"$RESULTS.tmp.$$" && mv "$RESULTS.tmp.$$" "$RESULTS"
echo "bench: wrote $RESULTS" >&2

# The feedback benchmark (submissions, writes, receipts, inbox) writes its own section.
"$ROOT/bench/feedback.sh"

# The same submissions and inbox on PostgreSQL, one node and three behind nginx.
"$ROOT/bench/postgres.sh"

# The citizen app's first-visit budget on an emulated slow phone writes its own section.
"$ROOT/bench/citizen_budget.sh"

# Statistics at national scale (1 and 10 million synthetic cases; the databases are made
# once and kept in var/bench, which takes the better part of two hours the first time).
"$ROOT/bench/stats.sh"
