"""Benjamini-Hochberg q-values (R's ``p.adjust(p, method = "BH")``) via statsmodels."""

from __future__ import annotations

import numpy as np

__all__ = ["bh_qvalues"]


def bh_qvalues(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values over the tested genes.

    Parameters
    ----------
    p_values
        Two-sided p-values; NaN marks a gene that was not tested. As ``p.adjust`` with ``NA``s,
        the number of tests is the number of non-NaN p-values and NaN stays NaN.

    Returns
    -------
    numpy.ndarray
        q-values in ``[0, 1]``, same shape, NaN where the input is NaN.
    """
    p = np.asarray(p_values, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        # imported here: statsmodels costs ~1.6 s of start-up and only fdr: true needs it
        from statsmodels.stats.multitest import multipletests

        q[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return q
