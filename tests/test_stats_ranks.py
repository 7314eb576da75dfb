"""Rank-sum kernel (``rank_sums``) against ``scipy.stats.rankdata`` on awkward matrices.

Oracle: for every gene, the non-missing values of both groups are pooled and ranked with
``scipy.stats.rankdata`` (average ranks for ties, as R's ``rank``); W is the case rank sum minus
``m (m + 1) / 2``, the tie term ``sum(t^3 - t)`` comes from ``numpy.unique`` counts, the medians
from ``numpy.median``. The kernel sorts with ``numpy.sort`` and merges the sorted groups in two
compiled paths (a counting merge for tie-free genes, a run-length merge for the rest); the
matrices here mix genes for both paths, genes that move from one to the other (a single tie
across the groups), NaN, -0.0 next to 0.0, negative values and infinities, in every input mode.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import rankdata

from modmap.stats import rank_sums


def oracle(case: np.ndarray, control: np.ndarray):
    """Per-gene W, tie term, counts and medians from rankdata / unique / median."""
    g = case.shape[0]
    w = np.full(g, np.nan)
    tie = np.zeros(g)
    n_x = np.zeros(g, np.int64)
    n_y = np.zeros(g, np.int64)
    med_x = np.full(g, np.nan)
    med_y = np.full(g, np.nan)
    for i in range(g):
        x = case[i][~np.isnan(case[i])]
        y = control[i][~np.isnan(control[i])]
        n_x[i], n_y[i] = len(x), len(y)
        if len(x):
            med_x[i] = np.median(x)
        if len(y):
            med_y[i] = np.median(y)
        if len(x) and len(y):
            pooled = np.concatenate([x, y])
            r = rankdata(pooled)
            w[i] = r[: len(x)].sum() - len(x) * (len(x) + 1) / 2
            _, t = np.unique(pooled, return_counts=True)
            tie[i] = np.sum(t.astype(float) ** 3 - t)
    return n_x, n_y, w, tie, med_x, med_y


def awkward_matrix(rng: np.random.Generator, g: int, m: int, n: int):
    """Genes x (m + n): smooth genes, rounded (tied) genes, NaN, +-0.0, +-inf, one-cross-tie."""
    both = rng.standard_normal((g, m + n)) * 3.0
    rounded = rng.random(g) < 0.5
    both[rounded] = np.round(both[rounded], rng.integers(0, 2))
    both[rng.random((g, m + n)) < 0.03] = np.nan
    zeros = rng.random((g, m + n))
    both[zeros < 0.02] = 0.0
    both[(zeros >= 0.02) & (zeros < 0.04)] = -0.0
    both[rng.random((g, m + n)) < 0.01] = np.inf
    both[rng.random((g, m + n)) < 0.01] = -np.inf
    # Complete, tie-free genes whose only tie is one value shared by a case and a control.
    for i in range(0, g, 7):
        row = rng.standard_normal(m + n)
        row[m] = row[0]
        both[i] = row
    # A gene with no missing value left in the cases, one with all values equal.
    both[1, :m] = np.nan
    both[2] = 1.5
    return both


@pytest.mark.parametrize(("m", "n"), [(1, 1), (3, 5), (17, 12), (60, 61)])
@pytest.mark.parametrize("mode", ["arrays", "columns", "ranges", "fortran", "views"])
def test_rank_sums_match_rankdata(m: int, n: int, mode: str) -> None:
    rng = np.random.default_rng(1000 * m + n)
    g = 103  # not a multiple of the 4 lanes or of the chunks
    both = awkward_matrix(rng, g, m, n)
    case, control = both[:, :m].copy(), both[:, m:].copy()
    expected = oracle(case, control)
    for threads, chunk in ((1, None), (2, 1), (2, 10), (3, 64)):
        if mode == "arrays":
            res = rank_sums(case, control, threads=threads, chunk=chunk)
        elif mode in ("columns", "fortran"):
            order = rng.permutation(m + n)
            shuffled = np.empty_like(both)
            shuffled[:, order] = both
            if mode == "fortran":
                shuffled = np.asfortranarray(shuffled)
            res = rank_sums(
                shuffled,
                shuffled,
                case_columns=order[:m],
                control_columns=order[m:],
                threads=threads,
                chunk=chunk,
            )
        elif mode == "ranges":  # contiguous column ranges (copied as slices), after a decoy
            wide = np.hstack([rng.standard_normal((g, 1)), both])
            res = rank_sums(
                wide,
                wide,
                case_columns=np.arange(1, m + 1),
                control_columns=np.arange(m + 1, m + n + 1),
                threads=threads,
                chunk=chunk,
            )
        else:
            # Two views of one matrix (not contiguous rows); the input is left as it was.
            scratch = both.copy()
            res = rank_sums(scratch[:, :m], scratch[:, m:], threads=threads, chunk=chunk)
            np.testing.assert_array_equal(scratch, both)
        for name, got, want in zip(res._fields, res, expected, strict=True):
            np.testing.assert_array_equal(got, want, err_msg=f"{name} ({threads=}, {chunk=})")


def test_negative_zero_ties_with_zero() -> None:
    # R: rank(c(-0, 0)) is c(1.5, 1.5): -0.0 and 0.0 are one tied value. Cases {-0.0, 2},
    # controls {0.0, 1}: pooled ranks -0.0 -> 1.5, 0.0 -> 1.5, 1 -> 3, 2 -> 4; case rank sum
    # 5.5, W = 5.5 - 3 = 2.5; one pair of ties: t^3 - t = 6.
    res = rank_sums(np.array([[-0.0, 2.0]]), np.array([[0.0, 1.0]]))
    assert res.statistic[0] == 2.5
    assert res.tie_term[0] == 6.0
    # Tie-free otherwise, so the gene starts on the counting path and must leave it.
    res = rank_sums(np.array([[-0.0, 2.0, 3.0]]), np.array([[0.0, 1.0, 4.0]]))
    # Pairs x > y: -0.0 vs 0.0 tied (1/2); 2 > 0.0, 2 > 1; 3 > 0.0, 3 > 1: W = 4.5.
    assert res.statistic[0] == 4.5
    assert res.tie_term[0] == 6.0


def test_large_groups_tie_free_and_tied_by_pair_counting() -> None:
    # Groups longer than the chunk's lanes: W counted pair by pair (x > y, plus 1/2 per tie).
    rng = np.random.default_rng(7)
    m, n = 300, 257
    case = rng.standard_normal((9, m))
    control = rng.standard_normal((9, n))
    case[4:] = np.round(case[4:], 1)
    control[4:] = np.round(control[4:], 1)
    res = rank_sums(case, control, threads=2, chunk=2)
    for i in range(9):
        x, y = case[i], control[i]
        w = np.sum(x[:, None] > y[None, :]) + 0.5 * np.sum(x[:, None] == y[None, :])
        assert res.statistic[i] == w
        assert (res.tie_term[i] == 0) == (i < 4)
