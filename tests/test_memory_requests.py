"""Every rule writes a benchmark file, and no toy job asks for less memory than it used.

The toy run (tests/conftest.py ``toy_run``) has every stage on (clinical, per-sample fingerprints,
enrichment, longitudinal). Its peaks are Snakemake's own measurements (``max_rss`` of each job's
``benchmark:`` file); the requests are what Snakemake computes for the same jobs at their first
attempt, read from its job listing (a dry run over the finished run, so the inputs the requests
are sized from exist). The cohort-size check of the data-path rules is tests/test_benchmark.py.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import run_snakemake

# A request may exceed the peak 50-fold only below this (a Python job's floor, JOB_BASE_MB).
REQUEST_FLOOR_MB = 1000
_JOB = re.compile(r"^(?:local)?rule (\w+):\n((?:[ \t]+\S.*\n?)+)", re.MULTILINE)


def _listing(text: str) -> list[dict[str, str]]:
    jobs = []
    for match in _JOB.finditer(text):
        fields = dict(
            line.strip().split(": ", 1) for line in match.group(2).splitlines() if ": " in line
        )
        jobs.append({"rule": match.group(1), **fields})
    return jobs


@pytest.mark.e2e
def test_every_toy_job_is_benchmarked_and_asks_for_at_least_its_peak(toy_run) -> None:
    proc = run_snakemake(toy_run, "--dry-run", "--forceall", check=True)
    jobs = [j for j in _listing(proc.stdout + proc.stderr) if j["rule"] != "all"]
    rules = {j["rule"] for j in jobs}
    # every stage is in the toy run (so the check below covers the rules moved to mem_mb_reads)
    assert {
        "clinical_response",
        "clinical_tables",
        "sample_fingerprints",
        "sample_figures",
        "module_scores",
        "report_tables",
        "signature",
        "analyte_tests",
        "longitudinal_figures",
        "kaplan_meier",
        "transcripts",
    } <= rules
    missing = sorted({j["rule"] for j in jobs if "benchmark" not in j})
    assert missing == [], f"rules without a benchmark: line: {missing}"
    files = [j["benchmark"] for j in jobs]
    assert len(files) == len(set(files)), "two jobs write the same benchmark file"
    problems, unsampled = [], []
    for job in jobs:
        mem = int(re.search(r"\bmem_mb=(\d+)", job["resources"]).group(1))
        bench = pd.read_csv(toy_run / job["benchmark"], sep="\t")
        rss = float(pd.to_numeric(bench["max_rss"], errors="coerce").max())
        if not rss > 20:
            # Snakemake samples the job's processes periodically: a job of well under a second
            # can end before its Python process is sampled (only the shell's few MB recorded).
            unsampled.append(job["benchmark"])
            continue
        if mem < rss or mem > max(50 * rss, REQUEST_FLOOR_MB):
            problems.append(f"{job['rule']} ({job['benchmark']}): asks {mem} MB, peaks {rss} MB")
    assert problems == []
    assert len(unsampled) <= len(jobs) // 4, f"peaks not sampled: {unsampled}"
