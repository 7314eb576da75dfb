"""Whole-workflow benchmark on synthetic blood-shaped cohorts; prints JSON on stdout.

Usage (from the repository root):

    .venv/bin/python benchmarks/bench_pipeline.py                      # both default sizes
    .venv/bin/python benchmarks/bench_pipeline.py --sizes 20000x200:3  # one size
    .venv/bin/python benchmarks/bench_pipeline.py --sizes 1500x24:2 --repeats 1 --no-report

A size is ``GENESxSAMPLES:COMPARISONS``. The defaults are those of issue 16: 20,000 x 200 with 3
comparisons and 48,000 x 2,000 with 2 comparisons (about 4 minutes and 4 GB of RAM on 2 cores for
the large one; run it once, with ``--repeats 1``, on a shared machine).

Each cohort is generated once per size in a temporary directory:

- the matrix (plain TSV, log2 values with two decimals, so nearly every gene has ties) has the
  BloodGen3 gene symbols of ``resources/modules/bloodgen3_modules.tsv`` as feature IDs, in module
  order (so a small matrix still holds the first modules whole), then filler IDs ``FILL000001``...;
- half the samples are healthy controls, the other half patients split evenly between the
  comparisons (comparison ``cK`` = patients of visit ``VK`` against every healthy control);
  5 % of the genes are planted up by 1 + K/2 (log2) in the patients of visit ``VK``;
- the modules are BloodGen3 with an identity bridge (no platform tables), and the heatmaps show the
  first two modules of the file.

The whole workflow (``snakemake --cores 2``, then ``--report`` unless ``--no-report``) runs
``--repeats`` times from an empty ``results/``. Per rule (summed over its jobs) it reports wall
time ``s`` and ``cpu_s`` (from the ``benchmark:`` files every rule writes), the largest peak
memory of a job ``max_rss_mb`` (the line ``peak memory: <MB> MB`` that ends every job's log: the
kernel's resident-set high-water marks of the job's process and its child, see
``modmap.logs.peak_memory_mb``), the memory the job asked for (``mem_mb``, from Snakemake's job
listing, at the first attempt) and ``mem_over_rss`` = mem_mb / max_rss_mb (must stay >= 1).
``sampled_rss_mb`` is the largest ``max_rss`` of the ``benchmark:`` files, for comparison:
Snakemake samples memory at intervals (the first after one second), so it can miss a short peak,
and a job of about a second can go unsampled (NA) or be sampled after its process exited (0,
read here as no sample).

The floor, measured in the same run on the same TSV: ``pyarrow.csv`` parse of the matrix plus one
``numpy.sort`` per comparison of the comparison's columns (each row sorted), i.e. reading the data
once and the least work any rank test must do. ``ratio_*`` are job times over the floor.
Timings are min and median over the repeats; ``load`` is ``os.getloadavg()`` before and after
(on a loaded machine wall times stretch: compare ``cpu_s``, ``data_path_cpu_s``, ``figures_cpu_s``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from modmap.logs import read_peak_memory

REPO = Path(__file__).resolve().parents[1]
MODULES = REPO / "resources" / "modules" / "bloodgen3_modules.tsv"
DEFAULT_SIZES = ["20000x200:3", "48000x2000:2"]
# module_scores also writes the rank enrichment table (one job since issue 16's small-jobs work)
DATA_RULES = ("validate", "gene_tests", "module_scores")
FIGURE_RULES = ("module_figures",)


def parse_size(text: str) -> tuple[int, int, int]:
    """``"20000x200:3"`` -> (genes, samples, comparisons)."""
    match = re.fullmatch(r"(\d+)x(\d+):(\d+)", text)
    if match is None:
        raise ValueError(f"--sizes: {text!r} is not GENESxSAMPLES:COMPARISONS (e.g. 20000x200:3)")
    genes, samples, comparisons = (int(g) for g in match.groups())
    if samples < 2 * 3 * comparisons:
        raise ValueError(f"--sizes: {text!r} needs at least {6 * comparisons} samples")
    return genes, samples, comparisons


def _module_symbols() -> tuple[list[str], list[str]]:
    import pandas as pd

    modules = pd.read_csv(MODULES, sep="\t", dtype=str, keep_default_na=False)
    symbols = list(dict.fromkeys(modules["feature_id"]))
    return symbols, list(dict.fromkeys(modules["module_id"]))


def make_cohort(root: Path, genes: int, samples: int, comparisons: int, seed: int = 16) -> dict:
    """Write expression.tsv, samples.tsv and config.yaml under ``root``; return their facts."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import yaml

    rng = np.random.default_rng(seed)
    symbols, module_ids = _module_symbols()
    ids = symbols[:genes] + [f"FILL{i:06d}" for i in range(max(0, genes - len(symbols)))]
    n_healthy = samples // 2
    sample_ids = [f"S{j:05d}" for j in range(samples)]
    visits = [""] * n_healthy + [
        f"V{1 + k * comparisons // (samples - n_healthy)}" for k in range(samples - n_healthy)
    ]
    values = np.round(rng.normal(8.0, 1.5, (genes, samples)), 2)
    planted = rng.random(genes) < 0.05
    for k in range(1, comparisons + 1):
        cols = [j for j, v in enumerate(visits) if v == f"V{k}"]
        values[np.ix_(planted, cols)] += 1.0 + k / 2
    table = pa.table({"feature_id": ids, **{s: values[:, j] for j, s in enumerate(sample_ids)}})
    pacsv.write_csv(
        table,
        root / "expression.tsv",
        write_options=pacsv.WriteOptions(delimiter="\t", quoting_style="none"),
    )
    with open(root / "samples.tsv", "w") as fh:
        fh.write("sample_id\tgroup\tvisit\n")
        for s, v in zip(sample_ids, visits, strict=True):
            fh.write(f"{s}\t{'patient' if v else 'healthy'}\t{v}\n")
    names = [f"c{k}" for k in range(1, comparisons + 1)]
    config = {
        "expression": {"path": str(root / "expression.tsv"), "scale": "log2"},
        "samples": {"path": str(root / "samples.tsv")},
        "modules": {"path": str(MODULES)},
        "comparisons": [
            {
                "name": name,
                "case": {"group": "patient", "visit": f"V{k}"},
                "control": {"group": "healthy"},
            }
            for k, name in enumerate(names, start=1)
        ],
        "heatmaps": {"modules": module_ids[:2], "reference": {"group": "healthy"}},
    }
    (root / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    groups = [
        [j for j, v in enumerate(visits) if v in ("", f"V{k}")] for k in range(1, comparisons + 1)
    ]
    return {"names": names, "groups": groups, "tsv": root / "expression.tsv"}


def measure_floor(tsv: Path, groups: list[list[int]]) -> dict:
    """Seconds of a pyarrow.csv parse of ``tsv`` and of one row-wise numpy.sort per comparison."""
    import pyarrow.csv as pacsv

    t0 = time.perf_counter()
    table = pacsv.read_csv(tsv, parse_options=pacsv.ParseOptions(delimiter="\t"))
    parse_s = time.perf_counter() - t0
    matrix = np.column_stack([table.column(i).to_numpy() for i in range(1, table.num_columns)])
    del table
    sort_s = 0.0
    for cols in groups:
        block = np.ascontiguousarray(matrix[:, cols])
        t0 = time.perf_counter()
        np.sort(block, axis=1)
        sort_s += time.perf_counter() - t0
    return {"parse_s": parse_s, "sort_s": sort_s, "floor_s": parse_s + sort_s}


_JOB = re.compile(r"^(?:local)?rule (\w+):\n((?:[ \t]+\S.*\n?)+)", re.MULTILINE)


def job_listing(log: str) -> dict[str, dict]:
    """Benchmark file -> the job's ``mem_mb`` and ``log`` file, from Snakemake's job listing."""
    out = {}
    for match in _JOB.finditer(log):
        fields = dict(
            line.strip().split(": ", 1) for line in match.group(2).splitlines() if ": " in line
        )
        if "benchmark" not in fields:
            continue
        mem = re.search(r"\bmem_mb=(\d+)", fields.get("resources", ""))
        out[fields["benchmark"].strip()] = {
            "mem_mb": int(mem.group(1)) if mem else None,
            "log": fields["log"].strip() if "log" in fields else None,
        }
    return out


def read_benchmarks(workdir: Path, listing: dict[str, dict]) -> list[dict]:
    """One row per job: rule, file, s, cpu_s, max_rss_mb, sampled_rss_mb, mem_mb.

    ``max_rss_mb`` is the peak the job logged (exact: the kernel's high-water marks);
    ``sampled_rss_mb`` is Snakemake's sampled ``max_rss`` (None when it took no sample, or only
    of a process that had already exited: it records that as 0).
    """
    import pandas as pd

    rows = []
    bench_dir = workdir / "results" / "benchmarks"
    for path in sorted(bench_dir.rglob("*.tsv")):
        rel = str(path.relative_to(workdir))
        table = pd.read_csv(path, sep="\t")
        # results/benchmarks/<rule>.tsv or results/benchmarks/<rule>/<wildcards>.tsv
        rule = path.relative_to(bench_dir).with_suffix("").parts[0]
        rss = pd.to_numeric(table["max_rss"], errors="coerce").iloc[0]
        job = listing.get(rel, {})
        log = job.get("log")
        rows.append(
            {
                "rule": rule,
                "file": rel,
                "s": float(table["s"].iloc[0]),
                "cpu_s": float(table["cpu_time"].iloc[0]),
                "max_rss_mb": read_peak_memory(workdir / log) if log else None,
                "sampled_rss_mb": float(rss) if rss > 0 else None,
                "mem_mb": job.get("mem_mb"),
            }
        )
    return rows


def run_workflow(workdir: Path, *, cores: int, report: bool) -> dict:
    """One run of the whole workflow from an empty results/; wall seconds and per-job rows."""
    for stale in ("results", ".snakemake"):
        shutil.rmtree(workdir / stale, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(REPO / "Snakefile"),
        "--directory",
        str(workdir),
        "--cores",
        str(cores),
        "--nolock",
        "--scheduler",  # as profiles/default (make run) sets it
        "greedy",
        "--configfile",
        str(workdir / "config.yaml"),
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"snakemake failed:\n{proc.stderr[-6000:]}")
    out = {"wall_s": wall, "jobs": read_benchmarks(workdir, job_listing(proc.stderr))}
    if report:
        html = workdir / "results" / "report.html"
        t0 = time.perf_counter()
        subprocess.run([*cmd, "--report", str(html)], check=True, capture_output=True, env=env)
        out["report_s"] = time.perf_counter() - t0
        out["report_mb"] = html.stat().st_size / 1e6
    return out


def _stat(values: list[float]) -> dict:
    return {"min": round(min(values), 3), "median": round(statistics.median(values), 3)}


def summarise(runs: list[dict], floors: list[dict], matrix_mb: float) -> dict:
    rules: dict[str, dict] = {}
    for run in runs:
        per_rule: dict[str, dict] = {}
        for job in run["jobs"]:
            r = per_rule.setdefault(
                job["rule"],
                {
                    "s": 0.0,
                    "cpu_s": 0.0,
                    "jobs": 0,
                    "unmeasured": 0,
                    "rss": [],
                    "sampled": [],
                    "mem": [],
                },
            )
            r["s"] += job["s"]
            r["cpu_s"] += job["cpu_s"]
            r["jobs"] += 1
            if job["max_rss_mb"] is not None:
                r["rss"].append(job["max_rss_mb"])
            else:
                r["unmeasured"] += 1
            if job["sampled_rss_mb"] is not None:
                r["sampled"].append(job["sampled_rss_mb"])
            if job["mem_mb"] is not None:
                r["mem"].append(job["mem_mb"])
        for name, r in per_rule.items():
            acc = rules.setdefault(
                name,
                {
                    "s": [],
                    "cpu_s": [],
                    "jobs": r["jobs"],
                    "unmeasured": 0,
                    "rss": [],
                    "sampled": [],
                    "mem": [],
                },
            )
            acc["s"].append(r["s"])
            acc["cpu_s"].append(r["cpu_s"])
            acc["unmeasured"] += r["unmeasured"]
            acc["rss"].extend(r["rss"])
            acc["sampled"].extend(r["sampled"])
            acc["mem"].extend(r["mem"])
    floor = statistics.median(f["floor_s"] for f in floors)
    table = {}
    for name, acc in sorted(rules.items()):
        rss = max(acc["rss"]) if acc["rss"] else None
        mem = max(acc["mem"]) if acc["mem"] else None
        table[name] = {
            "jobs": acc["jobs"],
            "s": _stat(acc["s"]),
            "cpu_s": _stat(acc["cpu_s"]),
            "max_rss_mb": rss,
            "unmeasured_jobs": acc["unmeasured"],
            "sampled_rss_mb": max(acc["sampled"]) if acc["sampled"] else None,
            "mem_mb": mem,
            "mem_over_rss": round(mem / rss, 2) if mem and rss else None,
            "ratio_to_floor": round(statistics.median(acc["s"]) / floor, 2),
        }
    job_s = [sum(j["s"] for j in run["jobs"]) for run in runs]
    data_s = [sum(j["s"] for j in run["jobs"] if j["rule"] in DATA_RULES) for run in runs]
    fig_s = [sum(j["s"] for j in run["jobs"] if j["rule"] in FIGURE_RULES) for run in runs]
    data_cpu = [sum(j["cpu_s"] for j in run["jobs"] if j["rule"] in DATA_RULES) for run in runs]
    fig_cpu = [sum(j["cpu_s"] for j in run["jobs"] if j["rule"] in FIGURE_RULES) for run in runs]
    peak = max((j["max_rss_mb"] or 0) for run in runs for j in run["jobs"])
    summary = {
        "floor": {k: _stat([f[k] for f in floors]) for k in ("parse_s", "sort_s", "floor_s")},
        "whole_wall_s": _stat([r["wall_s"] for r in runs]),
        "job_s": _stat(job_s),
        "data_path_s": _stat(data_s),
        "figures_s": _stat(fig_s),
        "data_path_cpu_s": _stat(data_cpu),
        "figures_cpu_s": _stat(fig_cpu),
        "ratio_data_path_to_floor": round(statistics.median(data_s) / floor, 2),
        "ratio_jobs_to_floor": round(statistics.median(job_s) / floor, 2),
        "peak_rss_mb": peak,
        "peak_rss_over_matrix": round(peak / matrix_mb, 2),
        "rules": table,
    }
    if "report_s" in runs[0]:
        summary["report_s"] = _stat([r["report_s"] for r in runs])
        summary["report_mb"] = round(runs[-1]["report_mb"], 2)
    return summary


def bench_size(size: str, *, repeats: int, cores: int, report: bool, keep: Path | None) -> dict:
    genes, samples, comparisons = parse_size(size)
    tmp = Path(tempfile.mkdtemp(prefix="bench_pipeline_", dir=keep))
    try:
        t0 = time.perf_counter()
        cohort = make_cohort(tmp, genes, samples, comparisons)
        generate_s = time.perf_counter() - t0
        runs, floors = [], []
        for _ in range(repeats):
            floors.append(measure_floor(cohort["tsv"], cohort["groups"]))
            runs.append(run_workflow(tmp, cores=cores, report=report))
        matrix_mb = genes * samples * 8 / 1e6
        return {
            "size": size,
            "genes": genes,
            "samples": samples,
            "comparisons": comparisons,
            "matrix_mb": round(matrix_mb, 1),
            "tsv_mb": round(cohort["tsv"].stat().st_size / 1e6, 1),
            "generate_s": round(generate_s, 1),
            "repeats": repeats,
            **summarise(runs, floors, matrix_mb),
        }
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", nargs="+", default=DEFAULT_SIZES, help="GENESxSAMPLES:COMPARISONS"
    )
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--no-report", action="store_true", help="skip snakemake --report")
    parser.add_argument("--keep", type=Path, default=None, help="keep the cohorts under this dir")
    args = parser.parse_args(argv)
    for size in args.sizes:
        parse_size(size)
    load_before = os.getloadavg()
    results = [
        bench_size(
            s, repeats=args.repeats, cores=args.cores, report=not args.no_report, keep=args.keep
        )
        for s in args.sizes
    ]
    report = {
        "benchmark": "bench_pipeline",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "cores": args.cores,
        "load": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in os.getloadavg()],
        },
        "targets": {
            "ratio_data_path_to_floor": "<= 2 at 48000x2000",
            "figures_s": "<= 10 s of job time at any number of samples",
            "peak_rss_over_matrix": "<= 2",
            "job_s": "<= 10 s at 20000x200",
            "mem_over_rss": ">= 1 for every rule (no job killed at its first attempt)",
        },
        "runs": results,
    }
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
