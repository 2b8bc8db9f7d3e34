#!/usr/bin/env bash
# scale-consistency.sh: does the flagship's forecast depend on the lattice's size beyond its
# Monte Carlo error? (issue #16 item 8; docs/validation.md, "Scale consistency").
#
# What it does:
#   1. Builds bloc in release mode.
#   2. Runs `bloc forecast` on the embedded flagship with every ally's lattice at
#      SIZES (default "20 40 80") squares, RUNS runs each (default 200), the flagship's seed,
#      everything else unchanged (the same legitimacies: the calm-start rule was applied on
#      20 x 20).
#   3. Prints, per country and class, the probability at each size, and per size the largest
#      difference from the first size with the number of standard errors it spans
#      (|p1 - p2| / sqrt(p1 q1 / n + p2 q2 / n); the runs of different sizes are independent
#      draws). A difference beyond 3 standard errors is flagged.
# Environment: RUNS, SIZES, THREADS (default 0: one per core). Needs python3 (standard
# library only) and bc. 80 x 80 costs about 16 times 20 x 20.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-200}"
SIZES="${SIZES:-20 40 80}"
THREADS="${THREADS:-0}"
cargo build --release -q -p bloc-cli
BIN=target/release/bloc
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT
for n in $SIZES; do
  start=$(date +%s.%N)
  "$BIN" forecast --runs "$RUNS" --threads "$THREADS" \
    --set "citizens.lattice_width=$n" --set "citizens.lattice_height=$n" \
    --format json --out "$DIR/$n.json"
  end=$(date +%s.%N)
  echo "$n x $n: $(echo "$end - $start" | bc -l | cut -c1-6) s" >&2
done
python3 - "$RUNS" "$DIR" $SIZES <<'EOF'
import json, math, sys
runs = int(sys.argv[1]); d = sys.argv[2]; sizes = sys.argv[3:]
data = {n: json.load(open(f"{d}/{n}.json")) for n in sizes}
classes = ["smooth", "leaps", "suppression", "eruption", "stable"]
def countries(j):
    return {c["id"]: c for c in j["countries"]}
base = countries(data[sizes[0]])
print("| country | class | " + " | ".join(f"{n} x {n}" for n in sizes) + " |")
print("| --- | --- | " + " | ".join("---" for _ in sizes) + " |")
worst = {n: (0.0, 0.0, "") for n in sizes[1:]}
for cid in base:
    for k in classes + ["party_in_power"]:
        ps = []
        for n in sizes:
            c = countries(data[n])[cid]
            ps.append(c["outcomes"][k] if k in classes else c[k])
        if max(ps) == 0.0:
            continue
        print(f"| {cid} | {k} | " + " | ".join(f"{p:.3f}" for p in ps) + " |")
        for n, p in zip(sizes[1:], ps[1:]):
            p0 = ps[0]
            se = math.sqrt(p0 * (1 - p0) / runs + p * (1 - p) / runs)
            z = abs(p - p0) / se if se > 0 else (0.0 if p == p0 else math.inf)
            if abs(p - p0) > worst[n][0]:
                worst[n] = (abs(p - p0), z, f"{cid} {k}")
print()
for n, (diff, z, what) in worst.items():
    flag = "beyond 3 s.e." if z > 3 else "within 3 s.e."
    print(f"{n} x {n} vs {sizes[0]} x {sizes[0]}: largest difference {diff:.3f} ({what}), {z:.1f} s.e.: {flag}")
EOF
