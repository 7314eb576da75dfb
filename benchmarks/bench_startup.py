"""Per-job start-up cost of every workflow script; prints JSON on stdout.

Usage (from the repository root):

    .venv/bin/python benchmarks/bench_startup.py                 # every script, 3 repeats
    .venv/bin/python benchmarks/bench_startup.py --repeats 1 --pipeline 20000x200:3

Every job of the workflow is a fresh Python interpreter: Snakemake writes the script with its
preamble (``import pickle``, unpickling the ``snakemake`` object, which imports
``snakemake.script``, ``snakemake.logging`` and ``snakemake.iocontainers``) and runs it. For each
script in ``scripts/`` this benchmark starts a fresh interpreter that does the same preamble
imports, then the script's own module-level imports, and exits; it reports the CPU seconds of the
whole process (``cpu_s``: interpreter start, imports and exit, from ``getrusage`` of the child),
of the preamble and of the imports alone (``time.process_time`` inside), the peak RSS and which
heavy libraries (numba, llvmlite, scipy, matplotlib, statsmodels) ended up imported. That is the
floor every job of the rule pays before reading a byte; the work itself comes on top.

``parse_cpu_s`` is the CPU of ``snakemake --dry-run`` on the toy config (parse the workflow and
build the DAG), which a cluster job pays again on its node. ``--pipeline SIZE`` also runs
``benchmarks/bench_pipeline.py`` at that size (same machine, same load record) and keeps its
summary. Timings are min and median over ``--repeats``; ``load`` is ``os.getloadavg()`` before and
after (compare CPU seconds on a loaded machine, not wall times).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ["numba", "llvmlite", "scipy", "matplotlib", "statsmodels"]

_CHILD = """
import json, resource, sys, time
t0 = time.process_time()
import pickle
from snakemake.logging import logger
from snakemake.iocontainers import Snakemake
import snakemake.script
t1 = time.process_time()
exec(compile(IMPORTS, SCRIPT, "exec"), {"__name__": "bench_startup"})
t2 = time.process_time()
print(json.dumps({
    "preamble_cpu_s": t1 - t0,
    "imports_cpu_s": t2 - t1,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "heavy": [m for m in HEAVY if m in sys.modules],
    "modules": len(sys.modules),
}))
"""


def script_imports(path: Path) -> str:
    """The module-level import statements of a script (what a job runs before ``main``)."""
    tree = ast.parse(path.read_text())
    return "\n".join(
        ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
    )


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_script(path: Path) -> dict:
    code = f"IMPORTS = {script_imports(path)!r}\nSCRIPT = {str(path)!r}\nHEAVY = {HEAVY!r}\n"
    before = _child_cpu()
    proc = subprocess.run(
        [sys.executable, "-c", code + _CHILD],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["cpu_s"] = _child_cpu() - before
    return out


def measure_parse() -> float:
    before = _child_cpu()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--dry-run",
            "--forceall",
            "--nolock",
            "--cores",
            "2",
            "--configfile",
            "config/config.yaml",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return _child_cpu() - before


def _stat(values: list[float]) -> dict:
    return {"min": round(min(values), 3), "median": round(statistics.median(values), 3)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pipeline", default=None, help="also run bench_pipeline at this size")
    parser.add_argument(
        "--scripts", default=None, help="comma-separated script names (default all)"
    )
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    scripts = sorted((REPO / "scripts").glob("*.py"))
    if args.scripts:
        scripts = [s for s in scripts if s.stem in args.scripts.split(",")]
    runs: dict[str, list[dict]] = {s.stem: [] for s in scripts}
    parse = []
    for _ in range(args.repeats):  # interleaved, so a load spike hits every script alike
        for script in scripts:
            runs[script.stem].append(measure_script(script))
        parse.append(measure_parse())
    table = {}
    for name, rows in runs.items():
        table[name] = {
            "cpu_s": _stat([r["cpu_s"] for r in rows]),
            "preamble_cpu_s": _stat([r["preamble_cpu_s"] for r in rows]),
            "imports_cpu_s": _stat([r["imports_cpu_s"] for r in rows]),
            "max_rss_mb": round(max(r["max_rss_mb"] for r in rows), 1),
            "heavy": rows[0]["heavy"],
            "modules": rows[0]["modules"],
        }
    report = {
        "benchmark": "bench_startup",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "repeats": args.repeats,
        "scripts": table,
        "parse_cpu_s": _stat(parse),
    }
    if args.pipeline:
        sys.path.insert(0, str(REPO / "benchmarks"))
        import bench_pipeline

        t0 = time.perf_counter()
        report["pipeline"] = bench_pipeline.bench_size(
            args.pipeline, repeats=1, cores=2, report=False, keep=None
        )
        report["pipeline"]["bench_s"] = round(time.perf_counter() - t0, 1)
    report["load"] = {"before": [round(x, 2) for x in load_before]}
    report["load"]["after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
