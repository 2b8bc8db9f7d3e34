#!/usr/bin/env bash
# abc-vs-pyabc.sh: bloc's ABC-SMC (bloc_calibrate::smc) and pyabc 0.13 on the same two toy
# problems with exact posteriors (a beta-binomial and a normal mean, bloc_calibrate::toy),
# side by side with the exact posterior: mean, 5 % and 95 % quantiles, last tolerance,
# simulations and seconds, for each seed.
#
# usage: scripts/abc-vs-pyabc.sh [SEED...]   (default: 1 2 3)
# Creates a venv at ${PYABC_VENV:-<repo>/.venv-pyabc} and installs pyabc 0.13 from PyPI.
# pyabc runs on one core (its SingleCoreSampler, for a seeded run): about two minutes per
# seed. bloc's figures come from `cargo run --release -p bloc-calibrate --example
# toy_posteriors`, on every core.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${PYABC_VENV:-$repo/.venv-pyabc}
seeds=("${@:-1}")
[ $# -eq 0 ] && seeds=(1 2 3)
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q "pyabc==0.13.*"
tmp=$(mktemp -d)
(cd "$tmp" && "$venv/bin/python" "$repo/scripts/abc_pyabc_reference.py" "${seeds[@]}" > pyabc.json 2> pyabc.log)
cargo run -q --release -p bloc-calibrate --example toy_posteriors -- "${seeds[@]}" > "$tmp/bloc.json"
python3 - "$tmp/bloc.json" "$tmp/pyabc.json" <<'PY'
import json, sys
bloc = json.load(open(sys.argv[1]))
py = json.load(open(sys.argv[2]))
exact = {b["check"]["name"]: b["check"]["exact"] for b in bloc}
print("| problem | tool | seed | mean | q05 | q95 | last tolerance | simulations | seconds |")
print("|---|---|---|---|---|---|---|---|---|")
for name, e in exact.items():
    print(f"| {name} | exact | | {e['mean']:.4f} | {e['q05']:.4f} | {e['q95']:.4f} | | | |")
for b in bloc:
    c, a = b["check"], b["check"]["abc"]
    print(f"| {c['name']} | bloc | {b['seed']} | {a['mean']:.4f} | {a['q05']:.4f} | {a['q95']:.4f} "
          f"| {c['epsilon']:.4g} | {c['simulations']} | {b['seconds']:.2f} (2 cores) |")
for p in py:
    print(f"| {p['name']} | pyabc 0.13 | {p['seed']} | {p['mean']:.4f} | {p['q05']:.4f} | {p['q95']:.4f} "
          f"| {p['epsilon']:.4g} | {p['simulations']} | {p['seconds']:.1f} (1 core) |")
PY
