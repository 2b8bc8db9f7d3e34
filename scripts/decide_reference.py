"""Runs decide-exchange-model (PyPI, 2022.1.28), equal-gain variant, headless on decide's
data sets in data/bargain/decide/, for seeds 0..SEEDS-1 and ROUNDS rounds, and prints the
final Nash bargaining solution per issue (0-100 scale, on the voting positions of the last
round) as JSON: per data set, the issues, the mean and population standard deviation over
seeds, and the NBS at the start; the layout of data/bargain/reference/decide/summary.json.
With --time it also prints the best of 7 timings of round 1 on cop21.

usage: python decide_reference.py DATA_DIR [--seeds 20] [--rounds 10] [--time]
Needs `pip install decide-exchange-model==2022.1.28` (scripts/exchange-vs-decide.sh does it).
The model's only randomness is Python's global `random` (tie-breaking), seeded here.
"""
import argparse
import json
import random
import statistics
import sys
import time

from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import equalgain
from decide.model.utils import ModelLoop

DATASETS = [("sample_data", "sample_data.txt"), ("copenhagen", "copenhagen.csv"), ("cop21", "cop21.csv")]


class Quiet:
    """An event handler that ignores every event."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def run(path, seed, rounds):
    random.seed(seed)
    data = InputDataFile.open(path)
    assert data.is_valid, data.errors
    model = ModelFactory(data)(model_klass=equalgain.EqualGainModel, randomized_value=None)
    loop = ModelLoop(model, Quiet(), 0)
    start = None
    for k in range(rounds):
        if k == 0:
            model.calc_nbs()
            start = {issue.name: float(v) for issue, v in model.nbs.items()}
        loop.loop()
    # ModelLoop.loop ends with the NBS computed on the voting positions of the round.
    return start, {issue.name: float(v) for issue, v in model.nbs.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--time", action="store_true")
    args = ap.parse_args()
    out = {}
    for name, file in DATASETS:
        path = f"{args.data_dir}/{file}"
        finals, start = [], None
        for seed in range(args.seeds):
            start, final = run(path, seed, args.rounds)
            finals.append(final)
        issues = list(finals[0])
        out[name] = {
            "issues": issues,
            "mean": [statistics.fmean(f[i] for f in finals) for i in issues],
            "sd": [statistics.pstdev([f[i] for f in finals]) for i in issues],
            "nbs_start": [start[i] for i in issues],
        }
    if args.time:
        best = float("inf")
        for _ in range(7):
            random.seed(0)
            data = InputDataFile.open(f"{args.data_dir}/cop21.csv")
            model = ModelFactory(data)(model_klass=equalgain.EqualGainModel, randomized_value=None)
            loop = ModelLoop(model, Quiet(), 0)
            t0 = time.perf_counter()
            loop.loop()
            best = min(best, time.perf_counter() - t0)
        print(f"decide cop21 round 1: {best * 1000:.1f} ms (best of 7)", file=sys.stderr)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
