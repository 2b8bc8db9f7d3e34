"""pyabc 0.13 on bloc's two ABC toy problems (bloc_calibrate::toy), printed as JSON.

Beta-binomial: p ~ Beta(2, 2), k ~ Binomial(30, p), observed k = 9, distance |k - 9|, run to
tolerance 0 (pyabc's default median tolerance, and a fixed schedule 8, 4, 2, 1, 0). Normal mean: mu ~ Normal(0, 3), ten draws from Normal(mu, 1), summary their
mean, observed 1.2, distance |mean - 1.2|, run to tolerance 0.01. Both: population 2,000,
pyabc's defaults otherwise (MedianEpsilon, MultivariateNormalTransition), a single-core
sampler, numpy seeded per run. For each seed: the weighted mean, 5 % and 95 % quantiles of
the last population, its tolerance, the total number of simulations and the seconds taken.

usage: python abc_pyabc_reference.py [SEED...]
"""
import json
import os
import sys
import tempfile
import time

import numpy as np
import pyabc
from pyabc.sampler import SingleCoreSampler


def weighted_quantile(values, weights, q):
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, q * cum[-1])])


def run(name, model, prior, observed, min_eps, seed, eps=None):
    np.random.seed(seed)
    extra = {} if eps is None else {"eps": eps}
    abc = pyabc.ABCSMC(
        model,
        prior,
        lambda x, y: abs(x["s"] - y["s"]),
        population_size=2000,
        sampler=SingleCoreSampler(),
        **extra,
    )
    db = os.path.join(tempfile.mkdtemp(), "abc.db")
    abc.new("sqlite:///" + db, {"s": observed})
    start = time.perf_counter()
    history = abc.run(minimum_epsilon=min_eps, max_nr_populations=20)
    seconds = time.perf_counter() - start
    df, w = history.get_distribution()
    values = df[df.columns[0]].to_numpy()
    pops = history.get_all_populations()
    return {
        "name": name,
        "seed": seed,
        "mean": float(np.sum(values * w)),
        "q05": weighted_quantile(values, w, 0.05),
        "q95": weighted_quantile(values, w, 0.95),
        "generations": int(history.max_t + 1),
        "epsilon": float(pops["epsilon"].iloc[-1]),
        "simulations": int(history.total_nr_simulations),
        "seconds": seconds,
    }


def binomial(par):
    return {"s": float(np.random.binomial(30, par["p"]))}


def normal_mean(par):
    return {"s": float(np.mean(par["mu"] + np.random.standard_normal(10)))}


def main():
    seeds = [int(a) for a in sys.argv[1:]] or [1]
    out = []
    for seed in seeds:
        out.append(run("beta-binomial", binomial,
                       pyabc.Distribution(p=pyabc.RV("beta", 2, 2)), 9.0, 0.0, seed))
        # pyabc's median tolerance stalls at 1 on this discrete distance (more than half of
        # the distances are 1 once the tolerance is 1); a fixed schedule that reaches 0:
        out.append(run("beta-binomial, schedule 8, 4, 2, 1, 0", binomial,
                       pyabc.Distribution(p=pyabc.RV("beta", 2, 2)), 9.0, 0.0, seed,
                       pyabc.epsilon.ListEpsilon([8, 4, 2, 1, 0])))
        out.append(run("normal mean", normal_mean,
                       pyabc.Distribution(mu=pyabc.RV("norm", 0, 3)), 1.2, 0.01, seed))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
