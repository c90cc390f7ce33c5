#!/usr/bin/env bash
# The feedback benchmark (issue "Feedback from submission to closure"): durable
# submissions/s beside the Argon2id-only rate on all cores, durable writes/s without a hash,
# receipt checks/s and the inbox with 100,000 cases, at 8 and 64 clients. Loopback only.
# Writes its section of bench/RESULTS.md. Knobs: BENCH_SECONDS (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${BENCH_SECONDS:-10}
BIN=${OURVOICE_BIN:-$PWD/build/ourvoice}
tmp=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

cores=$(nproc)
cc -O2 -Isrc bench/hash_rate.c -o "$tmp/hash_rate" -lsodium -lpthread
hash_rate=$("$tmp/hash_rate" "$SECONDS_EACH" "$cores")

"$BIN" init --db "$tmp/b.db" --demo > "$tmp/init.out" 2>/dev/null
sqlite3 "$tmp/b.db" < bench/seed_cases.sql
accounts=$(awk '/^  [a-z]/ { a = $4; s = ""; if ($5 == "totp") s = $7;
  printf "%s\"%s\":{\"password\":\"%s\",\"secret\":\"%s\"}", (n++ ? "," : "{"), $1, a, s } END { print "}" }' "$tmp/init.out")
OURVOICE_JOBS_INTERVAL=3600 "$BIN" serve --db "$tmp/b.db" --port 0 --quiet > "$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
for _ in $(seq 50); do grep -q listening "$tmp/serve.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$tmp/serve.out")
json=$(node bench/feedback.mjs "$url" "$accounts" "$SECONDS_EACH")

table=$(node -e '
const r = JSON.parse(process.argv[1]); const hash = Number(process.argv[2]);
const f = (x) => x === null ? "–" : x.toFixed(1);
const row = (name, k) => `| ${name} | ${f(r[k].rate)} | ${f(r[k].p50)} | ${f(r[k].p99)} | ${r[k].errors} |`;
const lines = ["| operation (clients) | per second | p50 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|"];
for (const c of [8, 64]) {
  lines.push(row(`durable submission (${c})`, `submit_${c}`));
  lines.push(row(`citizen message, no hash (${c})`, `message_${c}`));
  lines.push(row(`staff note, no hash (${c})`, `note_${c}`));
  lines.push(row(`receipt check (${c})`, `receipt_${c}`));
  lines.push(row(`inbox, officer, 100k cases (${c})`, `inbox_officer_${c}`));
  lines.push(row(`inbox, national admin (${c})`, `inbox_national_${c}`));
  lines.push(row(`inbox search "case 77777" (${c})`, `inbox_search_${c}`));
}
const best = Math.max(r.submit_8.rate, r.submit_64.rate);
lines.push("", `Argon2id alone (t=2, m=19 MiB) on all cores: **${hash.toFixed(1)}/s**; submissions reach **${(100 * best / hash).toFixed(0)} %** of it (target ≥ 80 %).`);
const writes = Math.max(r.message_64.rate, r.note_64.rate);
lines.push(`Durable writes without a hash at 64 clients: **${writes.toFixed(0)}/s** (target ≥ 2,000/s).`);
const p99 = Math.max(r.inbox_officer_8.p99, r.inbox_national_8.p99);
lines.push(`Inbox p99 at 8 clients with 100,000 cases: **${p99.toFixed(1)} ms** (target < 10 ms).`);
console.log(lines.join("\n"));' "$json" "$hash_rate")

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
section=$(printf '<!-- feedback:start -->\n## Feedback: submissions, writes, receipts, inbox\n\n%s · %s · %s s per row, loopback, node keep-alive clients\n\n%s\n<!-- feedback:end -->' \
  "$(date -u +%Y-%m-%d)" "$machine" "$SECONDS_EACH" "$table")
echo "$section"
results=bench/RESULTS.md
touch "$results"
if grep -q '<!-- feedback:start -->' "$results"; then
  awk -v s="$section" '/<!-- feedback:start -->/ {print s; skip=1; next} /<!-- feedback:end -->/ {skip=0; next} !skip' "$results" > "$tmp/r.md"
  cp "$tmp/r.md" "$results"
else
  printf '\n%s\n' "$section" >> "$results"
fi
