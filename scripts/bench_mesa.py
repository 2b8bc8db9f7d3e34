#!/usr/bin/env python3
"""Time Mesa 3.3.1's epstein_civil_violence example headless.

Used by scripts/bench-vs-mesa.sh; run it with the Python of a venv that has
`mesa[network]==3.3.1` installed (networkx is needed because importing the
example package imports all of Mesa's examples).

For each seed in 1..SEEDS it builds `EpsteinCivilViolence(seed=s)` with the
example's default parameters (40x40 torus, citizen density 0.7, cop density
0.074, vision 7, legitimacy 0.8, max jail term 1000), then calls
`model.step()` STEPS times. Only the step loop is timed (time.perf_counter);
construction is not. `run_model()` is deliberately not used: it stops at
`max_iters`. Note that Mesa's `step()` includes its own DataCollector call
(model and agent reporters), as the example ships it.

Agent-steps per seed = len(model.agents) (citizens + cops; Mesa never removes
agents in this model) x STEPS. The throughput is total agent-steps / total
step-loop time over all seeds.

Prints one machine-readable line on stdout, e.g.
    mesa_agent_steps_per_s=23456.7 agents=1234 steps=200 seeds=3 seconds=31.6
(`agents` is the mean agent count over the seeds). Per-seed details go to
stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200, help="steps per seed (default 200)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 1..N (default 3)")
    args = parser.parse_args()
    if args.steps < 1 or args.seeds < 1:
        parser.error("--steps and --seeds must be >= 1")

    warnings.simplefilter("ignore")  # keep deprecation chatter out of the output
    import mesa
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    total_agent_steps = 0
    total_seconds = 0.0
    agent_counts = []
    for seed in range(1, args.seeds + 1):
        model = EpsteinCivilViolence(seed=seed)  # example defaults
        n_agents = len(model.agents)
        step = model.step
        t0 = time.perf_counter()
        for _ in range(args.steps):
            step()
        dt = time.perf_counter() - t0
        if len(model.agents) != n_agents:
            print(f"warning: seed {seed}: agent count changed {n_agents} -> {len(model.agents)}",
                  file=sys.stderr)
        total_agent_steps += n_agents * args.steps
        total_seconds += dt
        agent_counts.append(n_agents)
        print(
            f"mesa {mesa.__version__} seed={seed} agents={n_agents} steps={args.steps} "
            f"seconds={dt:.3f} agent_steps_per_s={n_agents * args.steps / dt:.1f}",
            file=sys.stderr,
        )

    rate = total_agent_steps / total_seconds
    mean_agents = sum(agent_counts) / len(agent_counts)
    agents_str = str(agent_counts[0]) if len(set(agent_counts)) == 1 else f"{mean_agents:.1f}"
    print(
        f"mesa_agent_steps_per_s={rate:.1f} agents={agents_str} steps={args.steps} "
        f"seeds={args.seeds} seconds={total_seconds:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
