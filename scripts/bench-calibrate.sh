#!/usr/bin/env bash
# bench-calibrate.sh: throughput of `bloc calibrate` on the history suite, in a release build.
#
# What it does:
#   1. Builds bloc in release mode (`cargo build --release -p bloc-cli`).
#   2. Times (process start to exit) `bloc calibrate --particles 2 --generations 1`: the set-up
#      alone (the 27 calm-start searches) and 2 simulations of the record.
#   3. Times `bloc calibrate --particles N --generations 1` (N = PARTICLES, default 400):
#      the set-up and N simulations of the record from the prior, each 21 crisis cases x 2
#      runs and 6 calm starts x 1 run (104 weeks each).
#   4. Prints both times, the simulations per second of the difference, the crisis runs per
#      second (x 42) and the projected time of 100,000 crisis runs, and the machine.
# Run on an otherwise idle machine; figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PARTICLES="${PARTICLES:-400}"
cargo build --release -q -p bloc-cli
BIN=target/release/bloc
elapsed() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
setup=$(elapsed "$BIN" calibrate --particles 2 --generations 1)
full=$(elapsed "$BIN" calibrate --particles "$PARTICLES" --generations 1)
rate=$(echo "($PARTICLES - 2) / ($full - $setup)" | bc -l)
printf 'set-up + 2 simulations: %.1f s; set-up + %d simulations: %.1f s\n' "$setup" "$PARTICLES" "$full"
printf 'simulations of the record per second: %.2f; crisis runs per second: %.0f\n' "$rate" "$(echo "$rate * 42" | bc -l)"
printf '100,000 crisis runs: %.1f minutes (plus the set-up)\n' "$(echo "100000 / ($rate * 42) / 60" | bc -l)"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || echo unknown)
echo "machine: $(nproc) cores, ${cpu}, $(rustc --version)"
