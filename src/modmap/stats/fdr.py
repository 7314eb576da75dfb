"""Benjamini-Hochberg q-values (R's ``p.adjust(p, method = "BH")``).

The step-up is a few lines of NumPy, written with the same floating-point operations as
``statsmodels.stats.multitest.multipletests(method="fdr_bh")`` (which it replaced: importing
statsmodels pulls in ``scipy.stats``, 1.5-3 s of start-up in every job that adjusts, issue 16), so
the q-values are the same bits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modmap.errors import InputError

__all__ = ["bh_qvalues", "module_multiplicity"]


def bh_qvalues(p_values: np.ndarray, *, weights: np.ndarray | None = None) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values over the tested genes.

    Parameters
    ----------
    p_values
        Two-sided p-values; NaN marks a gene that was not tested. As ``p.adjust`` with ``NA``s,
        the number of tests is the number of non-NaN p-values and NaN stays NaN.
    weights
        Optional whole number per p-value: how many times it enters the family (BloodGen3Module
        adjusts over module-gene pairs, so a gene in three modules counts three times). A
        weight of 0 leaves the p-value out (its q-value is NaN). Copies of one p-value are tied
        and get one q-value, as ``p.adjust`` gives tied p-values.

    Returns
    -------
    numpy.ndarray
        q-values in ``[0, 1]``, same shape, NaN where the input is NaN.
    """
    p = np.asarray(p_values, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if weights is None:
        if ok.any():
            q[ok] = _step_up(p[ok])
        return q
    w = np.asarray(weights)
    if w.shape != p.shape or (w < 0).any() or not np.array_equal(w, np.round(w)):
        raise ValueError("BH weights must be whole numbers >= 0, one per p-value")
    ok &= w > 0
    if ok.any():
        index = np.repeat(np.flatnonzero(ok), w[ok].astype(np.int64))
        q[index] = _step_up(p[index])
    return q


def _step_up(p: np.ndarray) -> np.ndarray:
    """BH q-values of ``p`` (no NaN): ``min_{k >= i} min(1, p_(k) / (k / m))`` in input order.

    The operations are those of statsmodels' ``fdrcorrection`` (divide by ``k / m``, a running
    minimum from the largest p-value, clip at 1), so the result is bit-identical to it. Tied
    p-values get one q-value whatever their order in the sort.
    """
    order = np.argsort(p)
    m = p.size
    raw = p[order] / (np.arange(1, m + 1) / float(m))
    q_sorted = np.minimum.accumulate(raw[::-1])[::-1]
    q_sorted[q_sorted > 1] = 1
    q = np.empty_like(q_sorted)
    q[order] = q_sorted
    return q


def module_multiplicity(membership: pd.DataFrame) -> dict[str, int]:
    """How many modules each feature belongs to: its weight in a BH family of module members.

    Parameters
    ----------
    membership
        ``results/modules/membership.tsv`` (``module_id``, ``feature_id``); a feature listed
        twice in one module counts once.

    Returns
    -------
    dict
        Feature ID -> number of distinct modules holding it.

    Raises
    ------
    InputError
        ``module_id`` or ``feature_id`` column missing.
    """
    missing = {"module_id", "feature_id"} - set(membership.columns)
    if missing:
        raise InputError(
            f"results/modules/membership.tsv: missing column(s) {sorted(missing)}; expected "
            "module_id, title, feature_id (re-run the bridge step)"
        )
    pairs = membership[["module_id", "feature_id"]].astype(str).drop_duplicates()
    return {str(k): int(v) for k, v in pairs["feature_id"].value_counts().items()}
