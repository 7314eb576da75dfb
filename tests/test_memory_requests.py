"""Every rule writes a benchmark file, and no toy job asks for less memory than it used.

The toy run (tests/conftest.py ``toy_run``) has every stage on (clinical, per-sample fingerprints,
enrichment, longitudinal). Its peaks are the ones each job logs as its last line (the kernel's
high-water marks, ``modmap.logs.peak_memory_mb``), checked against Snakemake's own samples
(``max_rss`` of each job's ``benchmark:`` file) where it took one; the requests are what Snakemake
computes for the same jobs at their first attempt, read from its job listing (a dry run over the
finished run, so the inputs the requests are sized from exist). The cohort-size check of the
data-path rules is tests/test_benchmark.py.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import run_snakemake

from modmap.logs import read_peak_memory

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
    problems = []
    for job in jobs:
        mem = int(re.search(r"\bmem_mb=(\d+)", job["resources"]).group(1))
        peak = read_peak_memory(toy_run / job["log"])
        assert peak is not None, f"{job['log']} does not end with the job's peak memory"
        bench = pd.read_csv(toy_run / job["benchmark"], sep="\t")
        sampled = float(pd.to_numeric(bench["max_rss"], errors="coerce").max())
        # A sample of the job's processes cannot exceed the sum of their high-water marks (the
        # shell Snakemake starts the script from may add a few MB); Snakemake records NA when
        # it took no sample and 0 when it sampled a process that had exited.
        if sampled > 0 and sampled > peak + 8:
            problems.append(f"{job['rule']}: sampled {sampled} MB above its logged peak {peak}")
        if mem < peak or mem > max(50 * peak, REQUEST_FLOOR_MB):
            problems.append(f"{job['rule']} ({job['log']}): asks {mem} MB, peaks {peak} MB")
    assert problems == []
