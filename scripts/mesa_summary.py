#!/usr/bin/env python3
"""Summary statistics of Epstein's Model I: Mesa 3.3.1's example against bloc.

Used by scripts/mesa-vs-bloc.sh; run it with the Python of a venv that has
`mesa[network]==3.3.1` installed (only the `mesa` subcommand needs Mesa).

A configuration is a NAME and a bloc scenario file (Model I, TOML). The
shipped comparison has two (see scripts/mesa-vs-bloc.sh):
  mesa-defaults  scenarios/epstein-mesa.toml: Mesa's example with its defaults
  run2           the same file with the paper's Run 2 parameters (cop density
                 0.04, legitimacy 0.82, J_max 30; written by `derive`), where
                 outbursts happen: under Mesa's defaults there are none.

Subcommands:

  derive --scenario FILE --set SECTION.KEY=VALUE ... --out FILE
      Copies a scenario, replacing the value of each `KEY = ...` line of
      [SECTION] (comments kept), and checks the result parses to those values.

  mesa --config NAME=FILE ... --seeds N --steps S [--jobs J] --out FILE
      For each configuration, runs Mesa's
      mesa.examples.advanced.epstein_civil_violence.model.EpsteinCivilViolence
      with seeds 1..N for S steps each, with every parameter taken from the
      scenario file and passed explicitly (width, height, citizen_density,
      cop_density, citizen_vision, cop_vision, legitimacy, max_jail_term,
      active_threshold, arrest_prob_constant, movement): nothing is left to
      Mesa's defaults. The file's [variant] section must be Mesa's own reading
      of the rules (Mesa's code cannot change them), otherwise the command
      refuses. After each model.step() it records the example's own counts
      (model.QUIET, model.ACTIVE, model.ARRESTED, set by _update_counts). The
      example's DataCollector is switched off (model.datacollector.collect
      replaced by a no-op after construction): it only records, draws no random
      numbers, and costs run time. J worker processes (default 1) run the
      (configuration, seed) pairs in parallel; results do not depend on J.
      Writes the reference file (data/epstein/mesa-reference.json): metadata,
      and per configuration its parameters, per-statistic mean, sample s.d. and
      number of runs, and every run's statistics.

  bloc --config NAME=FILE ... --out FILE
      Reads, per configuration, the output of
      `bloc epstein --per-run --format json` and computes the same statistics
      from its per-step counts with the same code; checks them against the
      summaries bloc itself wrote (mean active share, peak, calm share, mean
      wait, every outburst with its activation), so that the definitions here
      are bloc's.

  compare --mesa FILE --bloc FILE
      Prints the side-by-side table: per configuration and statistic Mesa's
      and bloc's mean, s.d. and n, the difference, the tolerance and the
      result under the criterion of bloc's checks `epstein/mesa-...`
      (bloc_validate::mesa): |difference| <= 3 combined standard
      errors + 1 % of |Mesa's mean|; a statistic undefined in every run of
      both sides (no outbursts) agrees; one defined in fewer than two runs of
      either side otherwise cannot be compared and counts as differing. Exit
      status 0 whatever the result (it is a report, not a gate).

Statistics of one run (the definitions of bloc_citizens::epstein::run::summarize,
over steps 1..S; step 0, the initial state, is left out; the outburst rule is
the scenario's [outburst] section):
  mean_active_share    mean over steps of actives / citizens
  mean_jailed_share    mean over steps of jailed / citizens
  peak_active          largest number of actives at any step
  calm_share           share of steps with at most `threshold` actives
  outbursts            number of outbursts: spells of steps with more than
                       `threshold` actives, a spell starting after fewer than
                       `min_calm_steps` calm steps joining the previous one (the
                       start counts as calm)
  outburst_activation  mean over the run's outbursts of the sum of actives over
                       the outburst's steps (the paper's "total activation";
                       runs without an outburst: undefined)
  mean_wait            mean number of steps between the starts of consecutive
                       outbursts (runs with fewer than two: undefined)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import re
import sys
import time
import tomllib
import warnings

STATISTICS = [
    "mean_active_share",
    "mean_jailed_share",
    "peak_active",
    "calm_share",
    "outbursts",
    "outburst_activation",
    "mean_wait",
]

# Mesa 3.3.1's example cannot read the rules any other way (see
# scenarios/epstein-mesa.toml and docs/model.md for the lines of code).
MESA_VARIANT = {
    "neighbourhood": "diamond",
    "arrest_ratio": "round",
    "jail": "keep_cell",
    "jail_countdown": "own_turn",
    "update": "random_sequential",
    "turn": "act_then_move",
    "self_count": "once",
    "arrest_move": "stay",
}
# bloc's defaults for variant keys a file may leave out and that Mesa shares.
VARIANT_DEFAULTS = {"self_count": "once", "arrest_move": "stay"}

# The criterion of bloc's checks (bloc_validate::mesa).
K_SE = 3.0
REL_TOL = 0.01


def summarize(counts: list[tuple[int, int, int]], citizens: int, rule: dict) -> dict:
    """Statistics of one run from its (quiet, active, jailed) counts, index 0 the start."""
    steps = counts[1:]
    n = max(len(steps), 1)
    threshold, min_calm = int(rule["threshold"]), int(rule["min_calm_steps"])
    actives = [a for (_, a, _) in steps]
    outbursts: list[dict] = []
    current = None
    calm_run = min_calm  # the start counts as calm
    for t, a in enumerate(actives, start=1):
        if a > threshold:
            if current is not None:
                current["duration"] += 1
                current["peak"] = max(current["peak"], a)
                current["activation"] += a
            elif calm_run >= min_calm:
                current = {"start": t, "duration": 1, "peak": a, "activation": a}
            elif outbursts:  # too soon after the last one: the same disturbance
                last = outbursts[-1]
                last["duration"] += 1
                last["peak"] = max(last["peak"], a)
                last["activation"] += a
            calm_run = 0
        else:
            if current is not None:
                outbursts.append(current)
                current = None
            calm_run += 1
    if current is not None:
        outbursts.append(current)
    waits = [b["start"] - a["start"] for a, b in zip(outbursts, outbursts[1:])]

    def share(xs: list[int]) -> float:
        return sum(xs) / n / citizens if citizens else 0.0

    return {
        "citizens": citizens,
        "mean_active_share": share(actives),
        "mean_jailed_share": share([j for (_, _, j) in steps]),
        "peak_active": max(actives, default=0),
        "calm_share": sum(1 for a in actives if a <= threshold) / n,
        "outbursts": len(outbursts),
        "outburst_activation": (
            sum(o["activation"] for o in outbursts) / len(outbursts) if outbursts else None
        ),
        "mean_wait": sum(waits) / len(waits) if waits else None,
        "_outburst_list": outbursts,
    }


def aggregate(runs: list[dict]) -> dict:
    """Per statistic: mean, sample s.d. and n over the runs where it is defined."""
    out = {}
    for name in STATISTICS:
        xs = [r[name] for r in runs if r[name] is not None]
        n = len(xs)
        m = sum(xs) / n if n else None
        sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1)) if n >= 2 else None
        out[name] = {"mean": m, "sd": sd, "n": n}
    return out


def public(run: dict) -> dict:
    return {k: v for k, v in run.items() if not k.startswith("_")}


def named(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for v in values:
        name, sep, path = v.partition("=")
        if not sep or not name or not path:
            sys.exit(f"--config {v!r}: expected NAME=FILE")
        out.append((name, path))
    return out


def outburst_rule(scenario: dict) -> dict:
    rule = scenario.get("outburst", {})
    return {
        "threshold": int(rule.get("threshold", 50)),
        "min_calm_steps": int(rule.get("min_calm_steps", 1)),
    }


# --- derive -------------------------------------------------------------------


def cmd_derive(args: argparse.Namespace) -> int:
    with open(args.scenario) as f:
        lines = f.read().splitlines(keepends=True)
    wanted = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        section, dot, name = key.partition(".")
        if not sep or not dot:
            sys.exit(f"--set {item!r}: expected SECTION.KEY=VALUE")
        wanted[(section, name)] = value
    done = set()
    section = None
    for i, line in enumerate(lines):
        m = re.match(r"\s*\[([A-Za-z_]+)\]\s*(#.*)?$", line)
        if m:
            section = m.group(1)
            continue
        m = re.match(r"(\s*)([A-Za-z_]+)(\s*=\s*)([^#\n]*?)(\s*#.*)?(\n?)$", line)
        if m and (section, m.group(2)) in wanted:
            value = wanted[(section, m.group(2))]
            comment = m.group(5) or ""
            pad = max(len(m.group(4)) - len(value), 0) * " " if comment else ""
            lines[i] = f"{m.group(1)}{m.group(2)}{m.group(3)}{value}{pad}{comment}{m.group(6)}"
            done.add((section, m.group(2)))
    missing = set(wanted) - done
    if missing:
        sys.exit(f"not found in {args.scenario}: {sorted('.'.join(k) for k in missing)}")
    text = "".join(lines)
    parsed = tomllib.loads(text)
    for (section, name), value in wanted.items():
        if parsed[section][name] != tomllib.loads(f"x = {value}")["x"]:
            sys.exit(f"{section}.{name} did not take the value {value}")
    with open(args.out, "w") as f:
        f.write(text)
    return 0


# --- Mesa ---------------------------------------------------------------------


def mesa_parameters(scenario: dict) -> dict:
    """The keyword arguments of EpsteinCivilViolence for a bloc scenario."""
    variant = scenario.get("variant", {})
    for key, value in MESA_VARIANT.items():
        got = variant.get(key, VARIANT_DEFAULTS.get(key))
        if got != value:
            sys.exit(f"scenario variant.{key} = {got!r}: Mesa's example reads it as {value!r}")
    if not isinstance(variant.get("movement", True), bool):
        sys.exit("variant.movement must be a boolean")
    if scenario.get("population", {}).get("placement") != "bernoulli":
        sys.exit("population.placement must be 'bernoulli' (Mesa's random.choices per cell)")
    for key in ("legitimacy_schedule", "cop_schedule"):
        if scenario.get(key):
            sys.exit(f"{key}: Mesa's example has no schedules")
    cit, cops = scenario["citizens"], scenario["cops"]
    for what, v in (("citizens.vision", cit["vision"]), ("cops.vision", cops["vision"])):
        if float(v) != int(v):
            sys.exit(f"{what} = {v}: Mesa's radius is a whole number")
    return {
        "width": int(scenario["lattice"]["width"]),
        "height": int(scenario["lattice"]["height"]),
        "citizen_density": float(scenario["population"]["citizen_density"]),
        "cop_density": float(scenario["population"]["cop_density"]),
        "citizen_vision": int(cit["vision"]),
        "cop_vision": int(cops["vision"]),
        "legitimacy": float(cit["legitimacy"]),
        "max_jail_term": int(cit["max_jail_term"]),
        "active_threshold": float(cit["threshold"]),
        "arrest_prob_constant": float(cit["arrest_constant"]),
        "movement": bool(variant.get("movement", True)),
    }


def mesa_run(job: tuple[str, int, int, dict]) -> dict:
    """One Mesa run: (configuration, seed, steps, parameters) -> counts and agent numbers."""
    name, seed, steps, params = job
    warnings.simplefilter("ignore")  # keep deprecation chatter out of the output
    from mesa.examples.advanced.epstein_civil_violence.agents import Citizen, Cop
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence

    model = EpsteinCivilViolence(seed=seed, max_iters=steps + 1, **params)
    model.datacollector.collect = lambda *_: None  # records only; draws no random numbers
    citizens = len(model.agents_by_type[Citizen])
    cops = len(model.agents_by_type[Cop])
    counts = [(model.QUIET, model.ACTIVE, model.ARRESTED)]
    t0 = time.perf_counter()
    for _ in range(steps):
        model.step()
        counts.append((model.QUIET, model.ACTIVE, model.ARRESTED))
    seconds = time.perf_counter() - t0
    for q, a, j in counts:
        if q + a + j != citizens:
            raise RuntimeError(f"{name} seed {seed}: counts {q}+{a}+{j} != {citizens} citizens")
    return {
        "config": name,
        "seed": seed,
        "citizens": citizens,
        "cops": cops,
        "counts": counts,
        "seconds": seconds,
    }


def cmd_mesa(args: argparse.Namespace) -> int:
    import importlib.metadata as md

    configs = []
    for name, path in named(args.config):
        with open(path, "rb") as f:
            scenario = tomllib.load(f)
        configs.append((name, path, mesa_parameters(scenario), outburst_rule(scenario)))
    seeds = list(range(1, args.seeds + 1))
    jobs = [(name, s, args.steps, params) for (name, _, params, _) in configs for s in seeds]
    t0 = time.perf_counter()
    if args.jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(mesa_run, jobs))
    else:
        results = [mesa_run(j) for j in jobs]
    wall = time.perf_counter() - t0
    out_configs = []
    for name, path, params, rule in configs:
        runs = []
        for r in (r for r in results if r["config"] == name):
            s = summarize(r["counts"], r["citizens"], rule)
            runs.append({"seed": r["seed"], "cops": r["cops"], **public(s)})
            print(
                f"mesa {name} seed={r['seed']} citizens={r['citizens']} cops={r['cops']} "
                f"active={s['mean_active_share']:.4f} jailed={s['mean_jailed_share']:.4f} "
                f"outbursts={s['outbursts']} seconds={r['seconds']:.1f}",
                file=sys.stderr,
            )
        out_configs.append(
            {
                "name": name,
                "scenario": path,
                "parameters": params,
                "outburst_rule": rule,
                "statistics": aggregate(runs),
                "runs": runs,
            }
        )
    cpu = sum(r["seconds"] for r in results)
    doc = {
        "meta": {
            "tool": "Mesa",
            "mesa_version": md.version("mesa"),
            "python": platform.python_version(),
            "model": "mesa.examples.advanced.epstein_civil_violence.model.EpsteinCivilViolence",
            "rules": "the example's own (agents.py, model.py of Mesa 3.3.1), unmodified; "
            "its DataCollector switched off",
            "seeds": seeds,
            "steps": args.steps,
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "script": "scripts/mesa-vs-bloc.sh (scripts/mesa_summary.py mesa)",
            "wall_seconds": round(wall, 1),
            "step_loop_seconds": round(cpu, 1),
            "jobs": args.jobs,
            "statistics_over": "steps 1..steps (step 0, the initial state, left out)",
            "definitions": {
                "mean_active_share": "mean over steps of actives / citizens",
                "mean_jailed_share": "mean over steps of jailed (Mesa: ARRESTED) / citizens",
                "peak_active": "largest number of actives at any step",
                "calm_share": "share of steps with at most outburst_rule.threshold actives",
                "outbursts": "number of outbursts per run (as bloc_citizens::epstein::run::summarize)",
                "outburst_activation": "per run, mean over its outbursts of the sum of actives "
                "over the outburst's steps (runs with an outburst)",
                "mean_wait": "per run, mean steps between the starts of consecutive outbursts "
                "(runs with at least two)",
                "sd": "sample standard deviation over runs (n - 1); mean and sd null when n = 0, "
                "sd null when n = 1",
            },
        },
        "configurations": out_configs,
    }
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(
        f"mesa_wall_seconds={wall:.1f} step_loop_seconds={cpu:.1f} configurations={len(configs)} "
        f"seeds={args.seeds} steps={args.steps} jobs={args.jobs}"
    )
    return 0


# --- bloc ---------------------------------------------------------------------


def bloc_configuration(name: str, path: str) -> dict:
    with open(path) as f:
        d = json.load(f)
    rule = d["meta"]["outburst_rule"]
    series = d.get("per_run_steps")
    if series is None:
        sys.exit(f"{path}: no per_run_steps: run `bloc epstein --per-run --format json`")
    runs = []
    for entry, steps in zip(d["runs"], series, strict=True):
        counts = [(c["quiet"], c["active"], c["jailed"]) for c in steps]
        s = summarize(counts, entry["citizens"], rule)
        # The definitions here must be bloc's own: compare with what bloc wrote.
        key = ("start", "duration", "peak", "activation")
        ours = [tuple(o[k] for k in key) for o in s["_outburst_list"]]
        theirs = [tuple(o[k] for k in key) for o in entry["outbursts"]]
        if (
            ours != theirs
            or s["peak_active"] != entry["peak_active"]
            or abs(s["mean_active_share"] - entry["mean_active_share"]) > 1e-12
            or abs(s["calm_share"] - entry["calm_share"]) > 1e-12
            or (s["mean_wait"] is None) != (entry["mean_wait"] is None)
            or (s["mean_wait"] is not None and abs(s["mean_wait"] - entry["mean_wait"]) > 1e-9)
        ):
            sys.exit(f"{path}: run {entry['run']}: statistics disagree with bloc's own summary")
        runs.append({"run": entry["run"], "cops": entry["cops"], **public(s)})
    return {
        "name": name,
        "scenario_name": d["meta"]["scenario_name"],
        "outburst_rule": rule,
        "statistics": aggregate(runs),
        "runs": runs,
        "_meta": d["meta"],
    }


def cmd_bloc(args: argparse.Namespace) -> int:
    configs = [bloc_configuration(name, path) for name, path in named(args.config)]
    keep = ("tool", "bloc_version", "seed", "runs", "steps", "rng")
    meta = {k: v for k, v in configs[0]["_meta"].items() if k in keep}
    doc = {"meta": meta, "configurations": [public(c) for c in configs]}
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    return 0


# --- compare ------------------------------------------------------------------


def verdict(a: dict, b: dict) -> tuple[bool, float | None]:
    """The criterion of bloc_validate::mesa: (agrees, tolerance)."""
    if a["n"] == 0 and b["n"] == 0:
        return True, None  # undefined on both sides (no outbursts)
    if a["n"] < 2 or b["n"] < 2:
        return False, None  # defined in too few runs to compare
    sa = a["sd"] ** 2 / a["n"]
    sb = b["sd"] ** 2 / b["n"]
    tol = K_SE * math.sqrt(sa + sb) + REL_TOL * abs(a["mean"])
    return abs(b["mean"] - a["mean"]) <= tol, tol


def cmd_compare(args: argparse.Namespace) -> int:
    with open(args.mesa) as f:
        mesa = json.load(f)
    with open(args.bloc) as f:
        bloc = json.load(f)
    mm, bm = mesa["meta"], bloc["meta"]
    print(
        f"Mesa {mm['mesa_version']}: seeds {mm['seeds'][0]}..{mm['seeds'][-1]} x {mm['steps']} steps"
        f" | bloc {bm['bloc_version']}: {bm['runs']} runs x {bm['steps']} steps, seed {bm['seed']}"
    )
    if mm["steps"] != bm["steps"]:
        print(f"warning: different run lengths ({mm['steps']} vs {bm['steps']})")
    print(f"criterion: |bloc - Mesa| <= {K_SE:g} x sqrt(sd_M^2/n_M + sd_b^2/n_b) + {REL_TOL:g} x |Mesa mean|")
    bloc_configs = {c["name"]: c for c in bloc["configurations"]}
    failed = total = 0
    for mc in mesa["configurations"]:
        bc = bloc_configs.get(mc["name"])
        if bc is None:
            print(f"\n[{mc['name']}] no bloc run")
            continue
        p = mc["parameters"]
        print(
            f"\n[{mc['name']}] {mc['scenario']}: cops {p['cop_density']}, L {p['legitimacy']}, "
            f"J_max {p['max_jail_term']}"
        )
        head = (
            f"{'statistic':<20} {'Mesa mean ± s.d. (n)':>26} {'bloc mean ± s.d. (n)':>26} "
            f"{'diff':>9} {'tolerance':>9}  result"
        )
        print(head)
        print("-" * len(head))
        for name in STATISTICS:
            a, b = mc["statistics"][name], bc["statistics"][name]
            ok, tol = verdict(a, b)
            total += 1
            failed += not ok
            share = name.endswith("_share")

            def fmt(x: float | None) -> str:
                if x is None:
                    return "–"
                return f"{x:.4f}" if share else f"{x:.1f}"

            ms = f"{fmt(a['mean'])} ± {fmt(a['sd'])} ({a['n']})"
            bs = f"{fmt(b['mean'])} ± {fmt(b['sd'])} ({b['n']})"
            diff = None if a["mean"] is None or b["mean"] is None else b["mean"] - a["mean"]
            print(
                f"{name:<20} {ms:>26} {bs:>26} {fmt(diff):>9} {fmt(tol):>9}  "
                f"{'agree' if ok else 'DIFFER'}"
            )
    print(f"\n{total - failed} of {total} statistics within the criterion")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("derive", help="copy a scenario with some values replaced")
    p.add_argument("--scenario", required=True)
    p.add_argument("--set", action="append", default=[], help="SECTION.KEY=VALUE (TOML value)")
    p.add_argument("--out", required=True)
    p = sub.add_parser("mesa", help="run Mesa and write the reference file")
    p.add_argument("--config", action="append", required=True, help="NAME=SCENARIO.toml")
    p.add_argument("--seeds", type=int, required=True, help="seeds 1..N")
    p.add_argument("--steps", type=int, required=True, help="steps per run")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--out", required=True)
    p = sub.add_parser("bloc", help="summarize `bloc epstein --per-run --format json` output")
    p.add_argument("--config", action="append", required=True, help="NAME=BLOC_OUTPUT.json")
    p.add_argument("--out", required=True)
    p = sub.add_parser("compare", help="print the side-by-side table")
    p.add_argument("--mesa", required=True)
    p.add_argument("--bloc", required=True)
    args = parser.parse_args()
    if args.cmd == "mesa" and (args.seeds < 1 or args.steps < 1 or args.jobs < 1):
        parser.error("--seeds, --steps and --jobs must be >= 1")
    return {"derive": cmd_derive, "mesa": cmd_mesa, "bloc": cmd_bloc, "compare": cmd_compare}[
        args.cmd
    ](args)


if __name__ == "__main__":
    sys.exit(main())
