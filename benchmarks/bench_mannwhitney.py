"""Benchmark of the Mann-Whitney rank kernel at cohort scale; prints JSON on stdout.

Usage (from the repository root; ~2-4 minutes and ~8 GB of RAM on 2 cores):

    .venv/bin/python benchmarks/bench_mannwhitney.py            # 60,000 x (500+500), (2,000+2,000)
    .venv/bin/python benchmarks/bench_mannwhitney.py --quick    # 10,000 x (100+100), smoke run

Every matrix size runs in a fresh subprocess so its peak memory is its own. For each size, with
and without ties (values rounded to 2 decimals, so nearly every gene has tied values), it reports:

- ``sort_s``: ``numpy.sort(matrix, axis=1)`` of the same genes x samples matrix, the floor of any
  rank test (median of the repeats);
- ``kernel_s``: ``modmap.stats.rank_sums`` (W, tie term, medians for every gene) on the matrix,
  groups picked by column indices, input preserved (chunks are gathered and sorted in copies);
  ``kernel_1thread_s`` the same on one thread; ``test_s``: the whole ``mann_whitney`` (kernel +
  p-values + table);
- ``kernel_inplace_s``: the mode ``gene_tests`` uses: the kernel sorts a C-ordered copy of the
  comparison's columns in place (``overwrite_input=True``; making that copy is part of loading
  the comparison and is not timed here);
- ``ratio_to_sort``, ``ratio_to_sort_inplace``: kernel time over sort time (target <= 1.0);
- timings are the minimum of ``--repeats`` interleaved runs (the machine may be shared; all runs
  are listed in ``*_all``);
- ``scipy_loop_s``: a per-gene ``scipy.stats.mannwhitneyu`` loop timed on ``--loop-genes`` genes
  and extrapolated linearly to all genes; ``speedup_vs_loop`` (target >= 50);
- ``numpy_rankdata_s``: the same statistics from chunked ``scipy.stats.rankdata(axis=1)`` without
  numba, timed on a subset and extrapolated: what the compiled merge kernel buys;
- ``peak_extra_rss_over_matrix``: peak resident memory during the kernel minus the memory before
  it, over the matrix size; ``peak_rss_over_matrix``: peak RSS of the process (matrix included)
  over the matrix size (target < 3); ``peak_rss_over_matrix_driver_mode`` the same with the
  in-place copy; ``tracemalloc_peak_mb``: numpy allocations during the kernel.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_one(genes: int, n_case: int, n_control: int, ties: bool, args) -> dict:
    import numba
    from scipy.stats import mannwhitneyu, rankdata

    from modmap.stats import mann_whitney, rank_sums

    rng = np.random.default_rng(1)
    n = n_case + n_control
    matrix = rng.standard_normal((genes, n))
    matrix[:, :n_case] += 0.1
    if ties:
        np.round(matrix, 2, out=matrix)
    case_cols = np.arange(n_case)
    ctrl_cols = np.arange(n_case, n)
    matrix_mb = matrix.nbytes / 2**20

    def kernel(threads=None):
        return rank_sums(
            matrix, matrix, case_columns=case_cols, control_columns=ctrl_cols, threads=threads
        )

    # Compile (numba caches to disk) outside the timed and measured region.
    t0 = time.perf_counter()
    rank_sums(matrix[:8], matrix[:8], case_columns=case_cols, control_columns=ctrl_cols)
    scratch = matrix[:8].copy()
    rank_sums(scratch[:, :n_case], scratch[:, n_case:], overwrite_input=True)
    warmup_s = time.perf_counter() - t0

    # Peak memory of the copying kernel (input preserved): matrix + a few sorted chunks.
    rss_before = _rss_mb()
    tracemalloc.start()
    kernel()
    tracemalloc_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    peak_copying = _peak_rss_mb()

    # The driver's mode: one C-ordered copy of the comparison's columns, sorted in place.
    scratch = matrix.copy()
    rank_sums(scratch[:, :n_case], scratch[:, n_case:], overwrite_input=True)
    peak_driver = _peak_rss_mb()

    # Interleaved repeats (the machine is shared): the minimum is the least noisy estimate.
    sort_t, kernel_t, inplace_t = [], [], []
    for _ in range(args.repeats):
        sort_t.append(_timed(lambda: np.sort(matrix, axis=1), 1))
        kernel_t.append(_timed(kernel, 1))
        scratch[:] = matrix
        inplace_t.append(
            _timed(
                lambda: rank_sums(scratch[:, :n_case], scratch[:, n_case:], overwrite_input=True),
                1,
            )
        )
    scratch = None  # free the copy before the scipy loops
    sort_s, kernel_s, inplace_s = min(sort_t), min(kernel_t), min(inplace_t)
    kernel_1t_s = _timed(lambda: kernel(threads=1), 1)
    test_s = _timed(
        lambda: mann_whitney(matrix, matrix, case_columns=case_cols, control_columns=ctrl_cols), 1
    )

    k = min(args.loop_genes, genes)
    t0 = time.perf_counter()
    for g in range(k):
        mannwhitneyu(matrix[g, :n_case], matrix[g, n_case:], alternative="two-sided")
    loop_s = (time.perf_counter() - t0) * genes / k

    k2 = min(args.rankdata_genes, genes)
    t0 = time.perf_counter()
    for s in range(0, k2, 1024):
        r = rankdata(matrix[s : min(k2, s + 1024)], axis=1)
        r[:, :n_case].sum(axis=1)
    rankdata_s = (time.perf_counter() - t0) * genes / k2

    return {
        "genes": genes,
        "n_case": n_case,
        "n_control": n_control,
        "ties": ties,
        "genes_with_ties": int(np.count_nonzero(kernel().tie_term > 0)),
        "threads": numba.get_num_threads(),
        "matrix_mb": round(matrix_mb, 1),
        "sort_s": round(sort_s, 3),
        "sort_s_all": [round(t, 3) for t in sort_t],
        "kernel_s": round(kernel_s, 3),
        "kernel_s_all": [round(t, 3) for t in kernel_t],
        "kernel_inplace_s": round(inplace_s, 3),
        "kernel_inplace_s_all": [round(t, 3) for t in inplace_t],
        "kernel_1thread_s": round(kernel_1t_s, 3),
        "test_s": round(test_s, 3),
        "ratio_to_sort": round(kernel_s / sort_s, 3),
        "ratio_to_sort_inplace": round(inplace_s / sort_s, 3),
        "scipy_loop_s": round(loop_s, 1),
        "scipy_loop_genes_timed": k,
        "speedup_vs_loop": round(loop_s / kernel_s, 1),
        "speedup_vs_loop_inplace": round(loop_s / inplace_s, 1),
        "numpy_rankdata_s": round(rankdata_s, 2),
        "numpy_rankdata_genes_timed": k2,
        "numba_speedup_vs_rankdata": round(rankdata_s / kernel_s, 1),
        "numba_warmup_s": round(warmup_s, 2),
        "peak_extra_rss_over_matrix": round((peak_copying - rss_before) / matrix_mb, 3),
        "peak_rss_over_matrix": round(peak_copying / matrix_mb, 3),
        "peak_rss_over_matrix_driver_mode": round(peak_driver / matrix_mb, 3),
        "tracemalloc_peak_mb": round(tracemalloc_peak, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--loop-genes", type=int, default=500)
    parser.add_argument("--rankdata-genes", type=int, default=4096)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # "genes,n_case,n_control,ties"
    args = parser.parse_args()
    if args.one:
        g, m, n, t = args.one.split(",")
        print(json.dumps(run_one(int(g), int(m), int(n), t == "1", args)))
        return
    sizes = [(10_000, 100, 100)] if args.quick else [(60_000, 500, 500), (60_000, 2000, 2000)]
    runs = []
    for g, m, n in sizes:
        for ties in (False, True):
            cmd = [sys.executable, __file__, "--one", f"{g},{m},{n},{int(ties)}"]
            cmd += ["--repeats", str(args.repeats), "--loop-genes", str(args.loop_genes)]
            cmd += ["--rankdata-genes", str(args.rankdata_genes)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True)
            runs.append(json.loads(out.stdout))
    import numba
    import scipy

    print(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "numpy": np.__version__,
                    "scipy": scipy.__version__,
                    "numba": numba.__version__,
                },
                "targets": {
                    "ratio_to_sort": "<= 1.0",
                    "speedup_vs_loop": ">= 50",
                    "peak_rss_over_matrix": "< 3",
                },
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
