#!/usr/bin/env bash
# The citizen app's budget (issue 4): starts a fresh demo server on loopback, runs
# bench/citizen_budget.mjs against it (Debian's Chromium, throttled like a slow phone,
# BENCH_CITIZEN_RUNS runs, default 3, median), stops everything. The node script prints the
# table and writes its section of bench/RESULTS.md (<!-- citizen:start --> ...
# <!-- citizen:end -->). See bench/README.md.
#
#   bench/citizen_budget.sh           (from any directory; build/ourvoice must exist)
#
# Needs: build/ourvoice, node, tests/node_modules (cd tests && npm ci), /usr/bin/chromium.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${OURVOICE_BIN:-$ROOT/build/ourvoice}"

die() { echo "citizen_budget: $*" >&2; exit 1; }

[ -x "$BIN" ] || die "$BIN not found; build first (ninja -C build)"
command -v node >/dev/null || die "node is missing"
[ -d "$ROOT/tests/node_modules/playwright-core" ] || die "playwright-core is missing (cd tests && npm ci)"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || die "Chromium not found at ${CHROMIUM:-/usr/bin/chromium}"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ourvoice-citizen-budget.XXXXXX")"
SERVER_PID=""
CHILD_PID=""

# shellcheck disable=SC2317 # (called from the traps)
stop_pid() { # pid: SIGTERM, wait up to 10 s, then SIGKILL
  local pid="$1" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  { wait "$pid"; } 2>/dev/null || true
}

# shellcheck disable=SC2317
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$CHILD_PID" # on SIGTERM node closes its Chromium and removes its profile
  CHILD_PID=""
  stop_pid "$SERVER_PID"
  SERVER_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

DB="$TMP/budget.db"
echo "citizen_budget: creating a demo database" >&2
if ! "$BIN" init --db "$DB" --demo >"$TMP/init.log" 2>&1; then
  tail -n 20 "$TMP/init.log" >&2
  die "ourvoice init failed"
fi

: >"$TMP/serve.out"
"$BIN" serve --db "$DB" --bind 127.0.0.1 --port 0 --quiet >"$TMP/serve.out" 2>"$TMP/serve.log" &
SERVER_PID=$!
PORT=""
for ((i = 0; i < 150; i++)); do
  PORT="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$TMP/serve.out" || true)"
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$PORT" ]; then
  tail -n 20 "$TMP/serve.log" >&2
  die "ourvoice serve did not start"
fi
echo "citizen_budget: ourvoice on http://127.0.0.1:$PORT (pid $SERVER_PID)" >&2

# in the background and waited for, so that a signal reaches the trap at once
rc=0
node "$ROOT/bench/citizen_budget.mjs" "http://127.0.0.1:$PORT/" &
CHILD_PID=$!
wait "$CHILD_PID" || rc=$?
CHILD_PID=""
kill -0 "$SERVER_PID" 2>/dev/null || die "ourvoice serve died during the runs"
exit "$rc"
