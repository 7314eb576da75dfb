"""Two-sided Wilcoxon signed-rank test for every gene, as R's ``wilcox.test(x, y, paired = TRUE)``.

R (<= 4.5, ``exact = NULL, correct = TRUE``; ``src/library/stats/R/wilcox.test.R``): on the
complete pairs, ``d = x - y``; exact zeros are dropped and ``n`` is the number left;
``V = sum(rank(abs(d))[d > 0])`` with mid-ranks for ties. Exact p-value (``psignrank``) when
``n < 50`` and there were no ties and no zeros; otherwise the normal approximation
``z = V - n (n + 1) / 4``, ``sigma = sqrt(n (n + 1) (2 n + 1) / 24 - sum(t^3 - t) / 48)``,
``z <- (z - sign(z) / 2) / sigma``, ``p = 2 min(Phi(z), 1 - Phi(z))``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.special import ndtr

from modmap.stats._common import MIN_GROUP_SIZE, check_min_group_size, direction_of, result_table
from modmap.stats.exact import signrank_two_sided
from modmap.stats.exact_ties import signrank_ties_two_sided
from modmap.stats.ranks import SignedRanks, signed_ranks

__all__ = ["EXACT_LIMIT", "signed_rank", "signed_rank_pvalues"]

#: R uses the exact distribution when there are fewer than this many non-zero differences.
EXACT_LIMIT = 50


def signed_rank_pvalues(
    ranks: SignedRanks,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
    differences: Callable[[int], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided p-values and methods from per-gene signed-rank statistics.

    Parameters
    ----------
    ranks
        Output of :func:`modmap.stats.ranks.signed_ranks`.
    min_group_size
        Genes with fewer complete pairs are ``not_tested`` (default ``MIN_GROUP_SIZE``, 3).
    differences
        R >= 4.6 behaviour (``statistics.exact_with_ties``): a function returning the non-zero
        differences of gene ``i``; genes with ties in ``|d|`` (fewer than 50 pairs, no zero) then
        get R 4.6's exact conditional p-value. Default ``None``: R <= 4.5.

    Returns
    -------
    p_value, method
        float64 p-values (NaN when not tested) and ``exact``/``asymptotic``/``not_tested``.
        A gene whose differences are all zero (``sigma = 0``; R returns NaN) is ``not_tested``.
    """
    check_min_group_size(min_group_size)
    n = ranks.n_nonzero.astype(np.float64)
    v = ranks.statistic
    var = n * (n + 1.0) * (2.0 * n + 1.0) / 24.0 - ranks.tie_term / 48.0
    p = np.full(v.shape, np.nan)
    method = np.full(v.shape, "not_tested", dtype=object)
    testable = (ranks.n_pairs >= min_group_size) & (ranks.n_nonzero > 0) & (var > 0)
    exact = testable & (ranks.n_nonzero < EXACT_LIMIT) & (ranks.n_nonzero == ranks.n_pairs)
    tied_exact = exact & (ranks.tie_term != 0)
    if differences is None:  # R <= 4.5: no exact p-value with ties
        exact &= ~tied_exact
        tied_exact[:] = False
    asym = testable & ~exact

    z = v[asym] - n[asym] * (n[asym] + 1.0) / 4.0
    z = (z - np.sign(z) * 0.5) / np.sqrt(var[asym])
    p[asym] = 2.0 * ndtr(-np.abs(z))
    method[asym] = "asymptotic"

    for i in np.flatnonzero(tied_exact):
        p[i] = signrank_ties_two_sided(v[i], differences(int(i)))
    idx = np.flatnonzero(exact & ~tied_exact)
    for nn in np.unique(ranks.n_nonzero[idx]):
        sel = idx[ranks.n_nonzero[idx] == nn]
        p[sel] = signrank_two_sided(v[sel], int(nn))
    method[exact] = "exact"
    return p, method


def signed_rank(
    case: np.ndarray,
    control: np.ndarray,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
    exact_with_ties: bool = False,
) -> pd.DataFrame:
    """Two-sided Wilcoxon signed-rank test of ``case - control`` for every gene, at R parity.

    Parameters
    ----------
    case, control
        Genes x pairs float64 arrays: column ``k`` of both is pair ``k`` (NaN = missing; a pair
        with a missing value is dropped for that gene).
    min_group_size
        Fewer complete pairs than this: ``not_tested`` (default ``MIN_GROUP_SIZE``, 3).
    exact_with_ties
        R >= 4.6: exact p-values also with tied ``|d|`` (fewer than 50 pairs, no zero
        difference); default False (R <= 4.5).

    Returns
    -------
    pandas.DataFrame
        One row per gene: ``n_case`` = ``n_control`` = complete pairs (before zero differences
        are dropped), ``statistic`` (R's V; above ``n (n + 1) / 4`` when cases are higher),
        ``p_value``, ``method``, ``direction``, ``median_case``, ``median_control`` (medians over
        the complete pairs).
    """
    ranks = signed_ranks(case, control)

    def differences(i: int) -> np.ndarray:
        d = np.asarray(case[i], dtype=np.float64) - np.asarray(control[i], dtype=np.float64)
        return d[~np.isnan(d) & (d != 0)]

    p, method = signed_rank_pvalues(
        ranks, min_group_size=min_group_size, differences=differences if exact_with_ties else None
    )
    n = ranks.n_nonzero
    return result_table(
        n_case=ranks.n_pairs,
        n_control=ranks.n_pairs,
        statistic=ranks.statistic,
        p_value=p,
        method=method,
        direction=direction_of(ranks.statistic - n * (n + 1) / 4.0),
        median_case=ranks.median_case,
        median_control=ranks.median_control,
    )
