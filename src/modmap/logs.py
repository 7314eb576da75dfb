"""Logging for workflow scripts: one call sends modmap's messages to the rule's log file."""

from __future__ import annotations

import logging
import os


def log_to_file(path: str | os.PathLike, *, name: str = "modmap") -> logging.Logger:
    """Return the ``modmap`` logger writing INFO and above to ``path`` (created or replaced).

    Warnings from :mod:`warnings` are captured into the same file.
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
