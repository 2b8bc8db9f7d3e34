#!/usr/bin/env bash
# mesa-vs-bloc.sh: Model I's summary statistics from Mesa 3.3.1's
# `epstein_civil_violence` example against bloc's, on equal parameters (issue #6,
# check 1). Writes the reference file that bloc's checks `epstein/mesa-*`
# (bloc_validate::mesa) embed, then prints a side-by-side table.
#
# What it does:
#   1. Creates a Python venv at ${MESA_VENV:-<repo>/.venv-mesa} (python3 -m venv)
#      if missing and installs `mesa[network]==3.3.1` into it (networkx is
#      needed because importing the example imports all of Mesa's examples).
#   2. Builds bloc in release mode (`cargo build --release -p bloc-cli`).
#   3. Two configurations, both under Mesa's own rules (von Neumann diamond of
#      radius 7, round(C/A), jailed citizens keep their cell, jail terms count
#      down on the prisoner's own turn, act then move, random sequential
#      activation, Bernoulli placement; see scenarios/epstein-mesa.toml):
#        mesa-defaults  scenarios/epstein-mesa.toml: the example's defaults
#                       (40x40, citizens 0.7, cops 0.074, vision 7, L 0.8,
#                       T 0.1, k 2.3, J_max 1000). Under them nothing erupts:
#                       the outburst statistics are all but empty.
#        run2           the same file with the paper's Run 2 parameters (cops
#                       0.04, L 0.82, J_max 30; the values of
#                       bloc_validate::with_run_parameters(.., 2)),
#                       written to a temporary file by `mesa_summary.py derive`:
#                       here outbursts happen, so their frequency, size and
#                       spacing can be compared.
#   4. Runs scripts/mesa_summary.py mesa: Mesa's example, unmodified, with
#      every parameter read from each scenario file and passed explicitly, for
#      seeds 1..SEEDS x STEPS steps (JOBS processes), computing per run the
#      statistics bloc computes with bloc's definitions (mean active share,
#      mean jailed share, peak actives, calm share, outbursts, mean activation
#      per outburst, mean wait; outburst rule from the file's [outburst]
#      section: more than 50 actives after at least 1 calm step). Writes OUT
#      (default data/epstein/mesa-reference.json) with metadata (Mesa version,
#      parameters, seeds, steps, date, this script) and per configuration and
#      statistic the mean, sample s.d. and number of runs, and every run.
#   5. Runs `bloc epstein --config FILE --runs BLOC_RUNS --steps STEPS
#      --seed BLOC_SEED --per-run --format json` on both files, and computes
#      the same statistics from bloc's per-step counts with the same Python
#      code (checked against bloc's own per-run summaries).
#   6. Prints the side-by-side table with the criterion of bloc's checks:
#      |bloc mean - Mesa mean| <= 3 combined standard errors + 1 % of Mesa's mean.
#
# Run time (2-core machine of docs/performance.md): Mesa steps 22,000-25,000
# agent-steps/s per process with its DataCollector off, so a run of 500 steps
# takes about 27 s (mesa-defaults, ~1,230 agents) or 23 s (run2, ~1,180), and
# the defaults (20 seeds x 500 steps x 2 configurations, 2 jobs) about 1,000 s
# of step loops: about 8.5 minutes of wall time on an otherwise idle machine.
# The reference file shipped was made in 1,093 s (18 min) while other jobs
# kept the machine's load at 4-6 (step loops 2,174 s, recorded in its meta).
# bloc's part takes a few seconds.
#
# Environment overrides (defaults in brackets):
#   SEEDS [20]          Mesa seeds 1..SEEDS per configuration
#   STEPS [500]         steps per run (Mesa and bloc)
#   JOBS [2]            Mesa worker processes
#   BLOC_RUNS [SEEDS]   bloc runs per configuration
#   BLOC_SEED [42]      bloc's master seed
#   OUT [<repo>/data/epstein/mesa-reference.json]  the reference file written
#   SKIP_MESA [0]       1: do not run Mesa, compare with the existing OUT
#   MESA_VENV [<repo>/.venv-mesa]
#   PYTHON [python3]    interpreter used to create the venv
#
# Usage: scripts/mesa-vs-bloc.sh
#        SEEDS=4 STEPS=100 OUT=/tmp/mesa-ref.json scripts/mesa-vs-bloc.sh   # a quick try
#        SKIP_MESA=1 BLOC_RUNS=50 scripts/mesa-vs-bloc.sh   # bloc validate's runs (seed 42)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

SEEDS="${SEEDS:-20}"
STEPS="${STEPS:-500}"
JOBS="${JOBS:-2}"
BLOC_RUNS="${BLOC_RUNS:-$SEEDS}"
BLOC_SEED="${BLOC_SEED:-42}"
OUT="${OUT:-$repo/data/epstein/mesa-reference.json}"
SKIP_MESA="${SKIP_MESA:-0}"
MESA_VENV="${MESA_VENV:-$repo/.venv-mesa}"
PYTHON="${PYTHON:-python3}"
MESA_SPEC='mesa[network]==3.3.1'

for v in SEEDS STEPS JOBS BLOC_RUNS; do
    if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then
        echo "error: $v must be a positive integer (got '${!v}')" >&2
        exit 2
    fi
done
if ! [[ "$BLOC_SEED" =~ ^[0-9]+$ ]]; then
    echo "error: BLOC_SEED must be a non-negative integer (got '$BLOC_SEED')" >&2
    exit 2
fi

log() { printf '==> %s\n' "$*" >&2; }

# --- 1. Mesa venv -------------------------------------------------------------
vpy="$MESA_VENV/bin/python"
if [[ ! -x "$vpy" ]]; then
    log "creating venv $MESA_VENV"
    "$PYTHON" -m venv "$MESA_VENV"
fi
if ! "$vpy" - <<'EOF' 2>/dev/null; then
import importlib.metadata as md, sys
import networkx  # noqa: F401  (the [network] extra)
sys.exit(0 if md.version("mesa") == "3.3.1" else 1)
EOF
    log "installing $MESA_SPEC into $MESA_VENV"
    "$vpy" -m pip install --quiet --upgrade pip
    "$vpy" -m pip install --quiet "$MESA_SPEC"
fi

# --- 2. build bloc ------------------------------------------------------------
log "building bloc (release)"
cargo build --release -p bloc-cli
bloc="$repo/target/release/bloc"
summary="$repo/scripts/mesa_summary.py"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# --- 3. the two configurations ------------------------------------------------
defaults="scenarios/epstein-mesa.toml"
run2="$tmp/epstein-mesa-run2.toml"
"$vpy" "$summary" derive --scenario "$defaults" --out "$run2" \
    --set 'scenario.name="Mesa 3.3 rules with the paper'"'"'s Run 2 parameters"' \
    --set population.cop_density=0.04 \
    --set citizens.legitimacy=0.82 \
    --set citizens.max_jail_term=30
"$bloc" check "$run2" >/dev/null

# --- 4. Mesa ------------------------------------------------------------------
if [[ "$SKIP_MESA" != 1 ]]; then
    log "Mesa 3.3.1 epstein_civil_violence: 2 configurations x seeds 1..$SEEDS x $STEPS steps, $JOBS jobs"
    mkdir -p "$(dirname "$OUT")"
    t0="$(date +%s)"
    "$vpy" "$summary" mesa --seeds "$SEEDS" --steps "$STEPS" --jobs "$JOBS" \
        --config "mesa-defaults=$defaults" --config "run2=$run2" --out "$tmp/mesa.json"
    # The derived file is temporary: record how it was made instead of its path.
    "$vpy" - "$tmp/mesa.json" "$OUT" <<'EOF'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
d = json.load(open(src))
for c in d["configurations"]:
    if c["name"] == "run2":
        c["scenario"] = ("scenarios/epstein-mesa.toml with population.cop_density = 0.04, "
                         "citizens.legitimacy = 0.82, citizens.max_jail_term = 30 (paper, Run 2)")
with open(dst, "w") as f:
    json.dump(d, f, indent=1)
    f.write("\n")
EOF
    log "Mesa took $(( $(date +%s) - t0 )) s; wrote $OUT"
elif [[ ! -f "$OUT" ]]; then
    echo "error: SKIP_MESA=1 but $OUT does not exist" >&2
    exit 1
fi
steps_ref="$("$vpy" -c 'import json,sys; print(json.load(open(sys.argv[1]))["meta"]["steps"])' "$OUT")"
if [[ "$steps_ref" != "$STEPS" ]]; then
    log "the reference has $steps_ref steps per run: bloc runs $steps_ref steps too"
    STEPS="$steps_ref"
fi

# --- 5. bloc ------------------------------------------------------------------
log "bloc: $BLOC_RUNS runs x $STEPS steps per configuration, seed $BLOC_SEED"
t0="$(date +%s.%N)"
for pair in "mesa-defaults=$defaults" "run2=$run2"; do
    name="${pair%%=*}"
    "$bloc" epstein --config "${pair#*=}" --runs "$BLOC_RUNS" --steps "$STEPS" \
        --seed "$BLOC_SEED" --per-run --format json --out "$tmp/bloc-$name.json"
done
t1="$(date +%s.%N)"
log "bloc took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
"$vpy" "$summary" bloc --config "mesa-defaults=$tmp/bloc-mesa-defaults.json" \
    --config "run2=$tmp/bloc-run2.json" --out "$tmp/bloc.json"

# --- 6. table -----------------------------------------------------------------
echo
echo "=== Epstein Model I: Mesa 3.3.1 against bloc on equal parameters and Mesa's rules ==="
"$vpy" "$summary" compare --mesa "$OUT" --bloc "$tmp/bloc.json"
