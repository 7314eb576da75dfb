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
    for key in ("tsv_read_s", "cache_write_s", "cache_read_all_s", "cache_read_job_s"):
        assert run[key] > 0, key
    assert run["cache_open_job_s"] > 0
    # uncompressed float64: 8 bytes a value plus the feature IDs (13 bytes each with offsets)
    values_mb = run["genes"] * run["samples"] * 8 / 2**20
    assert values_mb <= run["cache_mb"] <= values_mb + run["genes"] * 13 / 2**20 + 0.1


# A request may exceed the peak 50-fold only below this (a Python job's floor, JOB_BASE_MB).
REQUEST_FLOOR_MB = 1000


def check_requests(run: dict) -> None:
    """No job asks for less than its measured peak, none for more than 50x it (above a floor)."""
    for name, rule in run["rules"].items():
        mem, rss = rule["mem_mb"], rule["max_rss_mb"]
        assert mem >= rss, f"{run['size']} {name}: asks {mem} MB, peaks at {rss} MB"
        assert mem <= max(50 * rss, REQUEST_FLOOR_MB), f"{run['size']} {name}: {mem} for {rss} MB"


def test_memory_requests_cover_the_measured_peaks() -> None:
    """The committed benchmark run (two cohort sizes): every first-attempt request covers its peak.

    benchmarks/bench_pipeline.json is the output of `make bench` (peaks measured by Snakemake's
    benchmark files, requests read from Snakemake's job listing of the same run); rerun it when a
    rule's resources change.
    """
    report = json.loads((REPO / "benchmarks" / "bench_pipeline.json").read_text())
    sizes = {(run["genes"], run["samples"]) for run in report["runs"]}
    assert len(sizes) >= 2
    assert max(g * s for g, s in sizes) >= 48_000 * 2_000
    for run in report["runs"]:
        # the peaks are the ones every job logged (modmap.logs.run_job), none missing
        assert all(rule["unmeasured_jobs"] == 0 for rule in run["rules"].values()), run["size"]
        check_requests(run)


def test_pipeline_benchmark_reports_every_rule(tmp_path: Path) -> None:
    """A tiny cohort through the whole workflow: every rule timed, measured and its request read."""
    cmd = [
        sys.executable,
        str(REPO / "benchmarks" / "bench_pipeline.py"),
        "--sizes",
        "1200x12:1",
        "--no-report",
        "--keep",
        str(tmp_path),
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=900).stdout
    report = json.loads(out)
    assert len(report["load"]["before"]) == 3
    (run,) = report["runs"]
    assert (run["genes"], run["samples"], run["comparisons"]) == (1200, 12, 1)
    assert run["floor"]["floor_s"]["min"] > 0
    rules = run["rules"]
    assert set(rules) >= {
        "validate",
        "bridge",
        "gene_tests",
        "module_scores",
        "module_figures",
        "report_tables",
    }
    assert not set(rules) & {"module_map", "module_dots", "heatmap", "module_enrichment"}
    # one job draws the map, the dots and both heatmaps of the benchmark config; one job renders
    # every HTML table
    assert rules["module_figures"]["jobs"] == 1 and rules["report_tables"]["jobs"] == 1
    for name, rule in rules.items():
        assert rule["s"]["min"] > 0, name
        # Every job's log ends with its peak memory (the kernel's high-water marks, never
        # missed): a Python job that has imported numpy and pandas holds well over 40 MB
        assert rule["unmeasured_jobs"] == 0, name
        assert rule["max_rss_mb"] > 40, name
        assert rule["mem_over_rss"] == round(rule["mem_mb"] / rule["max_rss_mb"], 2), name
        # Snakemake's own samples (when it took one) are a second, independent measure: a
        # sample of the job's processes cannot exceed the sum of their high-water marks (the
        # shell Snakemake starts the script from may add a few MB)
        sampled = rule["sampled_rss_mb"]
        assert sampled is None or sampled <= rule["max_rss_mb"] + 8, (name, sampled)
    check_requests(run)
    # the cohort: generated matrix of 1,200 features, BloodGen3 symbols first
    (cohort,) = tmp_path.iterdir()
    lines = (cohort / "expression.tsv").read_text().splitlines()
    assert len(lines) == 1201 and lines[1].split("\t")[0] == "ALPP"
    assert len(lines[0].split("\t")) == 13


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


def test_quick_fingerprint_benchmark_reports_every_field() -> None:
    cmd = [
        sys.executable,
        str(REPO / "benchmarks" / "bench_fingerprints.py"),
        "--quick",
        "--repeats",
        "1",
        "--loop-genes",
        "200",
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300).stdout
    run = json.loads(out)["run"]
    assert (run["features"], run["samples"], run["reference"]) == (5_000, 200, 50)
    assert run["fingerprint_rows"] == run["samples"] * run["modules"]
    for key in (
        "fingerprints_s",
        "distance_s",
        "calls_s",
        "loop_s_estimated",
        "speedup_calls_vs_loop",
    ):
        assert run[key] > 0, key


def test_quick_figures_benchmark_reports_every_job() -> None:
    cmd = [
        sys.executable,
        str(REPO / "benchmarks" / "bench_figures.py"),
        "--samples",
        "24",
        "--features",
        "600",
        "--modules",
        "M3.1",  # the first module of the BloodGen3 file: its genes are among the first 600
        "--comparisons",
        "2",
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=600).stdout
    report = json.loads(out)
    assert set(report["load"]) == {"before", "after"}
    (heat,) = report["heatmaps"]
    (job,) = heat["jobs"]
    assert job["job"] == "heatmap M3.1" and job["cpu_s"]["min"] > 0 and job["max_rss_mb"] > 0
    assert set(job["outputs"]) == {"heatmap_M3.1.pdf", "heatmap_M3.1.png"}
    (maps,) = report["maps"]
    assert [j["job"] for j in maps["jobs"]] == [
        "module_map",
        "module_dots",
        "module_map+module_dots",
    ]
    assert set(maps["jobs"][0]["outputs"]) == {"module_map.pdf", "module_map.png", "module_map.svg"}
