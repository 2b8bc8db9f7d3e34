#!/usr/bin/env bash
# exchange-vs-decide.sh: runs decide-exchange-model 2022.1.28 (equal gain, 10 rounds, Python
# seeds 0..19) on decide's three data sets and prints its final Nash bargaining solution per
# issue beside bloc's (20 runs, master seed 7), then runs `bloc validate`, whose exchange
# checks compare bloc with the shipped reference data/bargain/reference/decide/summary.json.
#
# usage: scripts/exchange-vs-decide.sh [OUT_JSON]
# Creates a venv at ${DECIDE_VENV:-<repo>/.venv-decide} and installs the package from PyPI.
# Takes a few minutes: decide needs about a second per round on cop21.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${DECIDE_VENV:-$repo/.venv-decide}
out=${1:-$(mktemp -d)/decide-summary.json}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "decide-exchange-model==2022.1.28"
"$venv/bin/python" "$repo/scripts/decide_reference.py" "$repo/data/bargain/decide" --time > "$out"
echo "decide's summary: $out"
cargo build --release -q -p bloc-cli
for name in sample_data copenhagen cop21; do
  file=$(ls "$repo"/data/bargain/decide/"$name".*)
  "$repo/target/release/bloc" bargain "$file" --model exchange --runs 20 --seed 7 --format json |
    python3 -c '
import json, sys
name, ref_path = sys.argv[1], sys.argv[2]
ours = json.load(sys.stdin)["issues"]
ref = json.load(open(ref_path))[name]
print(f"== {name}: issue, bloc mean, decide mean +- sd")
for o, m, s in zip(ours, ref["mean"], ref["sd"]):
    issue, mine = o["issue"], o["nbs_final"]["mean"]
    print(f"{issue:24} {mine:7.2f} {m:7.2f} +- {s:5.2f}")
' "$name" "$out"
done
"$repo/target/release/bloc" validate | grep -E "exchange-decide|passed"
