"""Benchmark of the Mann-Whitney rank kernel at cohort scale; prints JSON on stdout.

Usage (from the repository root; ~2-4 minutes and ~8 GB of RAM on 2 cores):

    .venv/bin/python benchmarks/bench_mannwhitney.py            # 60,000 x (500+500), (2,000+2,000)
    .venv/bin/python benchmarks/bench_mannwhitney.py --quick    # 10,000 x (100+100), smoke run

Every matrix size runs in a fresh subprocess so its peak memory is its own. For each size, with
and without ties (values rounded to 2 decimals, so nearly every gene has tied values), it reports:

- ``sort_s``: ``numpy.sort(matrix, axis=1)`` of the same genes x samples matrix, single-threaded
  (numpy sorts on one core), the floor of a rank test on one core;
- ``kernel_s``: ``modmap.stats.rank_sums`` (W, tie term, medians for every gene) on the
  C-ordered matrix, groups picked by column indices (row chunks are gathered into per-thread
  buffers and sorted there; the input is never modified); ``kernel_1thread_s`` the same on one
  thread; ``test_s``: the whole ``mann_whitney`` (kernel + p-values + table);
- ``kernel_job_s``: exactly what a ``gene_tests`` job runs: the kernel gathering its chunks
  from a column-major (Fortran-ordered) matrix, the layout in which the job maps the expression
  cache (an uncompressed Arrow IPC file, one sample's column after the other), cases first then
  controls (two contiguous column blocks); ``ratio_to_sort_job``,
  ``speedup_vs_loop_job``; ``kernel_shuffled_s`` / ``speedup_vs_loop_shuffled``: the same with
  cases and controls at shuffled columns (the layout before the job ordered its columns);
- every timing is ``{"min", "median"}`` over ``--repeats`` interleaved runs (the machine may be
  shared: the load average before and after each size is recorded, every run is listed in
  ``all_runs_s``);
- ``ratio_to_sort`` (min / min), ``ratio_to_sort_median``: kernel over sort (target <= 1.0);
- ``scipy_loop_s``: a per-gene ``scipy.stats.mannwhitneyu`` loop timed on ``--loop-genes``
  genes (``--loop-repeats`` times) and extrapolated linearly to all genes;
  ``speedup_vs_loop`` (min / min; target >= 50), ``speedup_vs_loop_median`` (median / median);
- ``numpy_rankdata_s``: the same statistics from chunked ``scipy.stats.rankdata(axis=1)`` without
  numba, timed on a subset and extrapolated: what the compiled merge kernel buys;
- ``peak_rss_over_matrix``: peak resident memory of the process (matrix included) during the
  kernel, over the matrix size in float64 (target < 3), C-ordered input;
  ``peak_rss_over_matrix_job`` the same for the job's column-major input (the peak is reset
  through ``/proc/self/clear_refs`` before each measurement, so each is its own);
  ``peak_extra_rss_over_matrix``: the peak minus the RSS before the kernel;
  ``tracemalloc_peak_mb``: numpy allocations during the kernel.
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
    # VmHWM, the high-water mark of the resident set since the last _reset_peak().
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    # Linux >= 4.0: writing 5 to clear_refs resets VmHWM to the current RSS.
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _loadavg() -> str:
    # The 1, 5 and 15 minute load averages: other jobs on the machine skew the timings.
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _cpu_model() -> str:
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


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
    warmup_s = time.perf_counter() - t0

    # The job's layout: gene_tests maps the Arrow IPC cache, column-major, cases then controls;
    # the kernel gathers row chunks of the two column blocks. Shuffled: the groups' columns
    # anywhere in the matrix.
    fortran = np.asfortranarray(matrix)
    shuffled = np.random.default_rng(2).permutation(n)
    f_case, f_ctrl = np.sort(shuffled[:n_case]), np.sort(shuffled[n_case:])

    def job() -> None:
        rank_sums(fortran, fortran, case_columns=case_cols, control_columns=ctrl_cols)

    def job_shuffled() -> None:
        rank_sums(fortran, fortran, case_columns=f_case, control_columns=f_ctrl)

    # Peak memory of each layout on its own: only that matrix alive (a freed array's pages go
    # back to the system), peak reset before each measurement.
    matrix = None
    _reset_peak()
    rss_before_job = _rss_mb()
    job()
    peak_job = _peak_rss_mb()
    matrix = np.ascontiguousarray(fortran)
    fortran = None
    _reset_peak()
    rss_before = _rss_mb()
    tracemalloc.start()
    kernel()
    tracemalloc_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    peak_kernel = _peak_rss_mb()
    fortran = np.asfortranarray(matrix)

    # Interleaved repeats (the machine is shared): min and median of each are reported.
    load_before = _loadavg()
    sort_t, kernel_t, job_t, shuffled_t = [], [], [], []
    for _ in range(args.repeats):
        sort_t.append(_timed(lambda: np.sort(matrix, axis=1), 1))
        kernel_t.append(_timed(kernel, 1))
        job_t.append(_timed(job, 1))
        shuffled_t.append(_timed(job_shuffled, 1))
    fortran = None  # free the column-major copy before the scipy loops
    kernel_1t = [_timed(lambda: kernel(threads=1), 1) for _ in range(min(3, args.repeats))]
    test_s = _timed(
        lambda: mann_whitney(matrix, matrix, case_columns=case_cols, control_columns=ctrl_cols), 1
    )

    k = min(args.loop_genes, genes)
    loop_t = []
    for _ in range(args.loop_repeats):
        t0 = time.perf_counter()
        for g in range(k):
            mannwhitneyu(matrix[g, :n_case], matrix[g, n_case:], alternative="two-sided")
        loop_t.append((time.perf_counter() - t0) * genes / k)

    k2 = min(args.rankdata_genes, genes)
    t0 = time.perf_counter()
    for s in range(0, k2, 1024):
        r = rankdata(matrix[s : min(k2, s + 1024)], axis=1)
        r[:, :n_case].sum(axis=1)
    rankdata_s = (time.perf_counter() - t0) * genes / k2
    load_after = _loadavg()

    def stats(ts: list[float]) -> dict:
        return {"min": round(min(ts), 3), "median": round(statistics.median(ts), 3)}

    sort_s, kernel_s, job_s = min(sort_t), min(kernel_t), min(job_t)
    loop_s, loop_med = min(loop_t), statistics.median(loop_t)
    return {
        "genes": genes,
        "n_case": n_case,
        "n_control": n_control,
        "ties": ties,
        "genes_with_ties": int(np.count_nonzero(kernel().tie_term > 0)),
        "threads": numba.get_num_threads(),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "matrix_mb": round(matrix_mb, 1),
        "sort_s": stats(sort_t),
        "kernel_s": stats(kernel_t),
        "kernel_job_s": stats(job_t),
        "kernel_shuffled_s": stats(shuffled_t),
        "kernel_1thread_s": stats(kernel_1t),
        "test_s": round(test_s, 3),
        "ratio_to_sort": round(kernel_s / sort_s, 3),
        "ratio_to_sort_median": round(statistics.median(kernel_t) / statistics.median(sort_t), 3),
        "ratio_to_sort_job": round(job_s / sort_s, 3),
        "scipy_loop_s": {"min": round(loop_s, 1), "median": round(loop_med, 1)},
        "scipy_loop_genes_timed": k,
        "speedup_vs_loop": round(loop_s / kernel_s, 1),
        "speedup_vs_loop_median": round(loop_med / statistics.median(kernel_t), 1),
        "speedup_vs_loop_job": round(loop_s / job_s, 1),
        "speedup_vs_loop_shuffled": round(loop_s / min(shuffled_t), 1),
        "all_runs_s": {
            "sort": [round(t, 3) for t in sort_t],
            "kernel": [round(t, 3) for t in kernel_t],
            "kernel_job": [round(t, 3) for t in job_t],
            "kernel_shuffled": [round(t, 3) for t in shuffled_t],
            "scipy_loop": [round(t, 2) for t in loop_t],
        },
        "numpy_rankdata_s": round(rankdata_s, 2),
        "numpy_rankdata_genes_timed": k2,
        "numba_speedup_vs_rankdata": round(rankdata_s / kernel_s, 1),
        "numba_warmup_s": round(warmup_s, 2),
        "peak_rss_over_matrix": round(peak_kernel / matrix_mb, 3),
        "peak_rss_over_matrix_job": round(peak_job / matrix_mb, 3),
        "peak_extra_rss_over_matrix": round((peak_kernel - rss_before) / matrix_mb, 3),
        "peak_extra_rss_over_matrix_job": round((peak_job - rss_before_job) / matrix_mb, 3),
        "tracemalloc_peak_mb": round(tracemalloc_peak, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--loop-genes", type=int, default=500)
    parser.add_argument("--loop-repeats", type=int, default=3)
    parser.add_argument("--rankdata-genes", type=int, default=4096)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # "genes,n_case,n_control,ties"
    args = parser.parse_args()
    if args.one:
        g, m, n, t = args.one.split(",")
        print(json.dumps(run_one(int(g), int(m), int(n), t == "1", args)))
        return
    uptime_start = _uptime()
    sizes = [(10_000, 100, 100)] if args.quick else [(60_000, 500, 500), (60_000, 2000, 2000)]
    runs = []
    for g, m, n in sizes:
        for ties in (False, True):
            cmd = [sys.executable, __file__, "--one", f"{g},{m},{n},{int(ties)}"]
            cmd += ["--repeats", str(args.repeats), "--loop-genes", str(args.loop_genes)]
            cmd += ["--loop-repeats", str(args.loop_repeats)]
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
                    "cpu": _cpu_model(),
                    "uptime_start": uptime_start,
                    "uptime_end": _uptime(),
                },
                "targets": {
                    "ratio_to_sort": "<= 1.0",
                    "speedup_vs_loop": ">= 50",
                    "peak_rss_over_matrix": "< 3",
                    "what_numba_bought": "numba_speedup_vs_rankdata (the compiled merge vs "
                    "chunked scipy.stats.rankdata)",
                },
                "runs": runs,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
