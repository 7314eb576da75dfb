"""Shared fixtures: a private copy of the workflow and a real Snakemake run on the toy cohort."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW_PARTS = ["Snakefile", "workflow", "scripts", "config", "resources", "profiles"]


def copy_workflow(dest: Path) -> Path:
    """Copy what a run needs (not results/) into ``dest`` and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in WORKFLOW_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, symlinks=True)
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


def run_snakemake(
    workdir: Path, *args: str, timeout: int = 900, check: bool = False
) -> subprocess.CompletedProcess:
    """Run ``snakemake`` in ``workdir`` with the interpreter running the tests.

    The workflow has no default config: ``--configfile config/config.yaml`` (the workdir's toy
    config) is added unless ``args`` name a config file.
    """
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if not any(a.startswith("--configfile") for a in args):
        # last: the option takes several values and would swallow a target that followed it
        args = (*args, "--configfile", "config/config.yaml")
    proc = subprocess.run(
        # --scheduler greedy: as profiles/default (make run) sets it
        [
            sys.executable,
            "-m",
            "snakemake",
            "--cores",
            "2",
            "--nolock",
            "--scheduler",
            "greedy",
            *args,
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"snakemake {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n"
            f"{proc.stderr[-8000:]}"
        )
    return proc


def load_config(workdir: Path) -> dict:
    return yaml.safe_load((workdir / "config" / "config.yaml").read_text())


def write_config(workdir: Path, config: dict) -> None:
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A fresh private copy of the workflow (config, resources, scripts) to break on purpose."""
    return copy_workflow(tmp_path / "wf")


@pytest.fixture(scope="session")
def toy_run(tmp_path_factory) -> Path:
    """The whole pipeline run once on the toy cohort, plus the report; returns the workdir.

    Read-only for the tests. Under pytest-xdist (``make test`` runs two workers) the workers share
    one run: the first to ask builds it in the session's common base directory while holding a file
    lock, the others wait for the lock and reuse it. A failed build is retried by the next worker,
    so each worker reports the failure itself.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by all workers of this session
    root = base / "toy_shared"
    done = root / "complete"
    with open(base / "toy_shared.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            wd = copy_workflow(root / "wf")
            run_snakemake(wd, check=True)
            run_snakemake(wd, "--report", "results/report.html", check=True)
            done.touch()
    return root / "wf"
