#!/usr/bin/env bash
# bench-strategies.sh: wall-clock time of `bloc compare` on the five shipped strategies and of
# `bloc playbook` on the shipped playbook (6 triggers x 5 reactions), 1000 runs each, in a
# release build, with the default thread count (one per core).
#
# What it does:
#   1. Builds bloc in release mode (`cargo build --release -p bloc-cli`).
#   2. Times `bloc compare scenarios/strategies/{status-quo-1988,minimum-program,
#      brezhnev-doctrine,push-reform,disengage}.toml --format json --out <tmp>` and
#      `bloc playbook scenarios/playbooks/eastern-europe-1989.toml --format json --out <tmp>`,
#      each REPEAT times (default 1), from process start to exit (`date +%s.%N`).
#   3. Prints every time and the machine (nproc, CPU model, rustc). Run on an otherwise idle
#      machine; figures go to docs/performance.md.
# BLOC_ARGS adds arguments to both commands: BLOC_ARGS=--no-posterior times them at the
# scenario's own values (the default draws each run from the shipped posterior).
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT="${REPEAT:-1}"
read -r -a EXTRA <<< "${BLOC_ARGS:-}"
cargo build --release -q -p bloc-cli
BIN=target/release/bloc
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
elapsed() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}
S=scenarios/strategies
compare=()
playbook=()
for _ in $(seq "$REPEAT"); do
  compare+=("$(elapsed "$BIN" compare "$S/status-quo-1988.toml" "$S/minimum-program.toml" \
    "$S/brezhnev-doctrine.toml" "$S/push-reform.toml" "$S/disengage.toml" --format json --out "$OUT" "${EXTRA[@]}")")
  playbook+=("$(elapsed "$BIN" playbook scenarios/playbooks/eastern-europe-1989.toml --format json --out "$OUT" "${EXTRA[@]}")")
done
echo "bloc compare (5 strategies x 1000 runs), seconds: ${compare[*]}"
echo "bloc playbook (6 triggers x 5 reactions, 1000 base runs), seconds: ${playbook[*]}"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || echo unknown)
echo "machine: $(nproc) cores, ${cpu}, $(rustc --version)"
