"""Reading a config file with a clear error for an empty or unparsable one.

Snakemake parses ``--configfile`` itself before the workflow starts and reports a YAML error as
"Config file is not valid JSON or YAML" without the file or the line; ``make run`` therefore
checks the file first with ``modmap check-config`` (:func:`load_config_file`), which names the
line and column.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

from modmap.errors import InputError

__all__ = ["load_config_file"]


def load_config_file(path: str | os.PathLike) -> dict[str, Any]:
    """Read a YAML (or JSON) config file into a dict.

    Parameters
    ----------
    path
        The config file.

    Returns
    -------
    dict
        The top-level mapping, as ``yaml.safe_load`` reads it.

    Raises
    ------
    InputError
        A missing or empty file, text that is not YAML (with the line and column of the problem),
        or a top level that is not a mapping of keys.
    """
    path = str(path)
    if not os.path.isfile(path):
        raise InputError(f"config file {path!r} does not exist. Give the path of your config.")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: the config file is not UTF-8 text ({err.reason} at byte {err.start}). Save "
            "it as UTF-8."
        ) from None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise InputError(
            f"{path}: the config file is empty (or only comments). Start from `modmap init` or "
            "copy config/config.yaml, and set at least expression, samples, modules and "
            "comparisons."
        )
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        context = getattr(err, "context", None)
        start = getattr(err, "context_mark", None)
        if context and start is not None and mark is not None and start.line != mark.line:
            context += f" that starts on line {start.line + 1}"
        raise InputError(
            f"{path}{where}: not valid YAML ({problem}{f', {context}' if context else ''}). "
            "Fix that line: indent with spaces (not tabs), close every bracket and quote, and "
            "put a space after each colon."
        ) from None
    if not isinstance(config, dict):
        raise InputError(
            f"{path}: the top level of a config must be keys (expression:, samples:, "
            f"comparisons: ...), found a {type(config).__name__}. Start from `modmap init` or "
            "config/config.yaml."
        )
    return config
