"""Logging for workflow scripts: the rule's log file, one-line failures and the job's peak memory.

:func:`log_to_file` sends modmap's messages to the rule's log file; :func:`run_job` runs a script's
``main``, turns a failure into one line (in the log, followed by the traceback, and on the
terminal) and ends a successful job's log with its peak memory (:func:`peak_memory_mb`).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Lines of a job's log: ``<time> <LEVEL> <message>``.
_FORMAT = "%(asctime)s %(levelname)s %(message)s"


def log_to_file(path: str | os.PathLike, *, name: str = "modmap") -> logging.Logger:
    """Return the ``modmap`` logger writing INFO and above to ``path`` (created or replaced).

    Warnings from :mod:`warnings` are captured into the same file: :func:`logging.captureWarnings`
    is switched on for the whole process and the file handler is added to the ``py.warnings``
    logger (handlers already on that logger are kept).

    Parameters
    ----------
    path
        Log file (a rule's ``log``), opened in write mode with UTF-8 encoding: an existing file
        is overwritten. Lines read ``<time> <LEVEL> <message>``.
    name
        Name of the logger to configure (default ``"modmap"``, the parent of every modmap
        module's logger). Its level is set to INFO and its existing handlers are removed.

    Returns
    -------
    logging.Logger
        The configured logger.

    Raises
    ------
    OSError
        ``path`` cannot be opened for writing (e.g. its directory does not exist).
    """
    logger = logging.getLogger(name)
    logger.setLevel(logging.INFO)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").addHandler(handler)
    return logger


#: Errors that mean "the input is wrong", not "modmap is broken": the job prints their one-line
#: message and exits 1 without a traceback on the terminal (the traceback goes to the log).
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (ValueError,)


def one_line(error: BaseException) -> str:
    """The message of ``error`` on one line (whitespace runs, newlines included, become a space).

    Falls back to the exception's type name when it has no message.
    """
    text = " ".join(str(error).split())
    return text or type(error).__name__


def failure_line(error: BaseException, *, rule: str) -> str:
    """The one line a failed job reports: the rule, what is wrong and how to fix it.

    Expected input errors (:data:`EXPECTED_ERRORS`: :class:`~modmap.errors.InputError` and other
    :class:`ValueError`) carry their own fix in their message. Anything else is reported as
    unexpected, with its type and a pointer to the traceback.
    """
    if isinstance(error, EXPECTED_ERRORS):
        return f"modmap rule {rule}: {one_line(error)}"
    return (
        f"modmap rule {rule}: unexpected {type(error).__name__}: {one_line(error)}. This is "
        "probably a bug or a problem of the environment (disk full, memory): see the traceback, "
        "and please report it if rerunning does not help."
    )


#: Start of the message of the last line of a successful job's log, followed by the peak in MB
#: (written by :func:`run_job`, read by :func:`read_peak_memory`).
PEAK_MEMORY = "peak memory:"
_PEAK_LINE = re.compile(rf" INFO {PEAK_MEMORY} (\d+\.\d) MB \(")


def _own_peak_mb() -> float | None:
    # VmHWM: the high-water mark of this process's address space since its exec (Linux).
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_memory_mb() -> tuple[float, float] | None:
    """Peak resident memory of this process and of its largest finished child, in MB (2**20 B).

    High-water marks the kernel keeps, so a peak between two samples is not missed, as it can be
    by Snakemake's ``benchmark:`` files, which sample a job's memory at intervals (the first
    after one second):

    - this process: ``VmHWM`` of ``/proc/self/status`` (Linux), else ``ru_maxrss`` of
      :func:`resource.getrusage`. (On Linux ``ru_maxrss`` also keeps the high-water mark of
      the process that started this one before its ``exec``, the whole Snakemake process; VmHWM
      starts at the ``exec``.)
    - the child: ``ru_maxrss`` of the largest child process the job waited for (a figure job
      forks one, :mod:`modmap.forks`). It ran beside the parent, so the sum bounds what the
      job held at once from above (the pages the child shares with the parent after the fork
      count in both).

    Returns
    -------
    tuple of float or None
        ``(process_mb, child_mb)``; ``child_mb`` is 0 without children. ``None`` where neither
        ``/proc`` nor the :mod:`resource` module exists (Windows).
    """
    try:
        import resource
    except ImportError:
        return None
    # ru_maxrss: kilobytes on Linux, bytes on macOS.
    unit = 1 if sys.platform == "darwin" else 1024
    own = _own_peak_mb()
    if own is None:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit / 2**20
    return own, child


def _append(log: str, text: str) -> None:
    # After what the modmap logger holds for the file: flush its handlers first.
    for handler in logging.getLogger("modmap").handlers:
        handler.flush()
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(text)


def _log_peak_memory(log: str) -> None:
    peak = peak_memory_mb()
    if peak is None:
        return
    own, child = peak
    record = logging.makeLogRecord(
        {
            "levelname": "INFO",
            "msg": f"{PEAK_MEMORY} {own + child:.1f} MB (resident set high-water mark: "
            f"{own:.1f} MB this process, {child:.1f} MB its largest child process)",
        }
    )
    _append(log, logging.Formatter(_FORMAT).format(record) + "\n")


def read_peak_memory(log: str | os.PathLike) -> float | None:
    """The peak memory in MB that a job's log ends with (see :func:`run_job`).

    ``None`` when the file does not exist or its last line is not the peak (the job failed, or
    ran before modmap logged peaks, or where the peak cannot be read: Windows).
    """
    path = Path(log)
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    match = _PEAK_LINE.search(lines[-1]) if lines else None
    return float(match.group(1)) if match else None


def run_job(main: Callable[[Any], None], smk: Any) -> None:
    """Run a workflow script's ``main(smk)`` and report a failure in one line.

    The adapter in ``scripts/`` ends with ``run_job(main, snakemake)``. When ``main`` raises, the
    job's log (``smk.log[0]``, when the rule has one) gets the failure appended: first one line
    saying what is wrong and how to fix it (``ERROR modmap rule <rule>: ...``), then the
    traceback. The terminal (the job's stderr) gets the same line, ending with
    ``(details: <log>)``; for expected input errors
    (:data:`EXPECTED_ERRORS`) that line is all, and the job exits with status 1, so Snakemake
    reports the failed rule and its log without a Python traceback. Unexpected errors are
    re-raised after the line, so their traceback also reaches stderr. The manifests of the
    job's outputs (:func:`modmap.io.manifest_path`) are removed, as Snakemake removes the outputs
    of a failed job.

    A successful job's log ends with its peak memory (:func:`peak_memory_mb`), one line:
    ``<time> INFO peak memory: <MB> MB (...)``: what a cluster user sets ``mem_mb`` from.

    Parameters
    ----------
    main
        The script's entry point, called with ``smk``.
    smk
        The ``snakemake`` object of the job (``rule``, ``log`` are read).

    Raises
    ------
    SystemExit
        Status 1 after an expected input error.
    BaseException
        Any unexpected error of ``main``, re-raised unchanged.
    """
    try:
        main(smk)
    except Exception as error:
        log = smk.log[0] if len(smk.log) else None
        line = failure_line(error, rule=getattr(smk, "rule", "?"))
        if log is not None:
            _append(log, f"ERROR {line}\n" + "".join(traceback.format_exception(error)))
        # Snakemake removes the outputs of a failed job; their manifests must go too.
        from modmap.io import manifest_path

        for output in getattr(smk, "output", ()):
            manifest_path(output).unlink(missing_ok=True)
        print(f"{line} (details: {log})" if log else line, file=sys.stderr, flush=True)
        if isinstance(error, EXPECTED_ERRORS):
            raise SystemExit(1) from None
        raise
    if len(smk.log):
        _log_peak_memory(smk.log[0])


@contextmanager
def naming(item: str) -> Iterator[None]:
    """Name ``item`` in an error raised inside (a job drawing several figures says which failed).

    An expected input error (:data:`EXPECTED_ERRORS`) keeps its type and gets ``"<item>: "`` in
    front of its message, so the job's one-line failure (:func:`failure_line`) names the item;
    any other error gets the item as a note (shown with its traceback). Re-raised either way.

    ``with naming("heatmap of module M3.1"): draw(...)``
    """
    try:
        yield
    except EXPECTED_ERRORS as error:
        if error.args and isinstance(error.args[0], str):
            error.args = (f"{item}: {error.args[0]}", *error.args[1:])
        else:
            error.args = (item, *error.args)
        raise
    except Exception as error:
        error.add_note(f"while making the {item}")
        raise
