"""Errors raised for bad input.

:class:`InputError` is a :class:`ValueError` whose message says what was found, where (file, row,
column) and what to do about it. Snakemake shows the message as the job's error.
"""

from __future__ import annotations

import numpy as np


class InputError(ValueError):
    """Bad user input: the message names the file, the row/column and the fix."""


def first_true(mask) -> int:
    """0-based position of the first ``True`` of a boolean mask (a Series or an array).

    Used to name the first bad row of a table in an :class:`InputError` (line ``i + 2`` of a
    file with a header row). The mask must hold at least one ``True``.
    """
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    if hits.size == 0:
        raise ValueError("first_true needs a mask with at least one True value")
    return int(hits[0])
