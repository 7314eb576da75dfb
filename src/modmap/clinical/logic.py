"""Three-valued (Kleene) logic for criteria that may not be computable.

A criterion is ``True`` (met), ``False`` (not met) or ``<NA>`` (cannot be computed from the
data). Arrays use pandas' nullable ``boolean`` dtype, whose ``&`` and ``|`` follow Kleene's
rules: ``False & NA`` is ``False`` and ``True | NA`` is ``True`` (decided regardless of the
missing value), ``True & NA`` and ``False | NA`` stay ``NA``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["as_text", "at_least", "at_most", "known", "tri"]


def tri(values: np.ndarray, missing: np.ndarray) -> pd.arrays.BooleanArray:
    """Boolean array with ``NA`` where ``missing`` is True."""
    return pd.arrays.BooleanArray(
        np.asarray(values, dtype=bool) & ~np.asarray(missing, dtype=bool),
        np.asarray(missing, dtype=bool),
    )


def known(value: pd.arrays.BooleanArray) -> np.ndarray:
    """``True`` where the value is decided (not ``NA``)."""
    return ~np.asarray(value.isna())


def at_least(flags: list[pd.arrays.BooleanArray], k: int) -> pd.arrays.BooleanArray:
    """Whether at least ``k`` of ``flags`` are True, row by row, decided whenever possible.

    True when the criteria known to be met already reach ``k``; False when even counting every
    ``NA`` as met cannot reach ``k``; ``NA`` otherwise.
    """
    met, unknown = _counts(flags)
    return tri(met >= k, (met < k) & (met + unknown >= k))


def at_most(flags: list[pd.arrays.BooleanArray], k: int) -> pd.arrays.BooleanArray:
    """Whether at most ``k`` of ``flags`` are True, row by row, decided whenever possible."""
    met, unknown = _counts(flags)
    return tri(met + unknown <= k, (met <= k) & (met + unknown > k))


def _counts(flags: list[pd.arrays.BooleanArray]) -> tuple[np.ndarray, np.ndarray]:
    met = np.zeros(len(flags[0]), dtype=int)
    unknown = np.zeros(len(flags[0]), dtype=int)
    for f in flags:
        met += np.asarray(f.fillna(False), dtype=bool)
        unknown += np.asarray(f.isna(), dtype=bool)
    return met, unknown


def as_text(value: pd.arrays.BooleanArray) -> list[str]:
    """``yes`` / ``no`` / ``""`` (not computable), as written in the result tables."""
    return ["" if pd.isna(v) else ("yes" if v else "no") for v in value]
