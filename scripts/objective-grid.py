#!/usr/bin/env python3
"""Ranks the strategies of one `bloc compare --format json` result under a grid of
objective weights (docs/strategies.md, "Under a grid of objective weights").

The objective is linear: a run's score is the sum over the allies of the weighted outcome
indicators plus the cost weight times the lever cost. So the mean score of a strategy under
any weights follows exactly from the bloc means that one comparison reports (`bloc` and
`cost` of each strategy); the script checks this against the comparison's own score for the
objective it was run with, then recomputes every grid point. Paired intervals are not
recomputed (they need the per-run scores): the grid ranks by mean score.

Usage:
    bloc compare scenarios/strategies/{status-quo-1988,minimum-program,brezhnev-doctrine,push-reform,disengage}.toml \
        --format json --out compare.json
    python3 scripts/objective-grid.py compare.json

Standard library only.
"""

import itertools
import json
import sys

# The grid: every combination of these weights (per ally and run; cost per unit of lever
# cost). The memo's default objective is alliance=1, eruption=-1, intervention=-1,
# deaths=-0.001, cost=-0.01; the grid spans the choices a reader might make instead.
GRID = {
    "alliance": [0.0, 1.0, 2.0],
    "party": [0.0, 1.0],
    "eruption": [-1.0, -3.0],
    "intervention": [0.0, -1.0, -3.0],
    "deaths": [0.0, -0.001],
    "cost": [0.0, -0.01, -0.05],
}


def score(strategy, weights):
    bloc = strategy["bloc"]
    total = weights.get("cost", 0.0) * strategy["cost"]
    for name, w in weights.items():
        if name != "cost":
            total += w * bloc[name]
    return total


def main(path):
    with open(path, encoding="utf-8") as f:
        result = json.load(f)
    strategies = result["strategies"]
    objective = dict(result["meta"]["objective"]["weights"])
    objective["cost"] = result["meta"]["objective"]["cost"]
    for s in strategies:
        got = score(s, objective)
        if abs(got - s["score"]["mean"]) > 1e-6 * max(1.0, abs(got)):
            sys.exit(f"{s['name']}: recomputed {got} != reported {s['score']['mean']}")
    names = [s["name"] for s in strategies]
    first = {n: 0 for n in names}
    ranks = {n: [] for n in names}
    keys = list(GRID)
    points = list(itertools.product(*(GRID[k] for k in keys)))
    rows = []
    for values in points:
        weights = dict(zip(keys, values))
        scores = {s["name"]: score(s, weights) for s in strategies}
        # sorted is stable: a tie goes to the strategy listed first in the comparison.
        order = sorted(names, key=lambda n: -scores[n])
        first[order[0]] += 1
        for r, n in enumerate(order, 1):
            ranks[n].append(r)
        rows.append((weights, order, scores))
    print(f"{len(points)} objectives; the default's scores are reproduced exactly\n")
    print("| strategy | ranked first | mean rank | best rank | worst rank |")
    print("| --- | --- | --- | --- | --- |")
    for n in names:
        r = ranks[n]
        print(
            f"| {n} | {first[n]} of {len(points)} | {sum(r) / len(r):.2f} | {min(r)} | {max(r)} |"
        )
    print("\nFirst-ranked strategy by the intervention and cost weights (count over the other weights):\n")
    by = {}
    for weights, order, _ in rows:
        key = (weights["intervention"], weights["cost"])
        by.setdefault(key, {}).setdefault(order[0], 0)
        by[key][order[0]] += 1
    per_cell = len(points) // len(by)
    print(f"| intervention weight | cost weight | first (count of the {per_cell} points) |")
    print("| --- | --- | --- |")
    for (wi, wc), counts in sorted(by.items(), key=lambda kv: (-kv[0][0], -kv[0][1])):
        text = ", ".join(f"{n} {c}" for n, c in sorted(counts.items(), key=lambda kv: -kv[1]))
        print(f"| {wi:g} | {wc:g} | {text} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
