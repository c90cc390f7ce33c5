#!/usr/bin/env bash
# The citizen app's first-visit budget on an emulated slow-3G phone (bench/citizen_budget.mjs),
# three runs, median; writes its section of bench/RESULTS.md. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${OURVOICE_BIN:-$PWD/build/ourvoice}
tmp=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
"$BIN" init --db "$tmp/b.db" --demo >/dev/null 2>&1
"$BIN" serve --db "$tmp/b.db" --port 0 --quiet >"$tmp/serve.out" 2>/dev/null &
server=$!
for _ in $(seq 50); do grep -q listening "$tmp/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$tmp/serve.out")/
runs=()
for _ in 1 2 3; do runs+=("$(node bench/citizen_budget.mjs "$url")"); done
table=$(node -e '
const runs = process.argv.slice(1).map((r) => JSON.parse(r));
const med = (f) => runs.map(f).sort((a, b) => a - b)[1];
const cold = { ms: med((r) => r.cold.ms), kb: med((r) => r.cold.bytes) / 1024 };
const warm = { ms: med((r) => r.warm.ms), kb: med((r) => r.warm.bytes) / 1024 };
console.log([
  "| visit | KB on the wire before usable (fonts excluded) | time to usable | target |",
  "|---|---:|---:|---|",
  `| first (empty cache) | ${cold.kb.toFixed(1)} | ${(cold.ms / 1000).toFixed(2)} s | ≤ 100 KB ${cold.kb <= 100 ? "PASS" : "MISS"}, < 3 s ${cold.ms < 3000 ? "PASS" : "MISS"} |`,
  `| again (service worker) | ${warm.kb.toFixed(1)} | ${(warm.ms / 1000).toFixed(2)} s | |`,
].join("\n"));' "${runs[@]}")
section=$(printf '<!-- citizen:start -->\n## Citizen app: first visit on a slow-3G phone\n\n%s · Chromium %s, 360×740 mobile viewport, DevTools throttling 400 ms latency, 400 kbit/s down and up, CPU 4× slower · median of 3 · "usable" = the four path links of the home screen are shown\n\n%s\n<!-- citizen:end -->' \
  "$(date -u +%Y-%m-%d)" "$(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')" "$table")
echo "$section"
results=bench/RESULTS.md
if grep -q '<!-- citizen:start -->' "$results"; then
  awk -v s="$section" '/<!-- citizen:start -->/ {print s; skip=1; next} /<!-- citizen:end -->/ {skip=0; next} !skip' "$results" > "$tmp/r.md"
  cp "$tmp/r.md" "$results"
else
  printf '\n%s\n' "$section" >> "$results"
fi
