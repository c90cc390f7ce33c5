#!/usr/bin/env bash
# Statistics at national scale (docs/statistics.md): for each size in STATS_SIZES it makes
# (once, kept in STATS_BENCH_DIR) a database of that many synthetic cases with
# `ourvoice seed`, then measures national, province and office statistics queries with wrk
# (p50/p99, requests/s) and reports the database size. Target: p99 < 50 ms at 10 million.
#
#   bench/stats.sh                                   (`make bench` runs it after the others)
#   STATS_SIZES="100000" STATS_DURATION=5s bench/stats.sh
#
# Writes bench/RESULTS.md: only the section between <!-- stats:start --> and
# <!-- stats:end -->. Seeding 10 million cases took 78 minutes on two cores (about 265 µs a case);
# the databases are kept (delete STATS_BENCH_DIR to start again).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${OURVOICE_BIN:-$ROOT/build/ourvoice}"
RESULTS="$ROOT/bench/RESULTS.md"
DIR="${STATS_BENCH_DIR:-$ROOT/var/bench}"
SIZES="${STATS_SIZES:-1000000 10000000}"
DURATION="${STATS_DURATION:-10s}"
CONNECTIONS="${STATS_CONNECTIONS:-8}"
TARGET_P99_MS=50

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN not found; build first (ninja -C build)"
command -v wrk >/dev/null || die "wrk is missing (tools/install-deps.sh --bench installs it)"
mkdir -p "$DIR"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/ourvoice-stats.XXXXXX")"
SERVER_PID=""
cleanup() {
  [ -z "$SERVER_PID" ] || { kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; }
  rm -rf "$TMP"
}
trap cleanup EXIT

# make_db N: the database of N synthetic cases, made once; prints its path.
make_db() {
  local n="$1" db="$DIR/stats-$1.db"
  if [ ! -f "$db.done" ]; then
    rm -f "$db" "$db-wal" "$db-shm" "$db.keys"
    "$BIN" init --db "$db" --demo >/dev/null
    local t0=$SECONDS
    echo "bench: seeding $n synthetic cases into $db" >&2
    "$BIN" seed --db "$db" --synthetic "$n" --seed 7 >&2
    echo "$((SECONDS - t0))" >"$db.done"
  fi
  echo "$db"
}

ms() { # wrk latency text (812.00us, 1.23ms, 2.00s) → ms
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.2f", n }'
}

# measure URL → "p50 | p99 | requests/s" (ms)
measure() {
  local url="$1" out="$TMP/wrk.txt"
  curl -fsS -o /dev/null "$url" || die "GET $url failed"
  wrk -t2 -c"$CONNECTIONS" -d2s "$url" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$out"
  local rps p50 p99 bad
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")"
  p50="$(awk '/Latency Distribution/ { d = 1; next } d && $1 == "50%" { print $2; exit }' "$out")"
  p99="$(awk '/Latency Distribution/ { d = 1; next } d && $1 == "99%" { print $2; exit }' "$out")"
  bad="$(awk -F': *' '/Non-2xx/ { print $2 }' "$out")"
  [ -n "$p99" ] || { cat "$out" >&2; die "cannot read wrk's output for $url"; }
  echo "$(ms "$p50") | $(ms "$p99") | $rps${bad:+ ($bad non-2xx)}"
}

# alone URL → ms of one request on an idle server (the median of five)
alone() {
  for _ in 1 2 3 4 5; do curl -fsS -o /dev/null -w '%{time_total}\n' "$1"; done |
    sort -n | awk 'NR == 3 { printf "%.1f", $1 * 1000 }'
}

# change_ms DB → ms of one case change that the roll-ups follow (an acknowledgement, in a
# transaction rolled back), the median of five cases
change_ms() {
  sqlite3 "$1" "SELECT id FROM cases WHERE status = 'submitted' ORDER BY id LIMIT 5" |
    while read -r id; do
      printf '.timer on\nBEGIN;\nUPDATE cases SET status = %s, acknowledged_at = created_at WHERE id = %s;\nROLLBACK;\n' \
        "'acknowledged'" "$id" | sqlite3 "$1" | awk '/^Run Time/ && ++n == 2 { printf "%.1f\n", $4 * 1000 }'
    done | sort -n | awk 'NR == 3'
}

# serve DB SECONDS: starts the server with that --stats-cache; sets SERVER_PID and url.
serve() {
  : >"$TMP/serve.out"
  # (no deadline pass during the runs: it would escalate the synthetic open cases)
  OURVOICE_JOBS_INTERVAL=86400 "$BIN" serve --db "$1" --port 0 --quiet --stats-cache "$2" \
    >"$TMP/serve.out" 2>"$TMP/serve.log" &
  SERVER_PID=$!
  url=""
  for _ in $(seq 150); do
    url="$(sed -n 's|^listening on \(http://[^ ]*\)$|\1|p' "$TMP/serve.out")"
    [ -n "$url" ] && break
    sleep 0.2
  done
  [ -n "$url" ] || die "ourvoice serve did not start: $(tail -n 5 "$TMP/serve.log")"
}

stop() {
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# The queries: name, then the path and query.
queries() {
  local office="$1"
  cat <<EOF2
nation, headline|/api/v1/stats
nation, by province (the map)|/api/v1/stats?by=area
nation, by month|/api/v1/stats?by=month
nation, by service|/api/v1/stats?by=service
province 12, by district|/api/v1/stats?area=12&by=area
province 12, by sex|/api/v1/stats?area=12&by=sex
province 12, by month|/api/v1/stats?area=12&by=month
office scorecard, by sex|/api/v1/stats?office=$office&by=sex
province 12, published quotations|/api/v1/stats/quotes?area=12
nation, by office (open data, 2,100 rows)|/api/v1/stats?by=office
EOF2
}

rows=""
for n in $SIZES; do
  db="$(make_db "$n")"
  "$BIN" init --db "$db" >/dev/null # a database kept from an older version: migrated first
  seed_s="$(cat "$db.done")"
  size_mb="$(du -cm "$db" "$db-wal" 2>/dev/null | awk 'END { print $1 }' || true)" # (no -wal after a clean close)
  rollup_rows="$(sqlite3 "$db" 'SELECT (SELECT count(*) FROM stats_cells) + (SELECT count(*) FROM stats_delays) + (SELECT count(*) FROM stats_scores)')"
  office="$(sqlite3 "$db" "SELECT id FROM offices WHERE code = 'OWSO-1201'")"
  change="$(change_ms "$db")"
  declare -A fresh=() kept=() single=()
  serve "$db" 0
  while IFS='|' read -r name path; do
    single[$name]="$(alone "$url$path")"
    if [[ "$path" == *by=office ]]; then fresh[$name]="— | — | —"; else fresh[$name]="$(measure "$url$path")"; fi
  done < <(queries "$office")
  stop
  serve "$db" 60
  while IFS='|' read -r name path; do kept[$name]="$(measure "$url$path")"; done < <(queries "$office")
  stop
  table=""
  while IFS='|' read -r name _; do
    table+="| $name | ${single[$name]} | ${fresh[$name]} | ${kept[$name]} |
"
  done < <(queries "$office")
  rows+="
**$n cases** — database $size_mb MB ($rollup_rows roll-up rows), seeded in ${seed_s} s; one
case change with its roll-ups (an acknowledgement): $change ms

| query | alone ms | p50 ms | p99 ms | requests/s | kept: p50 ms | p99 ms | requests/s |
|---|---:|---:|---:|---:|---:|---:|---:|
$table"
  unset fresh kept single
done

section="<!-- stats:start -->
## Statistics at national scale

$(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) CPUs · \`wrk -t2 -c$CONNECTIONS -d$DURATION --latency\` on
loopback after a 2 s warm-up, one query at a time · synthetic cases from \`ourvoice seed\`
over 24 months and the real gazetteer, the last 12 months asked · target: p99 < $TARGET_P99_MS ms
at 10 million cases. "alone": one request on an idle server. The first p50/p99 are every
answer computed from the roll-ups (\`--stats-cache 0\`); "kept" is the server as deployed
(answers reused for 60 s, \`--stats-cache\`). The nation by office is an open-data download
(a 1.1 MB answer) and is only measured alone and kept.
$rows<!-- stats:end -->"
echo "$section"

python3 - "$RESULTS" "$section" <<'EOF'
import re, sys
path, section = sys.argv[1], sys.argv[2]
try:
    text = open(path, encoding='utf-8').read()
except FileNotFoundError:
    text = '# Benchmark results\n'
pattern = re.compile(r'<!-- stats:start -->.*?<!-- stats:end -->', re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip('\n') + '\n\n' + section + '\n'
open(path, 'w', encoding='utf-8').write(text)
EOF
echo "bench: wrote $RESULTS" >&2
