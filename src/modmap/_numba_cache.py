"""A writable cache directory for numba's compiled kernels, checked before numba is imported.

The rank kernels (:mod:`modmap.stats.ranks`, :mod:`modmap.stats.exact_ties`) are compiled with
``numba.njit(cache=True)``. numba only uses a cache directory it can write to, also for loading:
it takes ``NUMBA_CACHE_DIR`` when set, else the package's ``__pycache__``, else the user-wide
cache (``$XDG_CACHE_HOME/numba`` or ``~/.cache/numba``), each only when a file can be created
there. When none is writable, decorating the kernel raises ``RuntimeError: cannot cache function
...: no locator available`` and the job fails at import (measured with numba 0.68: a read-only
``NUMBA_CACHE_DIR``, warm or empty, on a read-only install; docs/performance.md).

:func:`ensure_writable_cache` runs when :mod:`modmap.stats` is imported (this module imports
neither numba nor :mod:`modmap.stats`, so the workflow can decide before either loads). An
unwritable ``NUMBA_CACHE_DIR`` that numba would silently skip is reported as a warning; if numba
would find no writable place at all, ``NUMBA_CACHE_DIR`` is pointed at a per-user directory under
the system temporary directory, with a warning (the kernels then compile there once per node
instead of once per run).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

__all__ = [
    "KERNEL_DIR",
    "default_writable",
    "ensure_writable_cache",
    "workdir_fallback",
    "writable",
]

log = logging.getLogger(__name__)

#: Directory of the numba kernels' source files (modmap.stats.ranks, .exact_ties).
KERNEL_DIR = Path(__file__).resolve().parent / "stats"


def writable(path: str | os.PathLike) -> bool:
    """Whether ``path`` exists or can be created and a file can be created in it (numba's test)."""
    try:
        os.makedirs(path, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError:
        return False
    return True


def _user_wide() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "numba"


def default_writable(*, kernel_dir: str | os.PathLike | None = None) -> bool:
    """Whether numba's own places without ``NUMBA_CACHE_DIR`` (``__pycache__``, user-wide) work.

    Those are shared by every run of the installation, so kernels compile once per install (and
    per CPU model) rather than once per working directory.
    """
    in_tree = Path(kernel_dir or KERNEL_DIR) / "__pycache__"
    return writable(in_tree) or writable(_user_wide())


def workdir_fallback(path: str | os.PathLike) -> str | None:
    """Cache the kernels in ``path`` when ``NUMBA_CACHE_DIR`` is unset and numba has no place.

    Called by the workflow (``common.smk``) before any job starts: with a read-only install and
    home, every job of the run shares ``path`` (the working directory's ``.snakemake``).

    Parameters
    ----------
    path
        The directory to use, relative to the working directory or absolute.

    Returns
    -------
    str or None
        The absolute directory now in ``NUMBA_CACHE_DIR``, or ``None`` when nothing changed
        (``NUMBA_CACHE_DIR`` set by the user, or numba's own places writable).
    """
    if "NUMBA_CACHE_DIR" in os.environ or default_writable():
        return None
    os.environ["NUMBA_CACHE_DIR"] = os.path.abspath(path)
    return os.environ["NUMBA_CACHE_DIR"]


def ensure_writable_cache(*, kernel_dir: str | os.PathLike | None = None) -> str | None:
    """Make sure numba will find a writable cache directory; return the fallback set, if any.

    Parameters
    ----------
    kernel_dir
        Directory of the kernels' source files (default: this package), whose ``__pycache__``
        numba tries after ``NUMBA_CACHE_DIR``.

    Returns
    -------
    str or None
        ``None`` when numba has a writable place of its own (nothing changed; a warning when an
        unwritable ``NUMBA_CACHE_DIR`` is skipped), else the directory now in
        ``NUMBA_CACHE_DIR``.
    """
    chosen = os.environ.get("NUMBA_CACHE_DIR")
    if chosen and writable(chosen):
        return None
    in_tree = Path(kernel_dir or KERNEL_DIR) / "__pycache__"
    for place in (in_tree, _user_wide()):
        if writable(place):
            if chosen:
                log.warning(
                    "numba kernel cache: NUMBA_CACHE_DIR=%s is not writable (numba needs write "
                    "access even to load a cache), so numba caches in %s instead.",
                    chosen,
                    place,
                )
            return None
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    fallback = os.path.join(tempfile.gettempdir(), f"modmap-numba-cache-{uid}")
    if not writable(fallback):
        return None  # nothing better to offer; numba's own error names the function
    os.environ["NUMBA_CACHE_DIR"] = fallback
    if "numba" in sys.modules:  # numba read its config at import: update it too
        from numba.core import config

        config.CACHE_DIR = fallback
    log.warning(
        "numba kernel cache: no writable cache directory (NUMBA_CACHE_DIR=%s, %s, %s; numba "
        "needs write access even to load a cache), using %s. Point NUMBA_CACHE_DIR at a "
        "directory the jobs can write, shared by the nodes, to compile once per run.",
        chosen or "unset",
        in_tree,
        _user_wide(),
        fallback,
    )
    return fallback
