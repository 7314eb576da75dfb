"""The pooled-histogram path of ``rank_sums`` (``modmap.stats._pooled``) for heavily tied genes.

Oracle: a brute-force count over all pairs (``tests/rank_oracles.py``), ``W = sum_ij [x_i > y_j] +
0.5 [x_i == y_j]`` over the non-missing values, the tie term from ``numpy.unique`` counts and the
medians from ``numpy.median``. Planted truth: genes built with few distinct levels (rounded values,
counts with many zeros, NaN, -0.0 next to 0.0) must be taken by the path; genes it must decline
(smooth values, an infinity, a constant gene, an empty group, two groups each with one value per
bucket but different values in a shared bucket) must be left untouched.
"""

from __future__ import annotations

import numpy as np
import pytest
from rank_oracles import assert_rank_sums_match, brute_force

from modmap.stats import rank_sums
from modmap.stats._buckets import NUMPY_MAX_WIDTH
from modmap.stats._pooled import _RETRY, BUCKETS_PER_VALUE, pooled_block


def tied_genes(rng: np.random.Generator, g: int, m: int, n: int) -> np.ndarray:
    """Genes x (m + n) with few distinct levels each, at least 0.1 apart, within a span < 20."""
    both = np.empty((g, m + n))
    for i in range(g):
        k = i % 5
        if k == 0:  # one decimal, a shift between the groups
            row = rng.standard_normal(m + n)
            row[:m] += 0.5
            row = np.round(row, 1)
        elif k == 1:  # counts with many zeros
            row = rng.poisson(0.7, m + n).astype(float)
        elif k == 2:  # NaN, and -0.0 next to 0.0
            row = np.round(rng.standard_normal(m + n), 1)
            row[rng.random(m + n) < 0.1] = np.nan
            row[rng.random(m + n) < 0.1] = -0.0
            row[rng.random(m + n) < 0.1] = 0.0
        elif k == 3:  # two levels only
            row = rng.integers(0, 2, m + n) * 3.0 - 1.0
        else:  # the cases all above the controls
            row = np.concatenate([rng.integers(5, 9, m), rng.integers(0, 4, n)]).astype(float)
        both[i] = row
    return both


@pytest.mark.parametrize(("m", "n"), [(1, 1), (2, 3), (300, 257), (500, 501)])
def test_pure_genes_match_brute_force(m: int, n: int) -> None:
    rng = np.random.default_rng(m * 11 + n)
    g = 25
    both = tied_genes(rng, g, m, n)
    case, control = both[:, :m].copy(), both[:, m:].copy()
    out = [np.full(g, -7, np.int64), np.full(g, -7, np.int64)]
    out += [np.full(g, -7.0) for _ in range(4)]
    declined = np.empty(g, np.int64)
    # At least 1,000 buckets: narrower than the 0.1 gap between the genes' levels (span < 20).
    k = pooled_block(case, control, m, n, *out, declined, 1000 / (m + n))
    expected = brute_force(case, control)
    # Every gene with a value in both groups and two distinct values is taken.
    usable = [
        i
        for i in range(g)
        if not (np.isnan(case[i]).all() or np.isnan(control[i]).all())
        and np.unique(both[i][~np.isnan(both[i])]).size > 1
    ]
    assert set(declined[:k].tolist()) == set(range(g)) - set(usable)
    names = ("n_x", "n_y", "W", "tie", "med_x", "med_y")
    for name, got, want in zip(names, out, expected, strict=True):
        np.testing.assert_array_equal(got[usable], want[usable], err_msg=name)
    # A zero median is +0.0, as the bucket sort writes it (-0.0 and 0.0 are one tied value).
    medians = np.concatenate([out[4][usable], out[5][usable]])
    assert not np.signbit(medians[medians == 0]).any()


def test_declined_genes_are_left_untouched() -> None:
    rng = np.random.default_rng(3)
    m, n = 300, 280
    rows = []
    rows.append(rng.standard_normal(m + n))  # smooth: a second value in a bucket
    rows.append(np.where(rng.random(m + n) < 0.5, 1.0, np.inf))  # an infinity
    rows.append(np.full(m + n, 2.5))  # constant
    row = np.round(rng.standard_normal(m + n), 1)
    row[:m] = np.nan
    rows.append(row)  # no case value
    # Each group pure on its own, but a case and a control value differ within one bucket:
    # 400 buckets over [0, 4]: 1.0 and 1.001 share bucket 100.
    row = np.zeros(m + n)
    row[: m // 2] = 1.0
    row[m // 2 : m] = 4.0
    row[m:] = 1.001
    rows.append(row)
    both = np.array(rows)
    g = both.shape[0]
    out = [np.full(g, -7, np.int64), np.full(g, -7, np.int64)]
    out += [np.full(g, -7.0) for _ in range(4)]
    declined = np.empty(g, np.int64)
    # One bucket per 580 / 400 values: 400 buckets, the last gene's shared bucket as planted.
    k = pooled_block(both[:, :m], both[:, m:], m, n, *out, declined, 400 / (m + n))
    # After a declined gene the next are not tried: call each gene on its own as well.
    assert declined[:k].tolist() == list(range(g))
    for i in range(g):
        one = [a[i : i + 1] for a in out]
        assert (
            pooled_block(
                both[i : i + 1, :m], both[i : i + 1, m:], m, n, *one, declined, 400 / (m + n)
            )
            == 1
        )
    for a in out:
        assert (a == -7).all()


def test_retry_after_a_declined_gene() -> None:
    # A smooth gene, then pure genes: the _RETRY - 1 genes after the declined one are not tried
    # (declined as well), the next ones are taken.
    rng = np.random.default_rng(4)
    m = n = 300
    g = _RETRY + 5
    both = np.round(rng.standard_normal((g, m + n)), 1)
    both[0] = rng.standard_normal(m + n)
    out = [np.zeros(g, np.int64), np.zeros(g, np.int64)] + [np.empty(g) for _ in range(4)]
    declined = np.empty(g, np.int64)
    k = pooled_block(both[:, :m], both[:, m:], m, n, *out, declined, BUCKETS_PER_VALUE)
    assert declined[:k].tolist() == list(range(_RETRY))
    expected = brute_force(both[:, :m], both[:, m:])
    for got, want in zip(out, expected, strict=True):
        np.testing.assert_array_equal(got[_RETRY:], want[_RETRY:])


@pytest.mark.parametrize("layout", ["rows", "fortran"])
def test_rank_sums_mixing_pure_and_smooth_genes(layout: str) -> None:
    # Chunks where some genes take the pooled path and the others the tagged sort (tie-free
    # genes) or the sort and merge (in place); groups longer than NUMPY_MAX_WIDTH, so every
    # path runs.
    rng = np.random.default_rng(5)
    m, n = NUMPY_MAX_WIDTH + 44, NUMPY_MAX_WIDTH + 3
    g = 97
    both = tied_genes(rng, g, m, n)
    smooth = rng.random(g) < 0.3
    both[smooth] = rng.standard_normal((int(smooth.sum()), m + n))
    both[smooth, :m] += 0.2
    case, control = both[:, :m].copy(), both[:, m:].copy()
    out = [np.zeros(g, np.int64), np.zeros(g, np.int64)] + [np.empty(g) for _ in range(4)]
    declined = np.empty(g, np.int64)
    k = pooled_block(case, control, m, n, *out, declined, BUCKETS_PER_VALUE)
    assert 0 < k < g  # both paths are taken
    assert_rank_sums_match(rank_sums, both, m, layout)
