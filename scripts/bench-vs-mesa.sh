#!/usr/bin/env bash
# bench-vs-mesa.sh: throughput of bloc's Epstein civil-violence model against
# Mesa 3.3.1's `epstein_civil_violence` example, in agent-steps per second.
#
# What it does:
#   1. Creates a Python venv at ${MESA_VENV:-<repo>/.venv-mesa} (python3 -m venv)
#      if missing and installs `mesa[network]==3.3.1` into it (networkx is
#      needed because importing the example imports all of Mesa's examples).
#   2. Builds bloc in release mode (`cargo build --release -p bloc-cli`).
#   3. Runs scripts/bench_mesa.py: Mesa's
#      mesa.examples.advanced.epstein_civil_violence.model.EpsteinCivilViolence
#      with its default parameters (40x40, citizen density 0.7, cop density
#      0.074, vision 7, legitimacy 0.8, max jail term 1000), headless, for
#      STEPS steps with seeds 1..SEEDS, calling model.step() in a loop (not
#      run_model, which stops at max_iters) and timing only the step loop.
#      Agent-steps = len(model.agents) (citizens + cops) x STEPS.
#   4. Runs `bloc epstein --config scenarios/epstein-mesa.toml --runs RUNS
#      --steps BLOC_STEPS --threads 1 --format json --out <tmp>`, timing the
#      whole command (process start to exit, wall clock, `date +%s.%N`).
#      Agent-steps = sum over runs[] of (citizens + cops) x meta.steps.
#   5. Repeats 4 with --threads 2 and --runs 2*RUNS (ensemble throughput on two
#      threads) and reports its speedup over the single-thread figure.
#   6. Prints a summary: Mesa agent-steps/s, bloc 1-thread agent-steps/s, the
#      bloc/Mesa ratio, bloc 2-thread agent-steps/s, the 2-thread/1-thread
#      speedup, and the machine (nproc, CPU model, rustc, Python).
#
# Caveats: the bloc timing includes process start-up, scenario parsing and
# JSON output (small against 1000 steps); the Mesa timing includes the
# example's own DataCollector call inside model.step(). Run on an otherwise
# idle machine.
#
# Environment overrides (defaults in brackets):
#   STEPS [200]        Mesa steps per seed
#   SEEDS [3]          Mesa seeds 1..SEEDS
#   RUNS [10]          bloc runs single-threaded (2*RUNS on two threads)
#   BLOC_STEPS [1000]  bloc steps per run
#   MESA_VENV [<repo>/.venv-mesa]
#   PYTHON [python3]   interpreter used to create the venv
#
# Usage: scripts/bench-vs-mesa.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

STEPS="${STEPS:-200}"
SEEDS="${SEEDS:-3}"
RUNS="${RUNS:-10}"
BLOC_STEPS="${BLOC_STEPS:-1000}"
MESA_VENV="${MESA_VENV:-$repo/.venv-mesa}"
PYTHON="${PYTHON:-python3}"
MESA_SPEC='mesa[network]==3.3.1'

for v in STEPS SEEDS RUNS BLOC_STEPS; do
    if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then
        echo "error: $v must be a positive integer (got '${!v}')" >&2
        exit 2
    fi
done

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
config="$repo/scenarios/epstein-mesa.toml"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# --- 3. Mesa ------------------------------------------------------------------
log "Mesa 3.3.1 epstein_civil_violence: seeds 1..$SEEDS x $STEPS steps"
mesa_line="$("$vpy" "$repo/scripts/bench_mesa.py" --steps "$STEPS" --seeds "$SEEDS")"
echo "$mesa_line"
mesa_rate="$(sed -n 's/.*mesa_agent_steps_per_s=\([0-9.]*\).*/\1/p' <<<"$mesa_line")"
mesa_agents="$(sed -n 's/.* agents=\([0-9.]*\).*/\1/p' <<<"$mesa_line")"
mesa_seconds="$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' <<<"$mesa_line")"
if [[ -z "$mesa_rate" ]]; then
    echo "error: could not parse bench_mesa.py output: $mesa_line" >&2
    exit 1
fi

# --- 4./5. bloc ---------------------------------------------------------------
# run_bloc THREADS RUNS -> prints "agent_steps seconds rate agents_per_run"
run_bloc() {
    local threads="$1" runs="$2" out="$tmp/bloc-t$1.json" t0 t1
    t0="$(date +%s.%N)"
    "$bloc" epstein --config "$config" --runs "$runs" --steps "$BLOC_STEPS" \
        --threads "$threads" --format json --out "$out"
    t1="$(date +%s.%N)"
    "$vpy" - "$out" "$t0" "$t1" "$runs" "$BLOC_STEPS" <<'EOF'
import json, sys
path, t0, t1, runs, steps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
with open(path) as f:
    d = json.load(f)
meta_steps = int(d["meta"]["steps"])
rs = d["runs"]
if meta_steps != steps or len(rs) != runs or int(d["meta"]["runs"]) != runs:
    sys.exit(f"unexpected bloc JSON: meta.steps={meta_steps} meta.runs={d['meta']['runs']} len(runs)={len(rs)}")
agents = sum(int(r["citizens"]) + int(r["cops"]) for r in rs)
agent_steps = agents * meta_steps
secs = t1 - t0
print(f"{agent_steps} {secs:.3f} {agent_steps / secs:.1f} {agents / len(rs):.1f}")
EOF
}

log "bloc: $RUNS runs x $BLOC_STEPS steps, 1 thread"
b1_out="$(run_bloc 1 "$RUNS")"
read -r b1_as b1_s b1_rate b1_agents <<<"$b1_out"
echo "bloc_agent_steps_per_s=$b1_rate threads=1 runs=$RUNS steps=$BLOC_STEPS mean_agents=$b1_agents agent_steps=$b1_as seconds=$b1_s"

runs2=$((2 * RUNS))
log "bloc: $runs2 runs x $BLOC_STEPS steps, 2 threads"
b2_out="$(run_bloc 2 "$runs2")"
read -r b2_as b2_s b2_rate b2_agents <<<"$b2_out"
echo "bloc_agent_steps_per_s=$b2_rate threads=2 runs=$runs2 steps=$BLOC_STEPS mean_agents=$b2_agents agent_steps=$b2_as seconds=$b2_s"

# --- 6. summary ---------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)"

cat <<EOF

=== bloc vs Mesa 3.3.1: Epstein civil violence (Mesa example defaults, 40x40) ===
Mesa 3.3.1 (1 process):   $(printf '%12.1f' "$mesa_rate") agent-steps/s  (seeds 1..$SEEDS x $STEPS steps, $mesa_agents agents, ${mesa_seconds}s in step loops)
bloc, 1 thread:           $(printf '%12.1f' "$b1_rate") agent-steps/s  ($RUNS runs x $BLOC_STEPS steps, mean $b1_agents agents, ${b1_s}s wall)
bloc / Mesa:              $(printf '%12s' "$(ratio "$b1_rate" "$mesa_rate")")x
bloc, 2 threads:          $(printf '%12.1f' "$b2_rate") agent-steps/s  ($runs2 runs x $BLOC_STEPS steps, mean $b2_agents agents, ${b2_s}s wall)
2-thread / 1-thread:      $(printf '%12s' "$(ratio2 "$b2_rate" "$b1_rate")")x
Machine: nproc=$(nproc), CPU: ${cpu:-unknown}
         $(rustc --version), Python $("$vpy" -c 'import platform; print(platform.python_version())')
EOF
