"""Stale Snakemake locks: removed only when no Snakemake process runs in the directory.

Real processes and the real /proc: a process whose command line mentions snakemake, started in
the locked directory, must keep the lock.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from modmap.locks import lock_dir, snakemake_processes, unlock_if_stale

pytestmark = pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs /proc")


def _lock(workdir: Path) -> None:
    locks = lock_dir(workdir)
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("results/x\n")


def test_no_lock_nothing_to_do(tmp_path):
    assert unlock_if_stale(tmp_path) == "not locked"


def test_stale_lock_is_removed(tmp_path):
    _lock(tmp_path)
    assert "removed the stale lock" in unlock_if_stale(tmp_path)
    assert not lock_dir(tmp_path).exists()


@pytest.mark.parametrize("where", ["cwd", "directory"])
def test_lock_of_a_running_snakemake_is_kept(tmp_path, where):
    _lock(tmp_path)
    # a live process that looks like snakemake: in the directory, or pointing at it with -d
    cwd = tmp_path if where == "cwd" else tmp_path.parent
    extra = [] if where == "cwd" else ["--directory", tmp_path.name]
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "snakemake", *extra], cwd=cwd
    )
    try:
        time.sleep(0.2)
        assert proc.pid in snakemake_processes(tmp_path)
        message = unlock_if_stale(tmp_path)
        assert f"locked by running Snakemake process(es) {proc.pid}" in message
        assert lock_dir(tmp_path).exists()
    finally:
        proc.kill()
        proc.wait()
    assert "removed" in unlock_if_stale(tmp_path)


def test_without_proc_nothing_is_removed(tmp_path):
    _lock(tmp_path)
    message = unlock_if_stale(tmp_path, proc=str(tmp_path / "no-proc"))
    assert "run make unlock" in message and lock_dir(tmp_path).exists()
