"""Resume after a crash: remove Snakemake's lock when no Snakemake process holds it.

A Snakemake run locks its working directory (``.snakemake/locks/``) and removes the lock when it
ends. A run that is killed (``kill -9``, a lost SSH session, a node crash) leaves the lock behind,
and the next run stops with ``LockException: Directory cannot be locked``. ``make run`` calls
``python -m modmap.locks --if-stale`` first: when the directory is locked but no process on this
machine runs Snakemake in it, the lock is stale and is removed (as ``snakemake --unlock`` does with
the default file-based metadata), and the run resumes (interrupted jobs are rerun because the
profile sets ``rerun-incomplete``). ``make unlock`` always unlocks.

What counts as "a Snakemake process in this directory" (Linux ``/proc``): any process other than
this one whose command line mentions ``snakemake`` (the main process, its job scripts under
``.snakemake/scripts``) and whose working directory is the directory, or whose command line names
it with ``--directory``/``-d``. Processes on other machines are invisible: on a shared file system
where runs are started from several machines, set ``AUTO_UNLOCK=0`` and use ``make unlock``
yourself. Without ``/proc`` (macOS), nothing is removed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["lock_dir", "snakemake_processes", "unlock_if_stale"]


def lock_dir(workdir: str | os.PathLike = ".") -> Path:
    """Snakemake's lock directory of ``workdir`` (``.snakemake/locks``)."""
    return Path(workdir) / ".snakemake" / "locks"


def _directory_arg(argv: list[str], cwd: Path) -> Path | None:
    for i, arg in enumerate(argv):
        value = None
        if arg in ("--directory", "-d") and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--directory="):
            value = arg.split("=", 1)[1]
        if value is not None:
            return (cwd / value).resolve()
    return None


def snakemake_processes(
    workdir: str | os.PathLike = ".", *, proc: str = "/proc"
) -> list[int] | None:
    """PIDs of the processes of this machine running Snakemake in ``workdir``.

    Returns
    -------
    list of int or None
        The PIDs (this process excluded), or ``None`` when processes cannot be inspected (no
        ``/proc``), in which case a lock must be assumed to be held.
    """
    root = Path(proc)
    if not root.is_dir():
        return None
    target = Path(workdir).resolve()
    found = []
    for entry in root.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            if not any("snakemake" in arg for arg in argv):
                continue
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:  # the process ended, or belongs to another user
            continue
        if cwd.resolve() == target or _directory_arg(argv, cwd) == target:
            found.append(int(entry.name))
    return found


def unlock_if_stale(workdir: str | os.PathLike = ".", *, proc: str = "/proc") -> str:
    """Remove the lock of ``workdir`` when it is stale; return what was done, in words."""
    locks = lock_dir(workdir)
    if not locks.is_dir() or not any(locks.iterdir()):
        return "not locked"
    holders = snakemake_processes(workdir, proc=proc)
    if holders is None:
        return (
            f"{locks} exists and running processes cannot be inspected here: if no Snakemake "
            "run is active in this directory, run make unlock"
        )
    if holders:
        return (
            f"locked by running Snakemake process(es) {', '.join(map(str, holders))}: left as is "
            "(wait for that run to end, or stop it)"
        )
    shutil.rmtree(locks)
    return (
        f"removed the stale lock {locks} of an interrupted run (no Snakemake process runs in "
        "this directory); interrupted jobs are rerun"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m modmap.locks --if-stale [--directory DIR]``: print what was done."""
    parser = argparse.ArgumentParser(
        prog="python -m modmap.locks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--if-stale",
        action="store_true",
        required=True,
        help="remove the lock only when no Snakemake process of this machine holds it",
    )
    parser.add_argument("--directory", default=".", help="the working directory (default .)")
    args = parser.parse_args(argv)
    message = unlock_if_stale(args.directory)
    if message != "not locked":
        print(f"modmap: {message}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
