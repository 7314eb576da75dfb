"""Plausibility checks on an expression matrix (pure functions; the validate stage calls them)."""

from __future__ import annotations

import numpy as np

__all__ = ["looks_unlogged"]


def looks_unlogged(
    matrix: np.ndarray, *, max_log2: float = 30.0, high: float = 100.0, high_fraction: float = 0.01
) -> str | None:
    """Evidence that a matrix declared log2 holds linear intensities, or ``None``.

    Log2 expression values of arrays and RNA-seq sit well below 30 (2^30 ~ 1e9 counts) and
    practically never above 100. A matrix is flagged when its largest finite value exceeds
    ``max_log2`` or when more than ``high_fraction`` of its finite values exceed ``high``.

    Parameters
    ----------
    matrix
        Features x samples values (NaN = missing, ignored); any array-like of numbers.
    max_log2
        Largest plausible log2 value (default 30).
    high
        A value above which a log2 value is implausible (default 100).
    high_fraction
        Tolerated fraction of values above ``high`` (default 0.01, i.e. 1%).

    Returns
    -------
    str or None
        A sentence with the evidence (maximum, fraction above ``high``, median) for the warning,
        or ``None`` when the values look like log2.
    """
    values = np.asarray(matrix, dtype=np.float64)
    # By blocks along the memory order (columns of a column-major matrix, as the reader makes
    # it), with masks instead of copies: no full-size copy of the matrix is made (the median,
    # for the message only, is computed when the matrix is flagged).
    n_finite, n_high, vmax = 0, 0, -np.inf
    flat = values.reshape(len(values), -1) if values.ndim > 1 else values.reshape(-1, 1)
    if flat.flags.f_contiguous and not flat.flags.c_contiguous:
        flat = flat.T  # a C-contiguous view: rows of the view are the columns
    step = max(1, (1 << 22) // max(flat.shape[1], 1))
    for start in range(0, len(flat), step):
        block = flat[start : start + step]
        finite = np.isfinite(block)
        n_finite += int(np.count_nonzero(finite))
        n_high += int(np.count_nonzero((block > high) & finite))
        vmax = max(vmax, float(np.max(block, where=finite, initial=-np.inf)))
    if n_finite == 0:
        return None
    frac = n_high / n_finite
    if vmax <= max_log2 and frac <= high_fraction:
        return None
    finite = values[np.isfinite(values)]
    return (
        f"maximum {vmax:.4g} (log2 values rarely exceed {max_log2:g}), "
        f"{100 * frac:.1f}% of {finite.size} values are above {high:g}, median "
        f"{float(np.median(finite)):.4g}"
    )
