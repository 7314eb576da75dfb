"""Benchmark of the per-sample fingerprints and the distance to health; prints JSON on stdout.

Usage (from the repository root; ~1-2 minutes and ~2.5 GB of RAM on 2 cores with --repeats 3):

    .venv/bin/python benchmarks/bench_fingerprints.py            # 60,000 features x 2,000 samples
    .venv/bin/python benchmarks/bench_fingerprints.py --quick    # 5,000 x 200, smoke run

A synthetic log2 matrix (normal, mean 8, SD 2; 0.1 % missing) with ``--reference`` reference
samples and 400 modules of 40 genes (16,000 member features, about BloodGen3's 14,000; --quick:
100 modules) is given
to :func:`modmap.stats.fingerprints.sample_fingerprints` (BloodGen3Module defaults: linear scale,
FC 1.5, difference 10) and :func:`modmap.stats.fingerprints.distance_to_health` (every feature).
Reported, each the minimum of ``--repeats`` runs (the machine is shared: keep repeats modest):

- ``fingerprints_s``, ``distance_s``: wall time of each call;
- ``calls_s``: the up/down calls alone (:func:`~modmap.stats.fingerprints.fold_change_calls` on
  the member features in chunks of 2,048, as ``sample_fingerprints`` runs them), without module
  counting and the output table;
- ``loop_s_estimated``: a per-gene Python loop doing the same calls (numpy per gene, the shape of
  BloodGen3Module's R loop), timed on ``--loop-genes`` genes and scaled to the member features;
  ``speedup_calls_vs_loop`` = loop estimate / ``calls_s`` (like for like);
- ``peak_rss_mb``: peak resident memory of the process (matrix included), ``matrix_mb`` the
  matrix alone, ``peak_rss_over_matrix`` their ratio;
- ``fingerprint_rows``: rows of the result (samples x modules), as a sanity check.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

import numpy as np
import pandas as pd


def _best(fn, repeats: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _loop(values: np.ndarray, rows: np.ndarray, ref: np.ndarray) -> float:
    """Per-gene loop (one numpy call chain per gene), as a port of the R loop would be."""
    t0 = time.perf_counter()
    for k in rows:
        x = np.exp2(values[k])
        m = np.nanmean(x[ref])
        diff = x - m
        fc = np.where(x >= m, x / m, -m / x)
        _ = (fc > 1.5) & (diff > 10), (fc < -1.5) & (diff < -10)
    return time.perf_counter() - t0


def run(features: int, samples: int, reference: int, repeats: int, loop_genes: int) -> dict:
    from modmap.stats.fingerprints import (
        CHUNK_ROWS,
        distance_to_health,
        fold_change_calls,
        sample_fingerprints,
    )

    rng = np.random.default_rng(11)
    values = rng.standard_normal((features, samples))
    values *= 2.0
    values += 8.0
    values.flat[rng.integers(0, values.size, values.size // 1000)] = np.nan
    columns = [f"S{j:05d}" for j in range(samples)]
    matrix = pd.DataFrame(
        values,
        index=pd.Index([f"G{i:06d}" for i in range(features)], name="feature_id"),
        columns=columns,
        copy=False,
    )
    ref = columns[:reference]
    n_modules, size = (400, 40) if features >= 16_000 else (100, 40)
    members = rng.choice(features, size=n_modules * size, replace=False)
    membership = pd.DataFrame(
        {
            "module_id": np.repeat([f"M{i}" for i in range(n_modules)], size),
            "title": "t",
            "feature_id": matrix.index[members],
        }
    )
    fp_s, fp = _best(lambda: sample_fingerprints(matrix, ref, membership), repeats)
    d_s, _ = _best(lambda: distance_to_health(matrix, ref), repeats)
    mask = np.zeros(samples, dtype=bool)
    mask[:reference] = True
    rows = np.sort(members)

    def calls() -> None:
        for start in range(0, rows.size, CHUNK_ROWS):
            fold_change_calls(values[rows[start : start + CHUNK_ROWS]], mask)

    calls_s, _ = _best(calls, repeats)
    loop_n = min(loop_genes, features)
    loop_s = _loop(values, rows[:loop_n], mask) * (n_modules * size) / loop_n
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    matrix_mb = values.nbytes / 2**20
    return {
        "features": features,
        "samples": samples,
        "reference": reference,
        "modules": n_modules,
        "member_features": n_modules * size,
        "fingerprints_s": round(fp_s, 3),
        "distance_s": round(d_s, 3),
        "calls_s": round(calls_s, 3),
        "loop_genes_timed": loop_n,
        "loop_s_estimated": round(loop_s, 2),
        "speedup_calls_vs_loop": round(loop_s / calls_s, 1),
        "matrix_mb": round(matrix_mb, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "peak_rss_over_matrix": round(peak_mb / matrix_mb, 2),
        "fingerprint_rows": len(fp),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reference", type=int, default=200)
    parser.add_argument("--loop-genes", type=int, default=1000)
    args = parser.parse_args()
    features, samples = (5_000, 200) if args.quick else (60_000, 2_000)
    reference = min(args.reference, samples // 4)
    result = run(features, samples, reference, args.repeats, args.loop_genes)
    print(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "pandas": pd.__version__,
                    "numpy": np.__version__,
                },
                "argv": sys.argv[1:],
                "run": result,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
