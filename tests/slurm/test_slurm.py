"""Live-scheduler tests: run workflows through Snakemake's SLURM executor on a real SLURM.

The session fixture starts a throwaway single-node cluster on this machine with
``tests/slurm/setup.sh`` (Debian packages ``slurmctld slurmd slurm-client munge``; root only) and
always stops it with ``tests/slurm/teardown.sh``. Every subprocess has a timeout.

Enable with ``MODMAP_TEST_SLURM=1`` (root on Debian); with ``CI=true`` they are enabled
automatically when running as root on Debian with apt-get. ``MODMAP_TEST_SLURM=0`` disables.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]

# Options for our throwaway cluster (no slurmdbd): squeue for status, first poll 1 s after
# submission (then after 11 s, 21 s, ... until a job ends; the plugin default is 40 s).
CLUSTER_OPTIONS = [
    "--slurm-status-command",
    "squeue",
    "--slurm-no-account",
    "--slurm-init-seconds-before-status-checks",
    "1",
]
SETUP_TIMEOUT_S = 420  # includes apt-get on a fresh machine
TEARDOWN_TIMEOUT_S = 60
SMALL_RUN_TIMEOUT_S = 240
PIPELINE_TIMEOUT_S = 900


def _enabled() -> tuple[bool, str]:
    flag = os.environ.get("MODMAP_TEST_SLURM", "")
    how = (
        "set MODMAP_TEST_SLURM=1 to run them (as root on Debian: they install slurmctld, slurmd, "
        "slurm-client and munge with apt-get and start a throwaway single-node cluster)"
    )
    if flag == "0":
        return False, f"live SLURM tests disabled by MODMAP_TEST_SLURM=0; {how}"
    if flag == "1":
        return True, ""
    on_ci_machine = (
        os.environ.get("CI", "").lower() == "true"
        and hasattr(os, "geteuid")
        and os.geteuid() == 0
        and Path("/etc/debian_version").exists()
        and shutil.which("apt-get") is not None
    )
    if on_ci_machine:
        return True, ""
    return False, f"live SLURM tests are off by default; {how} (or CI=true as root on Debian)"


_ON, _WHY = _enabled()
pytestmark = [pytest.mark.slurm, pytest.mark.skipif(not _ON, reason=_WHY)]


def _run(cmd: list[str], *, cwd: Path, timeout: float, env: dict | None = None):
    """Run ``cmd``; on timeout kill its whole process group and fail the test."""
    started = time.monotonic()
    with subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            out, _ = proc.communicate()
            pytest.fail(f"timed out after {timeout} s: {' '.join(cmd)}\n{out[-5000:]}")
    return proc.returncode, out, time.monotonic() - started


@pytest.fixture(scope="session")
def slurm_cluster():
    """A running single-node SLURM cluster; always torn down afterwards."""
    env = dict(os.environ)
    try:
        rc, out, secs = _run(
            ["bash", str(HERE / "setup.sh")], cwd=REPO, timeout=SETUP_TIMEOUT_S, env=env
        )
        print(f"slurm setup took {secs:.1f} s\n{out}")
        if rc != 0:
            pytest.fail(f"tests/slurm/setup.sh failed (exit {rc}):\n{out}")
        yield
    finally:
        rc, out, secs = _run(
            ["bash", str(HERE / "teardown.sh")], cwd=REPO, timeout=TEARDOWN_TIMEOUT_S, env=env
        )
        print(f"slurm teardown took {secs:.1f} s (exit {rc})\n{out}")


def _submitted_ids(output: str) -> list[str]:
    return re.findall(r"has been submitted with SLURM jobid (\d+)", output)


# --- a small throwaway workflow: success, retry with more memory, failure -----------------

FLAKY_SNAKEFILE = """
rule all:
    input:
        expand("out/{i}.txt", i=range(3)),
        "out/sum.txt",
        "out/flaky.txt",
        "out/boom.txt",


rule make:
    output:
        "out/{i}.txt",
    log:
        "logs/make_{i}.log",
    threads: 1
    resources:
        mem_mb=200,
        runtime=5,
    shell:
        "echo {wildcards.i} > {output}; echo job=$SLURM_JOB_ID > {log}"


rule sum:
    input:
        expand("out/{i}.txt", i=range(3)),
    output:
        "out/sum.txt",
    log:
        "logs/sum.log",
    threads: 2
    resources:
        mem_mb=300,
        runtime=5,
    shell:
        "cat {input} | awk '{{s += $1}} END {{print s}}' > {output}; "
        "scontrol show job $SLURM_JOB_ID "
        "| grep -oE 'MinCPUsNode=[0-9]+|MinMemoryNode=[0-9]+' > {log}"


# fails unless SLURM granted >= 400 MB, i.e. only on the second attempt; records each attempt's
# grant in a file Snakemake does not manage (it empties a rule's log before a retry)
rule flaky:
    output:
        "out/flaky.txt",
    log:
        "logs/flaky.log",
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: 250 * attempt,
        runtime=5,
    shell:
        "mem=$(scontrol show job $SLURM_JOB_ID | grep -oE 'MinMemoryNode=[0-9]+' | cut -d= -f2); "
        "echo $mem >> flaky_attempts.txt; test $mem -ge 400; echo ok > {output} 2> {log}"


rule boom:
    output:
        "out/boom.txt",
    log:
        "logs/boom.log",
    threads: 1
    resources:
        mem_mb=100,
        runtime=2,
    shell:
        "echo MODMAP-BOOM-MARKER this rule always fails > {log}; exit 3"
"""


def test_small_workflow_on_slurm(slurm_cluster, tmp_path):
    """Jobs run as SLURM jobs with the requested resources, retries raise memory, and a failing
    rule fails the run (non-zero exit, bounded time) with its log printed."""
    (tmp_path / "Snakefile").write_text(FLAKY_SNAKEFILE)
    cmd = [
        *SNAKEMAKE,
        "--profile",
        str(REPO / "profiles" / "slurm"),
        *CLUSTER_OPTIONS,
        "--retries",
        "1",
        "--jobs",
        "6",
        "--latency-wait",
        "10",
    ]
    rc, out, secs = _run(cmd, cwd=tmp_path, timeout=SMALL_RUN_TIMEOUT_S)
    print(f"small workflow on SLURM: exit {rc} after {secs:.1f} s")

    # the run fails because of `boom`, and says so with boom's own log
    assert rc != 0, out
    assert "Error in rule boom" in out, out
    assert "MODMAP-BOOM-MARKER this rule always fails" in out, out
    assert re.search(r"SLURM-job '\d+' failed, SLURM status is: 'FAILED'", out), out

    # keep-going (profile): the independent jobs completed, computed right: 0+1+2 = 3
    assert (tmp_path / "out" / "sum.txt").read_text().strip() == "3"
    assert not (tmp_path / "out" / "boom.txt").exists()

    # every job was a SLURM job: 3 make + sum + 2 flaky + 2 boom attempts = 8 submissions
    ids = _submitted_ids(out)
    assert len(ids) == 8, out
    for i in range(3):
        job = (tmp_path / "logs" / f"make_{i}.log").read_text().strip()
        assert job in {f"job={j}" for j in ids}
    # threads -> --cpus-per-task, mem_mb -> --mem
    # (as SLURM recorded them for the job: `scontrol show job`)
    assert (tmp_path / "logs" / "sum.log").read_text().split() == [
        "MinCPUsNode=2",
        "MinMemoryNode=300",
    ]

    # the retry came back with twice the memory and then succeeded
    assert (tmp_path / "flaky_attempts.txt").read_text().split() == ["250", "500"]
    assert (tmp_path / "out" / "flaky.txt").read_text() == "ok\n"


# --- the modmap pipeline: SLURM run equals local run --------------------------------------

_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".snakemake",
    "results",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".test-results",
    "logs",
)


def _tables(results: Path) -> dict[str, Path]:
    """All TSV tables under ``results/`` except benchmarks (they hold run times)."""
    return {
        str(p.relative_to(results)): p
        for p in sorted(results.rglob("*.tsv"))
        if not {"benchmarks", "benchmark"} & set(p.relative_to(results).parts)
    }


def _assert_same_table(a: Path, b: Path) -> None:
    left = pd.read_csv(a, sep="\t", dtype=str, keep_default_na=False)
    right = pd.read_csv(b, sep="\t", dtype=str, keep_default_na=False)
    assert list(left.columns) == list(right.columns), f"{a.name}: columns differ"
    assert left.shape == right.shape, f"{a.name}: shape {left.shape} vs {right.shape}"
    for col in left.columns:
        x, y = left[col], right[col]
        if x.equals(y):
            continue
        # numbers may differ in the last bits only (thread counts differ between runs)
        xn = pd.to_numeric(x.replace("", "nan"), errors="coerce").to_numpy(float)
        yn = pd.to_numeric(y.replace("", "nan"), errors="coerce").to_numpy(float)
        assert np.array_equal(np.isnan(xn), np.isnan(yn)), f"{a.name}: column {col} differs"
        np.testing.assert_allclose(
            xn, yn, rtol=1e-10, atol=0, equal_nan=True, err_msg=f"{a.name}: column {col}"
        )


def test_pipeline_on_slurm_equals_local(slurm_cluster, tmp_path, request):
    """The toy pipeline through the SLURM executor gives the same tables as a local run.

    The local run is the session's toy run (``toy_run`` in tests/conftest.py: the same workflow
    and config, run locally with 2 cores); it is asked for once the SLURM run is under way, so
    that it is built (here, or by the other xdist worker) while the SLURM run waits for its
    status polls, never before it.
    """
    if not (REPO / "Snakefile").exists():
        pytest.fail(f"no Snakefile in {REPO}: the pipeline test needs the workflow")
    cluster = tmp_path / "slurm"
    shutil.copytree(REPO, cluster, ignore=_IGNORE, symlinks=True)
    env = dict(os.environ)

    # On the cluster one gene_tests job per comparison (statistics.gene_tests_jobs; the local
    # run keeps the default, one job for all), one thread each on the 2-CPU test node, so that
    # two comparisons run side by side: the tables must depend on neither. --jobs 50 (the
    # profile's value) queues every ready job at once: SLURM starts a pending job the moment a
    # CPU frees up, while Snakemake only learns that a job ended at its next status poll (the
    # plugin adds 10 s to the interval after each poll that finds nothing finished).
    comparisons = yaml.safe_load((REPO / "config" / "config.yaml").read_text())["comparisons"]
    split = cluster / "gene_tests_jobs.yaml"
    split.write_text(f"statistics:\n  gene_tests_jobs: {len(comparisons)}\n")
    slurm_cmd = [
        *SNAKEMAKE,
        "--profile",
        "profiles/slurm",
        *CLUSTER_OPTIONS,
        "--jobs",
        "50",
        "--set-threads",
        *(f"gene_tests_{i}=1" for i in range(1, len(comparisons) + 1)),
        "--configfile",
        "config/config.yaml",
        split.name,
    ]
    with ThreadPoolExecutor(max_workers=1) as pool:
        slurm_run = pool.submit(_run, slurm_cmd, cwd=cluster, timeout=PIPELINE_TIMEOUT_S, env=env)
        local = request.getfixturevalue("toy_run")  # meanwhile: the SLURM run mostly waits
        rc, out_slurm, secs_slurm = slurm_run.result()
    print(f"toy pipeline: SLURM {secs_slurm:.1f} s")
    assert rc == 0, f"SLURM run failed:\n{out_slurm[-8000:]}"
    # the jobs really went through the scheduler: one SLURM job per comparison of the config
    submitted = re.findall(
        r"submitted with SLURM jobid \d+ \(log: \S*/rule_(gene_tests_\d+)/", out_slurm
    )
    wanted = [f"gene_tests_{i}" for i in range(1, len(comparisons) + 1)]
    assert sorted(set(submitted)) == sorted(wanted), out_slurm
    for name in (c["name"] for c in comparisons):
        assert (cluster / "results" / "genes" / f"{name}.tsv").is_file(), name

    tables_local = _tables(local / "results")
    tables_slurm = _tables(cluster / "results")
    assert tables_local, "the local run wrote no TSV tables under results/"
    assert sorted(tables_slurm) == sorted(tables_local)
    for name, path in tables_local.items():
        _assert_same_table(path, tables_slurm[name])

    figures = sorted(
        str(p.relative_to(local / "results"))
        for p in (local / "results").rglob("*")
        if p.suffix in {".pdf", ".png", ".svg"}
    )
    assert figures, "the local run made no figures"
    for name in figures:
        made = cluster / "results" / name
        assert made.is_file() and made.stat().st_size > 0, f"SLURM run lacks figure {name}"
