#!/usr/bin/env bash
# bench-forecast.sh: wall-clock time of the README's main command, the default
# `bloc forecast` (embedded Eastern Europe 1989 scenario, 1000 runs x 100 weeks x 6
# allies and the centre), in a release build.
#
# What it does:
#   1. Builds bloc in release mode (`cargo build --release -p bloc-cli`).
#   2. Runs `bloc forecast --format json --out <tmp>` REPEAT times (default 5) with the
#      default thread count (one per core), timing each from process start to exit
#      (`date +%s.%N`), and once with --threads 1.
#   3. Does the same for `--no-posterior` (the flagship at its own values): the default
#      draws each run's calibrated values from the shipped posterior, which adds the
#      building of one scenario per distinct particle drawn.
#   4. Prints every time, the best and the median, and the machine (nproc, CPU model,
#      rustc). Run on an otherwise idle machine; figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${REPEAT:-5}"
cargo build --release -q -p bloc-cli
BIN=target/release/bloc
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
bench() {
  local label="$1"; shift
  local times=()
  for _ in $(seq "$REPEAT"); do
    t0=$(date +%s.%N)
    "$BIN" forecast --format json --out "$OUT" "$@"
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  t0=$(date +%s.%N)
  "$BIN" forecast --format json --out "$OUT" --threads 1 "$@"
  t1=$(date +%s.%N)
  local single sorted
  single=$(echo "$t1 - $t0" | bc -l)
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  echo "$label (1000 runs), all cores, seconds: $(echo "$sorted" | tr '\n' ' ')"
  echo "best: $(echo "$sorted" | head -1)   median: $(echo "$sorted" | sed -n "$(( (REPEAT + 1) / 2 ))p")"
  echo "one thread: $single s"
}
bench "default bloc forecast (from the shipped posterior)"
bench "bloc forecast --no-posterior" --no-posterior
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rustc --version)"
