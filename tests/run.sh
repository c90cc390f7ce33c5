#!/usr/bin/env bash
# Runs every test suite — C unit tests (normal and ASan+UBSan builds), the API tests
# against a real server (both builds), and the browser tests — and ends with one line:
# "N passed, N failed". Exits non-zero if anything failed. Artifacts go to artifacts/.
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
