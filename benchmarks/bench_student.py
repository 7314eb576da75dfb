"""Benchmark of the Student t-test and fold changes at cohort scale; prints JSON on stdout.

Usage (from the repository root; ~2-4 minutes and ~5 GB of RAM on 2 cores):

    .venv/bin/python benchmarks/bench_student.py             # 60,000 features x (1,000 + 1,000)
    .venv/bin/python benchmarks/bench_student.py --quick     # 5,000 x (100 + 100), smoke run

One matrix of ``--features`` genes x (``--cases`` + ``--controls``) samples (standard normal,
log2-like, cases shifted by 0.1, 1 % missing values). It reports, each as ``{"min", "median"}``
over ``--repeats`` runs:

- ``student_s``: ``modmap.stats.student`` on the two groups (t, df, p, medians; vectorised over
  genes, no per-gene loop);
- ``fold_changes_s``: ``modmap.stats.fold_changes`` with ``linear_offset=1`` (log2 fold change and
  the gtools fold change of the untransformed means);
- ``gene_tests_s``: what a ``gene_tests`` job runs with ``test: student``,
  ``untestable: p_one``, ``fdr: true``, linear data: tests, constant genes, fold changes, BH;
- ``scipy_loop_s``: a per-gene loop making the same columns (``scipy.stats.ttest_ind(equal_var=
  True)`` and the two medians) timed on ``--loop-genes`` genes and extrapolated linearly;
  ``speedup_vs_loop`` = loop / student (min);
- ``peak_rss_over_matrix``: peak resident memory during ``gene_tests`` (matrix included) over the
  matrix size in float64.

The machine is shared (2 cores for several sessions): the load average before and after is
recorded, and every run is listed in ``all_runs_s``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np
import pandas as pd


def _loadavg() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _cpu_model() -> str:
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def _times(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _summary(times: list[float]) -> dict:
    return {"min": min(times), "median": statistics.median(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=60_000)
    parser.add_argument("--cases", type=int, default=1_000)
    parser.add_argument("--controls", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--loop-genes", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="5,000 x (100 + 100)")
    args = parser.parse_args()
    if args.quick:
        args.features, args.cases, args.controls = 5_000, 100, 100
    from scipy.stats import ttest_ind

    from modmap.stats import comparison_design, fold_changes, gene_tests, student

    rng = np.random.default_rng(7)
    n = args.cases + args.controls
    matrix = rng.standard_normal((args.features, n))
    matrix[:, : args.cases] += 0.1
    matrix[rng.random(matrix.shape) < 0.01] = np.nan
    case, control = matrix[:, : args.cases], matrix[:, args.cases :]
    samples = [f"s{i}" for i in range(n)]
    expression = pd.DataFrame(
        matrix, index=[f"g{i}" for i in range(args.features)], columns=samples
    )
    design = comparison_design(
        pd.DataFrame(
            {
                "comparison": "c",
                "sample_id": samples,
                "role": ["case"] * args.cases + ["control"] * args.controls,
                "pair": "",
            }
        ),
        "c",
    )
    load_before = _loadavg()
    t_student = _times(lambda: student(case, control), args.repeats)
    t_fold = _times(lambda: fold_changes(case, control, linear_offset=1), args.repeats)
    _reset_peak()

    def job() -> None:
        gene_tests(
            expression,
            design,
            test="student",
            fdr=True,
            untestable="p_one",
            linear_offset=1,
            min_group_size=3,
        )

    t_job = _times(job, args.repeats)
    peak = _peak_rss_mb()
    k = min(args.loop_genes, args.features)

    def loop() -> None:
        for i in range(k):
            x, y = case[i], control[i]
            x, y = x[~np.isnan(x)], y[~np.isnan(y)]
            ttest_ind(x, y, equal_var=True)
            np.median(x), np.median(y)

    t_loop = [t * args.features / k for t in _times(loop, args.repeats)]
    matrix_mb = matrix.nbytes / 2**20
    report = {
        "benchmark": "bench_student",
        "features": args.features,
        "cases": args.cases,
        "controls": args.controls,
        "repeats": args.repeats,
        "student_s": _summary(t_student),
        "fold_changes_s": _summary(t_fold),
        "gene_tests_s": _summary(t_job),
        "scipy_loop_s": _summary(t_loop),
        "speedup_vs_loop": min(t_loop) / min(t_student),
        "matrix_mb": matrix_mb,
        "peak_rss_mb": peak,
        "peak_rss_over_matrix": peak / matrix_mb,
        "all_runs_s": {
            "student": t_student,
            "fold_changes": t_fold,
            "gene_tests": t_job,
            "scipy_loop_extrapolated": t_loop,
        },
        "targets": {
            "vectorised": "no per-gene Python loop (issue 13); no timing target is set",
            "peak_rss_over_matrix": "< 4 (the job copies the two groups once)",
        },
        "machine": {
            "cpu": _cpu_model(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "loadavg_before": load_before,
            "loadavg_after": _loadavg(),
            "note": "shared machine (2 cores for several sessions): timings vary with the load",
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
