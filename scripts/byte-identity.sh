#!/usr/bin/env bash
# Byte-identity check for behaviour-preserving changes (issue #15).
#
#   scripts/byte-identity.sh record DIR [BIN]   run every shipped command, outputs into DIR
#   scripts/byte-identity.sh compare A B        diff two recorded DIRs; exit 1 on any difference
#
# Every command writes JSON (and, where the format is rendered by the CLI, the table and CSV
# too) with a fixed seed and a fixed thread count; the run counts are cut so that the whole
# record takes a few minutes on 2 cores in a release build, but every code path of each
# command (trajectories, events, --set, strategies with reactions, playbook branching,
# Morris design, every CIB mode and format, every bargaining model) is exercised. Record
# before the change with the old binary, after it with the new, then compare.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in
  compare)
    a=${2:?usage: byte-identity.sh compare A B}
    b=${3:?usage: byte-identity.sh compare A B}
    if diff -r -q "$a" "$b"; then
      echo "byte-identical: $(find "$a" -type f | wc -l) outputs"
      exit 0
    fi
    echo "outputs differ" >&2
    exit 1
    ;;
  record) ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

out=${2:?usage: byte-identity.sh record DIR [BIN]}
bin=${3:-target/release/bloc}
if [ "$bin" = target/release/bloc ]; then
  cargo build --release --locked -p bloc-cli >&2
fi
bin=$(realpath "$bin")
mkdir -p "$out"
out=$(realpath "$out")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME ARGS...: stdout to DIR/NAME, stderr and exit code to DIR/NAME.status
run() {
  local name=$1
  shift
  echo "  $name" >&2
  local code=0
  "$bin" "$@" > "$out/$name" 2> "$tmp/stderr" || code=$?
  { echo "exit $code"; grep -v -E 'elapsed|ETA|[0-9]+/[0-9]+ ' "$tmp/stderr" || true; } > "$out/$name.status"
}

S=scenarios
STRATS=($S/strategies/{status-quo-1988,minimum-program,brezhnev-doctrine,push-reform,disengage}.toml)

echo "forecast" >&2
run forecast.json forecast --format json --threads 2
run forecast.table forecast --runs 200 --threads 2
run forecast.csv forecast --runs 200 --format csv --threads 1
run forecast-events.json forecast --runs 200 --events $S/events/observed-1989.toml --format json
run forecast-set.json forecast --runs 200 --format json --set 'centre.doctrine="when_regime_falls"' --set countries.GDR.belief=0.9
run forecast-two-allies.json forecast $S/two-allies.toml --runs 300 --format json
run forecast-horizon.json forecast --runs 100 --horizon 30 --seed 7 --format json
"$bin" forecast --runs 60 --trajectories "$out/trajectories.csv" --format json > "$out/forecast-traj.json"
"$bin" forecast --runs 60 --trajectories "$out/trajectories-runs.json" --trajectory-runs 3,17 --format json > /dev/null

echo "epstein" >&2
run epstein.json epstein --runs 20 --steps 200 --format json
run epstein.table epstein --runs 20 --steps 200
run epstein-per-run.csv epstein --per-run --runs 3 --steps 100 --format csv
for c in paper netlogo mesa; do
  run "epstein-$c.json" epstein --config "$S/epstein-$c.toml" --runs 10 --steps 150 --format json
done

echo "cib" >&2
run cib.json cib --format json
run cib.table cib
run cib.csv cib --format csv
run cib-t1.json cib --tolerance 1 --format json
run cib-count.json cib --tolerance 2 --count-only --format json
run cib-fix.csv cib --fix party_course=reform_led --format csv
run cib-attractors.json cib --attractors --succession adiabatic --format json
run cib-attractors-global.json cib --attractors --format json
run cib-uncertainty.json cib --uncertainty 200 --format json
"$bin" cib --export-scw "$out/export.scw" --export-sl "$out/export.sl" \
  --export-pycib "$out/export-pycib.json" --export-toml "$out/export.toml" > /dev/null
# Relative paths, since the outputs name the file they read.
(
  cd "$out"
  run cib-from-scw.json cib export.scw --format json
  run cib-verify-sl.json cib export.scw --solutions export.sl --format json
  run cib-from-pycib.json cib export-pycib.json --tolerance 1 --format json
  run cib-from-toml.table cib export.toml --attractors
)

echo "bargain" >&2
for f in data/bargain/bdm/*; do
  n=$(basename "$f")
  run "bargain-bdm-$n.json" bargain "$f" --model bdm --format json
  run "bargain-median-$n.json" bargain "$f" --model median --format json
done
run bargain-bdm.table bargain data/bargain/bdm/emission_standards_bdm1994.csv --model bdm
run bargain-bdm.csv bargain data/bargain/bdm/emission_standards_bdm1994.csv --model bdm --format csv
run bargain-median.table bargain data/bargain/bdm/emission_standards_bdm1994.csv --model median
run bargain-median.csv bargain data/bargain/bdm/emission_standards_bdm1994.csv --model median --format csv
run bargain-exchange.csv bargain data/bargain/decide/cop21.csv --model exchange --runs 5 --format csv
for f in data/bargain/decide/cop21.csv data/bargain/decide/copenhagen.csv; do
  n=$(basename "$f")
  run "bargain-exchange-$n.json" bargain "$f" --model exchange --runs 30 --format json
done
run bargain-exchange.table bargain data/bargain/decide/cop21.csv --model exchange --runs 30

echo "compare" >&2
run compare.json compare "${STRATS[@]}" --runs 150 --format json
run compare.table compare "${STRATS[@]}" --runs 150
run compare.csv compare "${STRATS[@]}" --runs 150 --format csv

echo "playbook" >&2
run playbook.json playbook $S/playbooks/eastern-europe-1989.toml --runs 60 --format json
run playbook.md playbook $S/playbooks/eastern-europe-1989.toml --runs 60
run playbook-strategy.json playbook $S/playbooks/eastern-europe-1989.toml --runs 40 \
  --strategy $S/strategies/brezhnev-doctrine.toml --format json
mkdir -p "$out/snapshots"
"$bin" playbook $S/playbooks/eastern-europe-1989.toml --runs 20 --snapshots "$out/snapshots" \
  --snapshot-runs 0,3 --format json > /dev/null

echo "sensitivity" >&2
run sensitivity.json sensitivity --trajectories 2 --runs 4 --horizon 40 --format json
run sensitivity.table sensitivity --trajectories 2 --runs 4 --horizon 40 --top 10

echo "validate" >&2
run validate.json validate --format json
run validate.csv validate --format csv

echo "check and schema" >&2
for f in $S/*.toml $S/strategies/*.toml $S/playbooks/*.toml $S/events/*.toml; do
  run "check-$(echo "${f#$S/}" | tr / -).json" check "$f" --json
done
printf '[scenario]\nkind = "bloc"\nweeks = "x"\n' > "$tmp/bad.toml"
(cd "$tmp" && run check-bad.json check bad.toml --json)
for k in epstein bloc events strategy playbook cib; do
  run "schema-$k.json" schema "$k"
done

# Wall-clock timings are the only fields that may differ between two runs of one binary.
find "$out" -type f -exec sed -i -E 's/"search_seconds": ?[0-9.eE+-]+/"search_seconds":"(timing)"/g' {} +

echo "recorded $(find "$out" -type f | wc -l) files in $out" >&2
