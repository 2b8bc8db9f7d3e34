#!/usr/bin/env bash
# cib-vs-pycib.sh: PyCIB's exact consistent-scenario search against bloc's `bloc cib`, side by
# side, on the published CIB cases (somewhereland, CIB_global, bench_50x50, CIB_nested), both
# tools reading the same PyCIB JSON file.
#
# usage: scripts/cib-vs-pycib.sh [CASES_DIR]
#   CASES_DIR  the directory of the published case files <name>.json (fields descriptors,
#              variants, matrix, consistent; default: <repo>/data/cib/published)
#
# What it does, for each case present in CASES_DIR:
#   1. Writes the case as PyCIB JSON (format_version 2: descriptors name -> ordered states,
#      impacts records {src_desc, src_state, tgt_desc, tgt_state, impact}) into a temporary
#      directory with `scripts/cib_pycib_reference.py to-pycib`.
#   2. Runs `scripts/cib_pycib_reference.py run` with $PYCIB_PYTHON: it loads that file with
#      PyCIB's own loader (cib.utils.load_from_json) and times
#      ScenarioAnalyzer.find_all_consistent_exact (depth-first search with PyCIB's upper-bound
#      pruning, tolerance 0, PyCIB's default settings) PYCIB_REPEATS times in one process (wall
#      clock of that call only), checks the consistent set against the case's `consistent`
#      field and reports the median. A search longer than PYCIB_TIME_LIMIT seconds is stopped by
#      PyCIB's own time_limit_s and reported as not finished.
#   3. Runs `bloc cib FILE.json --format json` on the same file once to read its "count" and
#      "search_seconds", then times whole-process runs (start-up, parsing, search, output) with
#      hyperfine (BLOC_RUNS runs after one warm-up) or, without hyperfine, a loop timed with
#      `date +%s.%N`. If the bloc binary has no `cib` command yet, the bloc columns are skipped.
#   4. Prints a Markdown table: case, space, consistent scenarios (PyCIB / bloc), PyCIB median s,
#      bloc median s (whole process), bloc search_seconds, speed-up (PyCIB median / bloc median).
#
# PyCIB: nothing here installs it (it is AGPL-3.0 code and stays out of this repository).
#   Install it yourself from its source repository (github.com/ag-ross/PyCIB), outside this
#   repository and as its own README describes, then point PYCIB_PYTHON at the Python that
#   imports it.
# hyperfine: `apt-get install hyperfine` (or `cargo install hyperfine`); optional.
#
# Environment:
#   PYCIB_PYTHON      Python with PyCIB importable (default: python3)
#   PYCIB_REPEATS     PyCIB searches per case, median reported (default: 3)
#   PYCIB_TIME_LIMIT  PyCIB's time_limit_s per search, in seconds (default: 600)
#   BLOC_RUNS         timed whole-process bloc runs per case (default: 10)
#   BLOC              the bloc binary (default: <repo>/target/release/bloc, built first with
#                     `cargo build --release -p bloc-cli` unless BUILD=0)
#   OUT_DIR           keep the PyCIB JSON files and the raw results here (default: a temporary
#                     directory, removed at exit)
#
# Caveats: PyCIB's time is one call inside a warm Python process (imports and file loading not
# counted); bloc's whole-process time includes process start-up, reading the file and writing
# the JSON output, so the speed-up column understates the search-only ratio (compare with the
# search_seconds column). Run on an otherwise idle machine: PyCIB's bench_50x50 search took
# 8.0 s at load average ~0.5 and 17.5 s at ~4.5 (a cargo build alongside) on a 2-CPU machine;
# the load averages are printed with the table.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cases_dir=${1:-$repo/data/cib/published}
pycib_python=${PYCIB_PYTHON:-python3}
pycib_repeats=${PYCIB_REPEATS:-3}
pycib_time_limit=${PYCIB_TIME_LIMIT:-600}
bloc_runs=${BLOC_RUNS:-10}
helper="$repo/scripts/cib_pycib_reference.py"

if [[ ! -d "$cases_dir" ]]; then
  echo "no case directory $cases_dir (usage: $0 [CASES_DIR])" >&2
  exit 2
fi
if ! "$pycib_python" -c 'import cib.solvers.exact_pruned' 2>/dev/null; then
  cat >&2 <<EOF
PyCIB (package \`cib\`) cannot be imported by $pycib_python.
Install it yourself from its source repository (github.com/ag-ross/PyCIB), outside this
repository, as its README describes;
and run: PYCIB_PYTHON=/somewhere/venv-pycib/bin/python $0 ${1:-}
EOF
  exit 2
fi

if [[ -n ${OUT_DIR:-} ]]; then
  work=$OUT_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

if [[ -n ${BLOC:-} ]]; then
  bloc=$BLOC
else
  bloc="$repo/target/release/bloc"
  if [[ ${BUILD:-1} != 0 ]]; then
    (cd "$repo" && cargo build --release -q -p bloc-cli)
  fi
fi
have_bloc=0
if [[ -x "$bloc" ]] && "$bloc" cib --help >/dev/null 2>&1; then
  have_bloc=1
else
  echo "note: $bloc has no \`cib\` command (yet); the bloc columns are skipped" >&2
fi
have_hyperfine=0
if command -v hyperfine >/dev/null; then
  have_hyperfine=1
elif [[ $have_bloc == 1 ]]; then
  echo "note: hyperfine not found (apt-get install hyperfine); timing bloc with a date loop" >&2
fi

# Reads a JSON value by key anywhere in a document (first match, breadth first).
json_get() { # FILE KEY
  python3 - "$1" "$2" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
queue = [doc]
while queue:
    node = queue.pop(0)
    if isinstance(node, dict):
        if sys.argv[2] in node and not isinstance(node[sys.argv[2]], (dict, list)):
            print(node[sys.argv[2]]); break
        queue.extend(node.values())
    elif isinstance(node, list):
        queue.extend(node)
else:
    print("?")
EOF
}

# Median wall time in seconds of BLOC_RUNS whole-process runs of `bloc cib FILE --format json`.
time_bloc() { # FILE NAME
  local file=$1 name=$2
  if [[ $have_hyperfine == 1 ]]; then
    hyperfine -N --style none --warmup 1 --runs "$bloc_runs" \
      --export-json "$work/$name.hyperfine.json" \
      "$(printf '%q cib %q --format json' "$bloc" "$file")" >&2
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' \
      "$work/$name.hyperfine.json"
  else
    "$bloc" cib "$file" --format json >/dev/null  # warm-up
    local i t0 t1
    for ((i = 0; i < bloc_runs; i++)); do
      t0=$(date +%s.%N)
      "$bloc" cib "$file" --format json >/dev/null
      t1=$(date +%s.%N)
      awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}'
    done | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
  fi
}

load_start=$(cut -d" " -f1-3 /proc/loadavg)
rows=()
for name in somewhereland CIB_global bench_50x50 CIB_nested; do
  case_file="$cases_dir/$name.json"
  if [[ ! -f "$case_file" ]]; then
    echo "skip $name: no $case_file" >&2
    continue
  fi
  pycib_file="$work/$name.pycib.json"
  python3 "$helper" to-pycib "$case_file" "$pycib_file"

  echo "== $name: PyCIB (repeats $pycib_repeats, time limit ${pycib_time_limit}s)" >&2
  "$pycib_python" "$helper" run "$case_file" --pycib-json "$pycib_file" \
    --repeats "$pycib_repeats" --time-limit "$pycib_time_limit" \
    --out "$work/$name.pycib-result.json" >&2
  res="$work/$name.pycib-result.json"
  space=$(json_get "$res" space)
  p_count=$(json_get "$res" consistent_count)
  p_match=$(json_get "$res" matches_published)
  p_med=$(json_get "$res" seconds_median)
  p_done=$(json_get "$res" is_complete)
  if [[ $p_done == True ]]; then
    p_cell=$(printf '%.4g' "$p_med")
    [[ $p_match == True ]] || p_count="$p_count (DIFFERS from published)"
  else
    p_cell="> $pycib_time_limit (not finished)"
    p_count="≥ $p_count (partial)"
  fi

  b_count="–"; b_med_cell="–"; b_search="–"; speed="–"
  if [[ $have_bloc == 1 ]]; then
    echo "== $name: bloc" >&2
    if "$bloc" cib "$pycib_file" --format json >"$work/$name.bloc.json"; then
      b_count=$(json_get "$work/$name.bloc.json" count)
      b_search=$(json_get "$work/$name.bloc.json" search_seconds)
      [[ $b_search == "?" ]] || b_search=$(printf '%.4g' "$b_search")
      b_med=$(time_bloc "$pycib_file" "$name")
      b_med_cell=$(printf '%.4g' "$b_med")
      if [[ $p_done == True ]]; then
        speed=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.3g}x")' "$p_med" "$b_med")
      else
        speed=$(python3 -c 'import sys; print(f"> {float(sys.argv[1]) / float(sys.argv[2]):.0f}x")' "$pycib_time_limit" "$b_med")
      fi
    else
      b_count="bloc failed"
    fi
  fi
  rows+=("| $name | $space | $p_count / $b_count | $p_cell | $b_med_cell | $b_search | $speed |")
done

if ((${#rows[@]} == 0)); then
  echo "no case files (somewhereland, CIB_global, bench_50x50, CIB_nested) in $cases_dir" >&2
  exit 2
fi
pycib_commit=$(json_get "$(ls "$work"/*.pycib-result.json | head -1)" pycib_commit)
python_version=$(json_get "$(ls "$work"/*.pycib-result.json | head -1)" python_version)
echo
echo "PyCIB $pycib_commit (Python $python_version), tolerance 0; bloc: $bloc"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//');" \
  "load average at start $load_start, at end $(cut -d" " -f1-3 /proc/loadavg)"
echo
echo "| case | space | consistent (PyCIB / bloc) | PyCIB median s | bloc median s (process) | bloc search_seconds | speed-up |"
echo "| --- | ---: | --- | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
