"""numba's kernel cache when no cache directory can be written (modmap._numba_cache).

numba only caches in a directory it can write to, also to load: ``NUMBA_CACHE_DIR``, else the
kernel's ``__pycache__``, else ``$XDG_CACHE_HOME/numba``; with none writable, decorating a
``cache=True`` kernel raises at import. Paths under a regular file cannot be created by anyone
(also not by root, unlike a read-only mode), so they stand for a read-only shared filesystem here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KERNEL = "import numba\n\n@numba.njit(cache=True)\ndef twice(x):\n    return 2 * x\n"


def _read_only_tree(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A kernel module whose __pycache__, NUMBA_CACHE_DIR and user-wide cache are unwritable."""
    blocker = tmp_path / "not_a_directory"
    blocker.write_text("")
    src = tmp_path / "src"
    src.mkdir()
    (src / "kernel.py").write_text(KERNEL)
    (src / "__pycache__").write_text("")  # a file: the directory cannot be made
    env = {
        "NUMBA_CACHE_DIR": str(blocker / "shared-cache"),
        "XDG_CACHE_HOME": str(blocker / "home-cache"),
        "HOME": str(blocker / "home"),
        "TMPDIR": str(tmp_path / "tmp"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    (tmp_path / "tmp").mkdir()
    return src, env


def _python(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONWARNINGS": "ignore", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_numba_alone_fails_without_a_writable_cache_dir(tmp_path: Path) -> None:
    """The failure the guard exists for (so the test below can fail): plain numba."""
    src, env = _read_only_tree(tmp_path)
    proc = _python("import kernel", env, src)
    assert proc.returncode != 0
    assert "cannot cache function" in proc.stderr


def test_the_guard_gives_numba_a_writable_fallback(tmp_path: Path) -> None:
    src, env = _read_only_tree(tmp_path)
    code = (
        "import logging, os\n"
        "logging.basicConfig(level=logging.WARNING)\n"
        "from modmap._numba_cache import ensure_writable_cache\n"
        "fallback = ensure_writable_cache(kernel_dir='.')\n"
        "import kernel\n"
        "print(fallback, kernel.twice(21))\n"
    )
    proc = _python(code, env, src)
    assert proc.returncode == 0, proc.stderr[-3000:]
    fallback, value = proc.stdout.split()
    assert value == "42"
    assert Path(fallback).parent == tmp_path / "tmp"
    assert "no writable cache directory" in proc.stderr and env["NUMBA_CACHE_DIR"] in proc.stderr
    # the kernel was compiled into the fallback cache (index and code)
    assert {p.suffix for p in Path(fallback).rglob("*")} >= {".nbi", ".nbc"}


def test_an_unwritable_cache_dir_numba_would_skip_is_reported(tmp_path: Path) -> None:
    """numba skips an unwritable NUMBA_CACHE_DIR silently (to __pycache__): modmap says so."""
    blocker = tmp_path / "not_a_directory"
    blocker.write_text("")
    bad = str(blocker / "shared-cache")
    proc = _python(
        "import logging, os\nlogging.basicConfig()\nimport modmap.stats\n"
        "print(os.environ['NUMBA_CACHE_DIR'])",
        {"NUMBA_CACHE_DIR": bad},
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == bad  # numba's own fallback (the writable __pycache__) stands
    assert f"NUMBA_CACHE_DIR={bad} is not writable" in proc.stderr


def test_a_writable_cache_dir_is_left_alone(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    proc = _python(
        "import logging, os\nlogging.basicConfig()\nimport modmap.stats\n"
        "print(os.environ['NUMBA_CACHE_DIR'])",
        {"NUMBA_CACHE_DIR": str(cache)},
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(cache) and proc.stderr == ""


def test_workflow_caches_kernels_once_per_installation(toy_run) -> None:
    """common.smk leaves numba's default place (shared by every run) when it is writable."""
    from modmap._numba_cache import KERNEL_DIR, default_writable

    workdir_cache = toy_run / ".snakemake" / "numba-cache"
    if default_writable():
        assert not workdir_cache.exists()
        cached = {p.name.split(".")[0] for p in (KERNEL_DIR / "__pycache__").glob("*.nbi")}
        cached |= {
            p.name.split(".")[0]
            for p in (Path.home() / ".cache" / "numba").rglob("*.nbi")
            if "modmap" in str(p) or p.name.startswith(("ranks", "exact_ties"))
        }
        assert "ranks" in cached  # the toy's gene tests ran the rank kernels
    else:
        assert any(workdir_cache.rglob("*.nbi"))
