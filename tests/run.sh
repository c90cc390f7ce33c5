#!/usr/bin/env bash
# Runs every test suite — C unit tests (normal and ASan+UBSan builds), the API tests
# against a real server (both builds on SQLite, the normal build again on PostgreSQL), the
# cluster tests (tests/cluster/: a read replica, several nodes behind nginx, migrate-store)
# and the browser tests — and ends with one line: "N passed, N failed". Exits non-zero if
# anything failed. Artifacts go to artifacts/.
set -uo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
mkdir -p artifacts
passed=0 failed=0

count_cmocka() { # file: adds the PASSED/FAILED counts of cmocka output
  local p f
  p=$(grep -ho '\[  PASSED  \] [0-9]* test' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -ho '\[  FAILED  \] [0-9]* test' "$1" | awk '{s+=$4} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}

count_node() { # file: adds the "# pass N" / "# fail N" of node's TAP output
  local p f
  p=$(grep -h '^# pass ' "$1" | awk '{s+=$3} END {print s+0}')
  f=$(grep -h '^# fail ' "$1" | awk '{s+=$3} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}

echo "== formatting (clang-format with the project's .clang-format)"
if make --no-print-directory format-check >artifacts/format.log 2>&1; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "   FAILED: run 'make format' (see artifacts/format.log)"
fi

for build in build build-asan; do
  echo "== C unit tests ($build)"
  log="artifacts/unit-$build.log"
  : > "$log"
  for t in "$build"/test_*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    if ! "$t" >>"$log" 2>&1; then
      grep -q '\[  FAILED  \]' "$log" || failed=$((failed + 1))
      echo "   FAILED: $t"
    fi
  done
  grep -E '^\[  (FAILED|  OK  )' "$log" | grep FAILED || true
  count_cmocka "$log"
done

for build in build build-asan; do
  echo "== API tests ($build)"
  log="artifacts/api-$build.tap"
  OURVOICE_BIN="$PWD/$build/ourvoice" node --test --test-reporter=tap tests/api/ >"$log" 2>&1
  grep -E '^not ok' "$log" || true
  count_node "$log"
  grep -q '^# pass ' "$log" || { echo "   the API suite did not run"; failed=$((failed + 1)); }
done

# PostgreSQL: a throwaway cluster with a streaming replica (tools/pg-cluster.sh), removed at
# the end; the API suite once more on it, then the cluster tests.
export OURVOICE_PG_DIR="${TMPDIR:-/tmp}/ourvoice-pg-test.$$"
trap 'tools/pg-cluster.sh stop >/dev/null 2>&1 || true' EXIT
echo "== PostgreSQL cluster (tools/pg-cluster.sh start --replica)"
if pg_url=$(tools/pg-cluster.sh start --replica 2>artifacts/pg-cluster.log); then
  echo "== API tests on PostgreSQL (build)"
  log="artifacts/api-postgres.tap"
  OURVOICE_TEST_DB_URL="$pg_url" OURVOICE_BIN="$PWD/build/ourvoice" \
    node --test --test-reporter=tap tests/api/ >"$log" 2>&1
  grep -E '^not ok' "$log" || true
  count_node "$log"
  grep -q '^# pass ' "$log" || { echo "   the API suite did not run"; failed=$((failed + 1)); }

  echo "== cluster tests (replica, nodes behind nginx, migrate-store, deployment files)"
  log="artifacts/cluster.tap"
  OURVOICE_BIN="$PWD/build/ourvoice" node --test --test-concurrency=1 --test-reporter=tap \
    tests/cluster/ >"$log" 2>&1
  grep -E '^not ok' "$log" || true
  count_node "$log"
  grep -q '^# pass ' "$log" || { echo "   the cluster tests did not run"; failed=$((failed + 1)); }
else
  echo "   FAILED: the cluster did not start (artifacts/pg-cluster.log)"
  failed=$((failed + 1))
fi

if [ -d tests/browser ] && ls tests/browser/*.test.mjs >/dev/null 2>&1; then
  echo "== browser tests"
  log="artifacts/browser.tap"
  OURVOICE_BIN="$PWD/build/ourvoice" node --test --test-concurrency=1 --test-reporter=tap \
    tests/browser/ >"$log" 2>&1
  grep -E '^not ok' "$log" || true
  count_node "$log"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
