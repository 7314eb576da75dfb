"""Logging for workflow scripts: one call sends modmap's messages to the rule's log file."""

from __future__ import annotations

import logging
import os


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
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").addHandler(handler)
    return logger
