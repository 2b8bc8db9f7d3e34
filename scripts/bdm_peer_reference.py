"""Runs the Scholz code (dmasad's Python 3 port of jmckib's bdm_scholz_model.py) on one
stakeholder table for 10 rounds and prints the run as JSON, in the layout of
data/bargain/reference/bdm/*.jmckib.json.

usage: python3 bdm_peer_reference.py PEER_DIR TABLE [ROUNDS]
PEER_DIR is a checkout of the public repository dmasad/bdm-scholz-expected-utility-model
(it holds bdm_scholz_model.py; the code uses only the standard library).
"""
import csv
import json
import sys

peer_dir, path = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
sys.path.insert(0, peer_dir)
from bdm_scholz_model import BDMScholzModel  # noqa: E402

with open(path) as f:
    header = f.readline()
delimiter = "\t" if "\t" in header else ","
with open(path) as f:
    rows = list(csv.DictReader(f, delimiter=delimiter))


def pick(row, names):
    for key in row:
        if key.strip().lower() in names:
            return row[key]
    raise SystemExit(f"{path}: no column named one of {names}")


table = [
    {
        "Actor": pick(r, ["actor", "stakeholder", "name"]),
        "Capability": pick(r, ["capability", "resources", "clout", "power", "c"]),
        "Position": pick(r, ["position", "x"]),
        "Salience": pick(r, ["salience", "s"]),
    }
    for r in rows
]
# Saliences given on 0-100 are scaled to 0-1, as bloc does.
if max(float(r["Salience"]) for r in table) > 1:
    for r in table:
        r["Salience"] = str(float(r["Salience"]) / 100.0)

model = BDMScholzModel(table, verbose=False)
out = {
    "peer": "dmasad's Python 3 port of jmckib/bdm-scholz-expected-utility-model (bdm_scholz_model.py)",
    "input": table,
    "initial_median": model.median_position(),
    "initial_mean": model.mean_position(),
    "rounds": [],
}
for _ in range(rounds):
    model.update_risk_aversions()
    risk = [a.r for a in model.actors]
    model.update_positions()
    out["rounds"].append(
        {
            "risk_exponents": risk,
            "positions": [a.x for a in model.actors],
            "median": model.median_position(),
            "mean": model.mean_position(),
        }
    )
print(json.dumps(out, indent=1))
