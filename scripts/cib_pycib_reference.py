"""Runs PyCIB's exact consistent-scenario search on a published CIB case and times it, or writes
the case as a PyCIB JSON file (format_version 2) that bloc reads too.

usage:
  python3 cib_pycib_reference.py to-pycib CASE.json OUT.json
  python3 cib_pycib_reference.py run CASE.json [--pycib-json FILE] [--repeats R]
                                 [--tolerances 0,1,2] [--time-limit S] [--out OUT.json]

CASE.json is a case of shared/cib/published (fields `descriptors`, `variants`, `matrix`: the full
N x N matrix, rows = source variant, columns = target variant; `consistent`: 0-based variant
indices, tolerance 0; optionally `consistent_tol1`, `consistent_tol2`).

to-pycib needs only the standard library. It writes {"format_version": 2, "descriptors": {name:
[states in order]}, "impacts": [{src_desc, src_state, tgt_desc, tgt_state, impact}]} with one
record per cell outside the diagonal blocks (zeros included, values as integers), descriptors in
the case's order (PyCIB takes descriptor order from the JSON object's key order).

run needs PyCIB (the public repository ag-ross/PyCIB, package `cib`) importable by the Python
that runs this script; nothing here installs it. Install it yourself from its source
repository, outside this repository, as its own README describes, and run this script with that
interpreter (cib-vs-pycib.sh takes it from PYCIB_PYTHON).
run writes the case as PyCIB JSON (to --pycib-json, or a temporary file), loads it with PyCIB's
own loader (cib.utils.load_from_json), builds a CIBMatrix and calls
ScenarioAnalyzer.find_all_consistent_exact(config=ExactSolverConfig(...)) R times in this one
process (default R = 3), after an untimed warm-up search on a 2 x 2 system (the first call
imports PyCIB's solver modules). The timed span is that call alone (PyCIB's fast-scorer set-up, bound
precomputation and depth-first search), wall clock (time.perf_counter); loading is not timed.
It prints one JSON object per line, one per tolerance:
  {case, tolerance, space, consistent_count, matches_published, seconds_median, seconds_min,
   repeats, status, is_complete, nodes_visited, pycib_commit, pycib_version, python_version, ...}
matches_published is true/false when the case carries the set for that tolerance, null when it
does not or when the search did not finish (status "timeout").

Tolerance: PyCIB's exact solver has no inconsistency-tolerance parameter. Its only slack is the
float comparison np.isclose(best, chosen, atol=float_atol, rtol=float_rtol) (defaults 1e-8,
1e-5) used both in the final check (FastCIBScorer.is_consistent) and in the pruning bound
(prune when margin < 0 and not isclose(margin, 0)). Tolerance 0 runs with PyCIB's defaults.
Tolerance t > 0 is emulated with float_atol = t, float_rtol = 0: then isclose(best, chosen) holds
exactly when best - chosen <= t, i.e. scenario inconsistency <= t, and the bound prunes only when
the margin is < -t (still sound). This is a repurposing of a float-noise setting, marked
"emulated" in the output.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings


def load_case(path):
    with open(path, encoding="utf-8") as f:
        case = json.load(f)
    for key in ("descriptors", "variants", "matrix"):
        if key not in case:
            raise SystemExit(f"{path}: no field {key!r}; not a published CIB case")
    return case


def case_to_pycib(case, path):
    """The case as a PyCIB JSON format_version 2 document (a dict)."""
    names = [str(d) for d in case["descriptors"]]
    variants = [[str(v) for v in vs] for vs in case["variants"]]
    if len(set(names)) != len(names):
        raise SystemExit(f"{path}: duplicate descriptor names; PyCIB keys descriptors by name")
    for name, vs in zip(names, variants):
        if len(set(vs)) != len(vs) or any(not v.strip() for v in vs):
            raise SystemExit(f"{path}: descriptor {name!r} has blank or duplicate variant names")
    offsets = []
    total = 0
    for vs in variants:
        offsets.append(total)
        total += len(vs)
    matrix = case["matrix"]
    if len(matrix) != total or any(len(row) != total for row in matrix):
        raise SystemExit(f"{path}: matrix is not {total} x {total}")
    impacts = []
    for i, (src, src_states) in enumerate(zip(names, variants)):
        for k, src_state in enumerate(src_states):
            row = matrix[offsets[i] + k]
            for j, (tgt, tgt_states) in enumerate(zip(names, variants)):
                for l, tgt_state in enumerate(tgt_states):
                    value = row[offsets[j] + l]
                    if i == j:
                        if value != 0:
                            raise SystemExit(f"{path}: non-zero cell in diagonal block {src!r}")
                        continue
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)
                    impacts.append({
                        "src_desc": src,
                        "src_state": src_state,
                        "tgt_desc": tgt,
                        "tgt_state": tgt_state,
                        "impact": value,
                    })
    return {
        "format_version": 2,
        "descriptors": dict(zip(names, variants)),
        "impacts": impacts,
    }


def write_pycib(case, case_path, out_path):
    doc = case_to_pycib(case, case_path)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


def import_pycib():
    try:
        import cib
        from cib import CIBMatrix, ScenarioAnalyzer
        from cib.solvers.config import ExactSolverConfig
        from cib.utils import load_from_json
    except ImportError as exc:
        raise SystemExit(
            f"cannot import PyCIB (package `cib`) with {sys.executable}: {exc}\n"
            "PyCIB is not installed for this interpreter. Install it yourself from its source\n"
            "repository (github.com/ag-ross/PyCIB), outside this repository, as its README describes;\n"
            "then run with that interpreter (cib-vs-pycib.sh: PYCIB_PYTHON=/path/to/venv-pycib/bin/python)."
        )
    return cib, CIBMatrix, ScenarioAnalyzer, ExactSolverConfig, load_from_json


def pycib_commit(cib_module):
    """The git commit of the PyCIB checkout the package was imported from, if it is one."""
    if os.environ.get("PYCIB_COMMIT"):
        return os.environ["PYCIB_COMMIT"]
    src = os.path.dirname(os.path.dirname(os.path.abspath(cib_module.__file__)))
    try:
        out = subprocess.run(
            ["git", "-C", src, "rev-parse", "HEAD"],
            capture_output=True, text=True, check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def pycib_version():
    try:
        from importlib.metadata import version
        return version("pycib")
    except Exception:  # noqa: BLE001 - metadata is optional
        return "unknown"


def cmd_to_pycib(args):
    case = load_case(args.case)
    write_pycib(case, args.case, args.out)


def cmd_run(args):
    cib, CIBMatrix, ScenarioAnalyzer, ExactSolverConfig, load_from_json = import_pycib()
    case = load_case(args.case)
    name = os.path.splitext(os.path.basename(args.case))[0]
    tmpdir = None
    pycib_json = args.pycib_json
    if pycib_json is None:
        tmpdir = tempfile.mkdtemp(prefix="cib-pycib-")
        pycib_json = os.path.join(tmpdir, name + ".pycib.json")
    if not os.path.exists(pycib_json) or args.pycib_json is None:
        write_pycib(case, args.case, pycib_json)
    descriptors, impacts = load_from_json(pycib_json)
    matrix = CIBMatrix(descriptors)
    matrix.set_impacts(impacts)
    analyser = ScenarioAnalyzer(matrix)
    space = 1
    for n in matrix.state_counts:
        space *= int(n)
    # Warm-up outside the timed span: ScenarioAnalyzer.find_all_consistent_exact imports its
    # solver modules on its first call; a search on a 2 x 2 system pays for that here.
    tiny = CIBMatrix({"a": ["0", "1"], "b": ["0", "1"]})
    tiny.set_impact("a", "0", "b", "0", 1.0)
    ScenarioAnalyzer(tiny).find_all_consistent_exact(config=ExactSolverConfig())
    commit = pycib_commit(cib)
    version = pycib_version()
    tolerances = [int(t) for t in args.tolerances.split(",") if t.strip()]
    lines = []
    for tol in tolerances:
        if tol == 0:
            cfg_kw = {}
            tol_how = "pycib defaults (float_atol 1e-8, float_rtol 1e-5)"
        else:
            cfg_kw = {"float_atol": float(tol), "float_rtol": 0.0}
            tol_how = f"emulated: float_atol={tol}, float_rtol=0"
        if args.time_limit is not None:
            cfg_kw["time_limit_s"] = float(args.time_limit)
        config = ExactSolverConfig(**cfg_kw)
        seconds = []
        result = None
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the incomplete-result warning; status says it
                result = analyser.find_all_consistent_exact(config=config)
            seconds.append(time.perf_counter() - t0)
            if not result.is_complete:
                break  # a timed-out search is not repeated
        found = sorted(tuple(s.to_indices()) for s in result.scenarios)
        key = "consistent" if tol == 0 else f"consistent_tol{tol}"
        matches = None
        if key in case and result.is_complete:
            matches = found == sorted(tuple(s) for s in case[key])
        record = {
            "case": name,
            "tolerance": tol,
            "tolerance_how": tol_how,
            "space": space,
            "consistent_count": len(found),
            "matches_published": matches,
            "seconds_median": statistics.median(seconds),
            "seconds_min": min(seconds),
            "repeats": len(seconds),
            "status": result.status,
            "is_complete": bool(result.is_complete),
            "time_limit_s": args.time_limit,
            "nodes_visited": result.diagnostics.get("nodes_visited"),
            "pruned_nodes": result.diagnostics.get("pruned_nodes"),
            "pycib_runtime_s_last": result.runtime_s,
            "pycib_commit": commit,
            "pycib_version": version,
            "python_version": platform.python_version(),
            "numpy_version": __import__("numpy").__version__,
        }
        if matches is False:
            published = set(tuple(s) for s in case[key])
            record["only_pycib"] = [list(s) for s in found if s not in published]
            record["only_published"] = [list(s) for s in sorted(published) if s not in set(found)]
        line = json.dumps(record)
        print(line, flush=True)
        lines.append(line)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    if tmpdir is not None:
        os.remove(pycib_json)
        os.rmdir(tmpdir)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("to-pycib", help="write CASE.json as PyCIB JSON format_version 2")
    p.add_argument("case")
    p.add_argument("out")
    p.set_defaults(func=cmd_to_pycib)
    p = sub.add_parser("run", help="time PyCIB's find_all_consistent_exact on CASE.json")
    p.add_argument("case")
    p.add_argument("--pycib-json", help="read (or, if missing, write) the PyCIB JSON here")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--tolerances", default="0", help="comma-separated, e.g. 0,1,2 (default 0)")
    p.add_argument("--time-limit", type=float, default=None,
                   help="PyCIB's time_limit_s per search (default: none)")
    p.add_argument("--out", help="also write the JSON lines to this file")
    p.set_defaults(func=cmd_run)
    args = parser.parse_args()
    if getattr(args, "repeats", 1) < 1:
        parser.error("--repeats must be at least 1")
    args.func(args)


if __name__ == "__main__":
    main()
