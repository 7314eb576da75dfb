"""The benchmark scripts still run and report every field the docs quote (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_quick_benchmark_reports_every_field() -> None:
    cmd = [
        sys.executable,
        str(REPO / "benchmarks" / "bench_mannwhitney.py"),
        "--quick",
        "--repeats",
        "1",
        "--loop-genes",
        "20",
        "--loop-repeats",
        "1",
        "--rankdata-genes",
        "1024",
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300).stdout
    report = json.loads(out)
    assert set(report["targets"]) >= {"ratio_to_sort", "speedup_vs_loop", "peak_rss_over_matrix"}
    runs = report["runs"]
    assert [r["ties"] for r in runs] == [False, True]
    for run in runs:
        for key in ("sort_s", "kernel_s", "kernel_job_s", "kernel_1thread_s", "scipy_loop_s"):
            assert run[key]["min"] > 0 and run[key]["median"] >= run[key]["min"], key
        for key in (
            "ratio_to_sort",
            "ratio_to_sort_job",
            "speedup_vs_loop",
            "speedup_vs_loop_job",
            "peak_rss_over_matrix",
            "peak_rss_over_matrix_job",
            "numba_speedup_vs_rankdata",
        ):
            assert run[key] > 0, key
        # peak RSS includes the matrix itself
        assert run["peak_rss_over_matrix"] >= 1.0
        assert run["genes"] == 10_000 and run["n_case"] == run["n_control"] == 100
    # the planted ties are there (2-decimal rounding of 200 normal values ties nearly every gene)
    assert runs[0]["genes_with_ties"] == 0
    assert runs[1]["genes_with_ties"] > 0.9 * runs[1]["genes"]


def test_quick_cache_benchmark_round_trips() -> None:
    cmd = [sys.executable, str(REPO / "benchmarks" / "bench_cache.py"), "--quick", "--repeats", "1"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300).stdout
    run = json.loads(out)["run"]
    assert run["round_trip_exact"] is True
    assert (run["genes"], run["samples"], run["job_samples"]) == (5_000, 200, 100)
    for key in ("tsv_read_s", "parquet_write_s", "parquet_read_all_s", "parquet_read_job_s"):
        assert run[key] > 0, key
    assert 0 < run["parquet_mb"] < run["tsv_mb"]


def test_quick_student_benchmark_reports_every_field() -> None:
    cmd = [
        sys.executable,
        str(REPO / "benchmarks" / "bench_student.py"),
        "--quick",
        "--repeats",
        "1",
        "--loop-genes",
        "20",
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300).stdout
    report = json.loads(out)
    for key in ("student_s", "fold_changes_s", "gene_tests_s", "scipy_loop_s"):
        assert report[key]["min"] > 0 and report[key]["median"] >= report[key]["min"], key
    assert report["speedup_vs_loop"] > 0 and report["peak_rss_over_matrix"] > 0
    assert "shared machine" in report["machine"]["note"]
