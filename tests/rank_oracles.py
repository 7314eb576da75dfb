"""Brute-force oracle of the two-sample rank statistics, shared by the rank-kernel tests.

Written from the definitions, not from modmap: over the non-missing values of each gene,
``W = sum_ij [x_i > y_j] + 0.5 [x_i == y_j]`` by pair counting (R's ``W``: the case rank sum
with mid-ranks minus ``m (m + 1) / 2``), the tie term ``sum(t^3 - t)`` from ``numpy.unique``
counts of the pooled values, and the medians from ``numpy.median``.
"""

from __future__ import annotations

import numpy as np


def brute_force(case: np.ndarray, control: np.ndarray):
    """Per-gene counts, W by pair counting, tie term by value counts, medians."""
    g = case.shape[0]
    n_x = np.zeros(g, np.int64)
    n_y = np.zeros(g, np.int64)
    w = np.full(g, np.nan)
    tie = np.zeros(g)
    med_x = np.full(g, np.nan)
    med_y = np.full(g, np.nan)
    for i in range(g):
        x = case[i][~np.isnan(case[i])]
        y = control[i][~np.isnan(control[i])]
        n_x[i], n_y[i] = x.size, y.size
        if x.size:
            med_x[i] = np.median(x)
        if y.size:
            med_y[i] = np.median(y)
        if x.size and y.size:
            w[i] = np.sum(x[:, None] > y[None, :]) + 0.5 * np.sum(x[:, None] == y[None, :])
            _, t = np.unique(np.concatenate([x, y]), return_counts=True)
            tie[i] = np.sum(t.astype(float) ** 3 - t)
    return n_x, n_y, w, tie, med_x, med_y


def assert_rank_sums_match(rank_sums, both: np.ndarray, m: int, layout: str) -> None:
    """``rank_sums`` on genes x (m cases + controls) equals :func:`brute_force` in every field.

    ``layout``: ``"rows"`` (two C-ordered blocks) or ``"fortran"`` (one column-major matrix,
    the groups picked by column indices, as a ``gene_tests`` job passes the cache); each with
    several thread and chunk settings (so chunks of 1 and 7 genes and several threads run).
    """
    n = both.shape[1] - m
    expected = brute_force(both[:, :m], both[:, m:])
    for threads, chunk in ((1, None), (2, 7), (3, 1)):
        if layout == "fortran":
            wide = np.asfortranarray(both)
            res = rank_sums(
                wide,
                wide,
                case_columns=np.arange(m),
                control_columns=np.arange(m, m + n),
                threads=threads,
                chunk=chunk,
            )
        else:
            res = rank_sums(both[:, :m].copy(), both[:, m:].copy(), threads=threads, chunk=chunk)
        for name, got, want in zip(res._fields, res, expected, strict=True):
            np.testing.assert_array_equal(got, want, err_msg=f"{name} ({threads=}, {chunk=})")
