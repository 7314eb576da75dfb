"""Benchmark of the expression cache against re-parsing the TSV; prints JSON on stdout.

Usage (from the repository root; ~1-2 minutes and ~3 GB of RAM on 2 cores):

    .venv/bin/python benchmarks/bench_cache.py               # 60,000 features x 1,000 samples
    .venv/bin/python benchmarks/bench_cache.py --quick       # 5,000 x 200, smoke run

The validate rule parses the expression TSV once and writes ``results/validated/expression.arrow``
(:func:`modmap.io.write_expression`: an uncompressed Arrow IPC file, one sample's column after
the other, i.e. the features x samples matrix column-major); the
``gene_tests`` job memory-maps it (:func:`modmap.io.open_expression`) and other jobs read a copy
of the samples or features they need (:func:`modmap.io.read_expression`). For a synthetic log2
matrix (values with 3 decimals, as exported matrices usually are) this reports, each the minimum
of ``--repeats`` runs:

- ``tsv_read_s``: :func:`modmap.io.read_expression_table` of the TSV (what every job would pay
  without the cache), ``tsv_mb`` its size;
- ``cache_write_s``, ``cache_mb``: writing the cache (once, in validate);
- ``cache_read_all_s``: reading a copy of every sample of the cache;
- ``cache_read_job_s``: reading a copy of the columns of one comparison (``--job-samples``
  samples picked at random); ``speedup_job_vs_tsv`` = tsv / job read;
- ``cache_open_job_s``: what ``gene_tests`` does instead: open the mapped view and sum the
  comparison's columns (every value of them used once);
- ``round_trip_exact``: the cache gives back the parsed TSV bit for bit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _best(fn, repeats: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def run(genes: int, samples: int, job_samples: int, repeats: int) -> dict:
    import pyarrow

    from modmap.io import open_expression, read_expression, read_expression_table, write_expression

    rng = np.random.default_rng(7)
    values = np.round(rng.normal(8.0, 2.0, (genes, samples)), 3)
    values[rng.random(values.shape) < 0.001] = np.nan
    matrix = pd.DataFrame(
        values,
        index=pd.Index([f"ILMN_{i:07d}" for i in range(genes)], name="feature_id"),
        columns=[f"S{j:05d}" for j in range(samples)],
    )
    pick = sorted(rng.choice(samples, size=min(job_samples, samples), replace=False))
    job_cols = [matrix.columns[j] for j in pick]
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "expression.tsv"
        cache = Path(tmp) / "expression.arrow"
        matrix.to_csv(tsv, sep="\t", na_rep="")
        tsv_s, parsed = _best(lambda: read_expression_table(tsv), repeats)
        parsed = parsed.astype(np.float64)
        parsed.index = parsed.index.astype(str)
        parsed.index.name = "feature_id"
        write_s, _ = _best(lambda: write_expression(parsed, cache), repeats)
        all_s, back = _best(lambda: read_expression(cache), repeats)
        job_s, job = _best(lambda: read_expression(cache, samples=job_cols), repeats)
        cols = np.array(pick)
        open_s, sums = _best(
            lambda: open_expression(cache).to_numpy()[:, cols].sum(axis=0), repeats
        )
        exact = bool(
            back.index.equals(parsed.index)
            and np.array_equal(back.to_numpy(), parsed.to_numpy(), equal_nan=True)
            and np.array_equal(job.to_numpy(), parsed[job_cols].to_numpy(), equal_nan=True)
            and np.array_equal(sums, parsed[job_cols].to_numpy().sum(axis=0), equal_nan=True)
        )
        return {
            "genes": genes,
            "samples": samples,
            "job_samples": len(job_cols),
            "tsv_mb": round(tsv.stat().st_size / 2**20, 1),
            "cache_mb": round(cache.stat().st_size / 2**20, 1),
            "matrix_mb": round(values.nbytes / 2**20, 1),
            "tsv_read_s": round(tsv_s, 3),
            "cache_write_s": round(write_s, 3),
            "cache_read_all_s": round(all_s, 3),
            "cache_read_job_s": round(job_s, 3),
            "cache_open_job_s": round(open_s, 3),
            "speedup_all_vs_tsv": round(tsv_s / all_s, 1),
            "speedup_job_vs_tsv": round(tsv_s / job_s, 1),
            "round_trip_exact": exact,
            "pyarrow": pyarrow.__version__,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--job-samples", type=int, default=200)
    args = parser.parse_args()
    genes, samples = (5_000, 200) if args.quick else (60_000, 1_000)
    result = run(genes, samples, min(args.job_samples, samples // 2), args.repeats)
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
