"""Relative change of a criterion from a reference visit, and the improvement / worsening flags.

Conventions (docs/clinical.md, "Zero baselines" and "Thresholds"):

* improvement = (reference - value) / reference, as a fraction (0.3 = 30 % better); lower values
  are better for every criterion used here (VAS, joint counts, CHAQ, ESR, CRP);
* a reference of 0 has no relative change: a value of 0 is *unchanged* (neither improved nor
  worsened), a value above 0 is an unbounded *worsening* (improvement -inf), so it counts as
  worsened by any percentage and never as improved;
* a threshold is met when the change reaches it (>=), with a tolerance of 1e-9 for the
  representation of decimal values in binary floating point (e.g. CHAQ 1.375 -> 0.9625);
* a missing reference or value gives NaN / NA: the criterion cannot be computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modmap.clinical.logic import tri

__all__ = ["TOLERANCE", "improved", "improvement", "worsened"]

#: Slack on threshold comparisons, for decimal values stored in binary floating point.
TOLERANCE = 1e-9


def improvement(reference: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Relative improvement ``(reference - value) / reference`` (fraction; NaN when missing).

    Parameters
    ----------
    reference, value
        Criterion values at the reference (baseline) visit and at the visit assessed, same unit,
        lower = better. Missing = NaN.

    Returns
    -------
    numpy.ndarray
        float64: 0.3 = 30 % better, -1.0 = doubled, 0.0 from 0 to 0, -inf from 0 to above 0,
        NaN when either value is missing.
    """
    ref = np.asarray(reference, dtype=np.float64)
    val = np.asarray(value, dtype=np.float64)
    out = np.full(ref.shape, np.nan)
    nonzero = ref != 0
    with np.errstate(invalid="ignore", divide="ignore"):
        out[nonzero] = (ref[nonzero] - val[nonzero]) / ref[nonzero]
    zero = (ref == 0) & ~np.isnan(val)
    out[zero & (val == 0)] = 0.0
    out[zero & (val > 0)] = -np.inf
    return out


def improved(reference: np.ndarray, value: np.ndarray, pct: float) -> pd.arrays.BooleanArray:
    """Improved by at least ``pct`` percent (NA when not computable)."""
    change = improvement(reference, value)
    return tri(change >= pct / 100.0 - TOLERANCE, np.isnan(change))


def worsened(reference: np.ndarray, value: np.ndarray, pct: float) -> pd.arrays.BooleanArray:
    """Worsened by at least ``pct`` percent (NA when not computable)."""
    change = improvement(reference, value)
    return tri(-change >= pct / 100.0 - TOLERANCE, np.isnan(change))
