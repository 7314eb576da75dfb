"""Shared fixtures: a private copy of the workflow and a real Snakemake run on the toy cohort."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
WORKFLOW_PARTS = ["Snakefile", "workflow", "scripts", "config", "resources", "profiles"]

# The files handed out first, in this order. `make test` runs two pytest-xdist workers with
# `--dist loadfile --no-loadscope-reorder`: each file goes whole to the next free worker, in
# collection order, and this order is the collection order (pytest_collection_modifyitems). The
# longest files go first so that the two workers finish together (a long file handed out last
# leaves the other worker idle); the files not named keep their own order, after these.
# - tests/slurm (CI only): mostly waiting for the scheduler's status polls, on one worker while
#   the other works through the rest;
# - test_workflow_toy.py asks for `toy_run` in its first test, so the shared toy run is built at
#   once, while the other worker starts test_workflow_inputs.py, which does not need it;
# - then by CPU time (docs/testing.md, "Time"), except that test_workflow_gse13015.py comes well
#   after test_readers_roundtrip.py, which builds the shared GSE13015 run (`gse13015_run`) first.
FIRST = (
    "slurm/test_slurm.py",
    "test_workflow_toy.py",
    "test_workflow_inputs.py",
    "test_workflow_robust.py",
    "test_corpus_jobs.py",
    "test_readers_roundtrip.py",
    "test_benchmark.py",
    "test_workflow_longitudinal.py",
    "test_workflow_bloodgen3.py",
    "test_workflow_clinical.py",
    "test_corpus_files.py",
    "test_workflow_gse13015.py",
    "test_workflow_fingerprints_config.py",
    "test_lazy_imports.py",
    "test_collapse.py",
    "test_batches.py",
    "test_plots_module_map.py",
    "test_toy.py",
    "test_plots_large.py",
    "test_toy_trial.py",
    "test_bench_startup.py",
)


def pytest_collection_modifyitems(config, items) -> None:
    """Put the files of ``FIRST`` first, in its order; the rest keep their collection order."""
    rank = {name: i for i, name in enumerate(FIRST)}

    def key(item) -> int:
        try:
            name = item.path.relative_to(TESTS).as_posix()
        except ValueError:  # a test outside tests/
            return len(rank)
        return rank.get(name, len(rank))

    items.sort(key=key)  # stable: each file's tests stay together and in their order


def imported_after(code: str, modules) -> list[str]:
    """Which of ``modules`` a fresh interpreter has imported after running ``code``.

    A workflow job is a fresh interpreter, so what one test imported cannot hide what another
    would import.
    """
    found = f"[m for m in {list(modules)!r} if m in sys.modules]"
    probe = f"import json, sys\n{code}\nprint(json.dumps({found}))"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=300
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


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


def _shared_run(tmp_path_factory, name: str, build) -> Path:
    """A workflow copy in which ``build(workdir)`` ran once per session; returns the workdir.

    Under pytest-xdist (``make test`` runs two workers) the workers share one run: the first to
    ask builds it in the session's common base directory while holding a file lock, the others
    wait for the lock and reuse it. A failed build is retried by the next worker, so each worker
    reports the failure itself.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by all workers of this session
    root = base / f"{name}_shared"
    done = root / "complete"
    with open(base / f"{name}_shared.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            build(copy_workflow(root / "wf"))
            done.touch()
    return root / "wf"


@pytest.fixture(scope="session")
def toy_run(tmp_path_factory) -> Path:
    """The whole pipeline run once on the toy cohort, plus the report; returns the workdir.

    Read-only for the tests; built once per session and shared by the xdist workers
    (``_shared_run``).
    """

    def build(wd: Path) -> None:
        run_snakemake(wd, check=True)
        run_snakemake(wd, "--report", "results/report.html", check=True)

    return _shared_run(tmp_path_factory, "toy", build)


@pytest.fixture(scope="session")
def gse13015_run(tmp_path_factory) -> Path:
    """The whole pipeline run once on the shipped GSE13015 subset (config/gse13015.yaml); returns
    the workdir. Read-only for the tests; shared by the xdist workers (``_shared_run``)."""

    def build(wd: Path) -> None:
        run_snakemake(wd, "--configfile", "config/gse13015.yaml", check=True)

    return _shared_run(tmp_path_factory, "gse13015", build)
