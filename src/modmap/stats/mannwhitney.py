"""Two-sided Mann-Whitney (Wilcoxon rank-sum) test for every gene, as R's ``wilcox.test(x, y)``.

R (<= 4.5, ``exact = NULL, correct = TRUE``; ``src/library/stats/R/wilcox.test.R``):

* ``W = sum(rank(c(x, y))[seq_along(x)]) - n_x (n_x + 1) / 2`` with mid-ranks for ties;
* exact p-value (``pwilcox``) when ``n_x < 50`` and ``n_y < 50`` and the pooled values of that
  gene have no ties;
* otherwise the normal approximation: ``z = W - n_x n_y / 2``,
  ``sigma = sqrt(n_x n_y / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))))`` with ``N = n_x + n_y``,
  continuity correction ``z <- (z - sign(z) / 2) / sigma``, ``p = 2 min(Phi(z), 1 - Phi(z))``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.special import ndtr

from modmap.stats._common import MIN_GROUP_SIZE, check_min_group_size, direction_of, result_table
from modmap.stats.exact import wilcox_two_sided
from modmap.stats.exact_ties import wilcox_ties_two_sided
from modmap.stats.ranks import RankSums, rank_sums

__all__ = ["EXACT_LIMIT", "mann_whitney", "mann_whitney_pvalues"]

#: R uses the exact distribution when both groups have fewer than this many values.
EXACT_LIMIT = 50


def mann_whitney_pvalues(
    sums: RankSums,
    *,
    min_group_size: int = MIN_GROUP_SIZE,
    tied_values: Callable[[int], tuple[np.ndarray, np.ndarray]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided p-values and methods from per-gene rank sums.

    Parameters
    ----------
    sums
        Output of :func:`modmap.stats.ranks.rank_sums`.
    min_group_size
        Genes with fewer non-missing values in either group are ``not_tested`` (default
        ``MIN_GROUP_SIZE``, 3).
    tied_values
        R >= 4.6 behaviour (``statistics.exact_with_ties``): a function returning the non-missing
        case and control values of gene ``i``; genes with ties and both groups below 50 then
        get R 4.6's exact conditional p-value (:mod:`modmap.stats.exact_ties`). Default
        ``None``: R <= 4.5, ties use the normal approximation.

    Returns
    -------
    p_value, method
        float64 p-values (NaN when not tested) and ``exact``/``asymptotic``/``not_tested``.
        A gene whose values are all equal (``sigma = 0``; R returns NaN) is ``not_tested``.
    """
    check_min_group_size(min_group_size)
    m = sums.n_case.astype(np.float64)
    n = sums.n_control.astype(np.float64)
    w = sums.statistic
    big_n = m + n
    p = np.full(w.shape, np.nan)
    method = np.full(w.shape, "not_tested", dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = m * n / 12.0 * ((big_n + 1.0) - sums.tie_term / (big_n * (big_n - 1.0)))
    sized = (sums.n_case >= min_group_size) & (sums.n_control >= min_group_size)
    testable = sized & (var > 0)
    exact = testable & (sums.n_case < EXACT_LIMIT) & (sums.n_control < EXACT_LIMIT)
    tied_exact = exact & (sums.tie_term != 0)
    if tied_values is None:  # R <= 4.5: no exact p-value with ties
        exact &= ~tied_exact
        tied_exact[:] = False
    asym = testable & ~exact

    z = w[asym] - m[asym] * n[asym] / 2.0
    z = (z - np.sign(z) * 0.5) / np.sqrt(var[asym])
    p[asym] = 2.0 * ndtr(-np.abs(z))
    method[asym] = "asymptotic"

    for i in np.flatnonzero(tied_exact):
        x, y = tied_values(int(i))
        p[i] = wilcox_ties_two_sided(w[i], x, y)
    idx = np.flatnonzero(exact & ~tied_exact)
    sizes = np.stack([sums.n_case[idx], sums.n_control[idx]], axis=1)
    for mm, nn in np.unique(sizes, axis=0) if idx.size else []:
        sel = idx[(sizes[:, 0] == mm) & (sizes[:, 1] == nn)]
        p[sel] = wilcox_two_sided(w[sel], int(mm), int(nn))
    method[exact] = "exact"
    return p, method


def mann_whitney(
    case: np.ndarray,
    control: np.ndarray,
    *,
    case_columns: np.ndarray | None = None,
    control_columns: np.ndarray | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    threads: int | None = None,
    exact_with_ties: bool = False,
) -> pd.DataFrame:
    """Two-sided Mann-Whitney test of cases vs controls for every gene (row), at R parity.

    Parameters
    ----------
    case, control
        Genes x samples float64 arrays (NaN = missing, dropped per gene), or one matrix passed
        twice with ``case_columns``/``control_columns`` selecting the groups. Never modified.
    case_columns, control_columns
        Optional integer column indices of each group.
    min_group_size
        Fewer non-missing values than this in a group: ``not_tested`` (default ``MIN_GROUP_SIZE``,
        3).
    threads
        Worker threads for the rank kernel (default: all available).
    exact_with_ties
        R >= 4.6: exact p-values also for genes with ties when both groups have fewer than 50
        values (default False: R <= 4.5).

    Returns
    -------
    pandas.DataFrame
        One row per gene: ``n_case``, ``n_control``, ``statistic`` (R's W; above
        ``n_case n_control / 2`` when cases rank higher), ``p_value`` (two-sided),
        ``method``, ``direction`` (``up`` when W is above its null mean), ``median_case``,
        ``median_control`` (medians of the non-missing values, same scale as the input).
    """
    sums = rank_sums(
        case,
        control,
        case_columns=case_columns,
        control_columns=control_columns,
        threads=threads,
    )

    def tied_values(i: int) -> tuple[np.ndarray, np.ndarray]:
        x = case[i] if case_columns is None else case[i, case_columns]
        y = control[i] if control_columns is None else control[i, control_columns]
        return x[~np.isnan(x)], y[~np.isnan(y)]

    p, method = mann_whitney_pvalues(
        sums, min_group_size=min_group_size, tied_values=tied_values if exact_with_ties else None
    )
    null_mean = sums.n_case * sums.n_control / 2.0
    return result_table(
        n_case=sums.n_case,
        n_control=sums.n_control,
        statistic=sums.statistic,
        p_value=p,
        method=method,
        direction=direction_of(sums.statistic - null_mean),
        median_case=sums.median_case,
        median_control=sums.median_control,
    )
