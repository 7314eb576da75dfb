"""Errors raised for bad input.

:class:`InputError` is a :class:`ValueError` whose message says what was found, where (file, row,
column) and what to do about it. Snakemake shows the message as the job's error.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input: the message names the file, the row/column and the fix."""
