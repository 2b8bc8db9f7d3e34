#!/usr/bin/env bash
# bench-validate.sh: wall-clock time of `bloc validate` and of `bloc sensitivity` with its
# defaults on the embedded flagship, in a release build.
#
# What it does:
#   1. Builds bloc in release mode (`cargo build --release -p bloc-cli`).
#   2. Runs `bloc validate --format json --out <tmp>` REPEAT times (default 3) with the
#      default thread count (one per core), timing each from process start to exit
#      (`date +%s.%N`). validate exits 1 while a check fails; that is not an error here.
#   3. Runs `bloc sensitivity --format json --out <tmp>` once (SENSITIVITY=0 skips it).
#   4. Prints every time and the machine (nproc, CPU model, rustc). Run on an otherwise
#      idle machine; figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${REPEAT:-3}"
SENSITIVITY="${SENSITIVITY:-1}"
cargo build --release -q -p bloc-cli
BIN=target/release/bloc
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
elapsed() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
times=()
for _ in $(seq "$REPEAT"); do
  times+=("$(elapsed "$BIN" validate --format json --out "$OUT")")
done
echo "bloc validate, all cores, seconds: ${times[*]}"
if [ "$SENSITIVITY" != 0 ]; then
  echo "bloc sensitivity (defaults), all cores, seconds: $(elapsed "$BIN" sensitivity --format json --out "$OUT")"
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || echo unknown)
echo "machine: $(nproc) cores, ${cpu}, $(rustc --version)"
