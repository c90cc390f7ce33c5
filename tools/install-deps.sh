#!/usr/bin/env bash
# Installs what is missing on a Debian 12 machine: the build and run packages, and with
# --test (or --bench) what the test suites (or benchmarks) need, including the node packages
# of tests/, and with --fuzz clang and its libFuzzer/sanitizer runtimes (`make fuzz`).
# Installs nothing that is already there. Needs root or sudo for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential meson ninja-build pkg-config python3 libevent-dev libjansson-dev
  libsqlite3-dev libpq-dev libsodium-dev liboath-dev libcurl4-openssl-dev zlib1g-dev libunistring-dev
  libqrencode-dev sqlite3 ca-certificates)
test_pkgs=(libcmocka-dev clang-format nodejs npm chromium fonts-khmeros fonts-noto-core
  postgresql postgresql-contrib nginx-light curl poppler-utils python3-pil)
bench_pkgs=(wrk nginx-light procps)
# libclang-rt-14-dev (libFuzzer, ASan, UBSan) is only a Recommends of clang-14
fuzz_pkgs=(clang libclang-rt-14-dev)

want=("${build_pkgs[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) want+=("${test_pkgs[@]}") ;;
    --bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
    --fuzz) want+=("${fuzz_pkgs[@]}") ;;
    *) echo "usage: $0 [--test] [--bench] [--fuzz]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    # a package may be satisfied by a newer tool already on the PATH (e.g. node, npm)
    case "$p" in
      nodejs) command -v node >/dev/null && continue ;;
      npm) command -v npm >/dev/null && continue ;;
    esac
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

case " $* " in
  *" --test "*|*" --bench "*)
    if [ ! -d tests/node_modules/playwright-core ]; then
      echo "installing node packages for the tests"
      (cd tests && npm install --no-audit --no-fund --loglevel=error)
    fi ;;
esac
