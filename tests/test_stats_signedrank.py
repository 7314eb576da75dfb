"""Wilcoxon signed-rank test (paired) against independent oracles.

Oracles: enumeration of all 2^n sign flips of the ranks (exact regime), the textbook normal
approximation with tie and continuity correction written out here (asymptotic regime), and
hand-counted tails at the 49/50 boundary.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from modmap.stats import signed_rank


def v_by_walsh(d: np.ndarray) -> float:
    """V from Walsh averages: #(i <= j) with d_i + d_j > 0 (no ties, no zeros)."""
    s = d[:, None] + d[None, :]
    return float(np.sum(np.triu(s > 0)))


def brute_force_p(d: np.ndarray) -> float:
    """Two-sided p-value, R's rule, by enumerating every sign flip of |d| (no ties/zeros)."""
    n = len(d)
    ranks = np.argsort(np.argsort(np.abs(d))) + 1
    v_obs = float(ranks[d > 0].sum())
    vs = np.array(
        [
            sum(r for r, s in zip(ranks, signs, strict=True) if s)
            for signs in itertools.product([0, 1], repeat=n)
        ],
        dtype=float,
    )
    tail = np.mean(vs >= v_obs) if v_obs > n * (n + 1) / 4 else np.mean(vs <= v_obs)
    return min(1.0, 2 * tail)


def textbook_p(d: np.ndarray) -> tuple[float, float]:
    """(V, p): zeros dropped, mid-ranks, normal approximation with tie + continuity correction."""
    d = d[d != 0]
    n = len(d)
    a = np.abs(d)
    ranks = np.array([np.sum(a < v) + (np.sum(a == v) + 1) / 2 for v in a])
    v = float(ranks[d > 0].sum())
    _, t = np.unique(a, return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - np.sum(t**3 - t) / 48
    e = v - n * (n + 1) / 4
    z = (abs(e) - 0.5) / math.sqrt(var) if e != 0 else 0.0
    return v, math.erfc(abs(z) / math.sqrt(2))


def one(x, y, **kw):
    return signed_rank(np.asarray(x, float)[None, :], np.asarray(y, float)[None, :], **kw).iloc[0]


@pytest.mark.parametrize(("n", "seed"), [(3, 0), (5, 1), (8, 2), (11, 3)])
def test_exact_matches_sign_flip_enumeration(n, seed):
    rng = np.random.default_rng(seed)
    for shift in (0.0, 0.7, 3.0):
        y = rng.standard_normal(n)
        x = y + rng.standard_normal(n) + shift
        d = x - y
        res = one(x, y)
        assert res["method"] == "exact"
        assert res["statistic"] == v_by_walsh(d)
        assert res["p_value"] == pytest.approx(brute_force_p(d), rel=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_asymptotic_with_ties_and_zeros_matches_textbook(seed):
    rng = np.random.default_rng(seed)
    y = np.round(rng.standard_normal(70), 1)
    x = y + np.round(rng.standard_normal(70) * 0.5 + 0.1, 1)
    x[:4] = y[:4]  # exact zeros
    res = one(x, y)
    v, p = textbook_p(x - y)
    assert res["method"] == "asymptotic"
    assert (res["n_case"], res["n_control"]) == (70, 70)  # pairs counted before zeros go
    assert res["statistic"] == v
    assert res["p_value"] == pytest.approx(p, rel=1e-10)


def _distinct_partitions(k: int, n: int) -> int:
    # Subsets of {1..n} with sum exactly k.
    return sum(
        1
        for r in range(1, k + 1)
        for c in itertools.combinations(range(1, n + 1), r)
        if sum(c) == k
    ) + (k == 0)


def test_switch_at_49_50_zeros_and_first_tie():
    # 49 differences, all negative except ranks 1 and 2 positive: V = 3.
    n = 49
    mags = np.arange(1, n + 1, dtype=float)
    d = -mags
    d[:2] = mags[:2]
    y = np.linspace(10, 20, n)
    res = one(y + d, y)
    assert res["statistic"] == 3.0
    assert res["method"] == "exact"
    tail = sum(_distinct_partitions(k, n) for k in range(4))  # V in {0, 1, 2, 3}: 1+1+1+2
    assert tail == 5
    assert res["p_value"] == pytest.approx(2 * tail / 2.0**n, rel=1e-9)

    # 50 differences: asymptotic.
    d50 = np.append(d, -50.0)
    y50 = np.linspace(10, 20, 50)
    res = one(y50 + d50, y50)
    v, p = textbook_p((y50 + d50) - y50)
    assert res["method"] == "asymptotic"
    assert res["statistic"] == v == 3.0
    assert res["p_value"] == pytest.approx(p, rel=1e-10)

    # 49 pairs with one exact zero (48 non-zero): asymptotic, zero dropped.
    x0 = y + d
    x0[10] = y[10]
    res = one(x0, y)
    v, p = textbook_p(x0 - y)
    assert res["method"] == "asymptotic"
    assert res["p_value"] == pytest.approx(p, rel=1e-10)

    # 49 pairs with a single tie in |d|: asymptotic with tie correction.
    dt = d.copy()
    dt[-1] = dt[-2]
    res = one(y + dt, y)
    v, p = textbook_p((y + dt) - y)
    assert res["method"] == "asymptotic"
    assert res["p_value"] == pytest.approx(p, rel=1e-10)


def test_missing_pairs_dropped_and_medians_over_complete_pairs():
    x = np.array([1.0, np.nan, 3.0, 4.5, 6.0, 2.5, 9.0])
    y = np.array([0.0, 2.0, np.nan, 3.0, 6.5, 0.0, 7.0])
    res = one(x, y)
    keep = ~(np.isnan(x) | np.isnan(y))
    assert res["n_case"] == res["n_control"] == 5
    assert res["p_value"] == pytest.approx(brute_force_p(x[keep] - y[keep]), rel=1e-12)
    assert res["median_case"] == np.median(x[keep])
    assert res["median_control"] == np.median(y[keep])


def test_not_tested_and_direction():
    x = np.array([[1.0, 2.0, np.nan], [5.0, 6.0, 7.0], [2.0, 3.0, 4.0], [0.0, 1.0, 2.0]])
    y = np.array([[0.0, 0.0, 0.0], [5.0, 6.0, 7.0], [1.0, 1.5, 2.5], [1.0, 3.0, 5.0]])
    res = signed_rank(x, y)
    # Gene 0: 2 complete pairs; gene 1: all differences zero; gene 2: d = 1, 1.5, 1.5 (a tie);
    # gene 3: d = -1, -2, -3.
    assert list(res["method"]) == ["not_tested", "not_tested", "asymptotic", "exact"]
    assert list(res["direction"]) == ["none", "none", "up", "down"]
    assert list(res["n_case"]) == [2, 3, 3, 3]
    assert res.loc[3, "p_value"] == pytest.approx(2 / 8)


def test_all_positive_exact_p():
    res = one([2.0, 3.0, 4.0, 6.0, 9.0], [1.0, 1.5, 1.75, 1.0, 0.0])
    assert res["statistic"] == 15.0
    assert res["p_value"] == pytest.approx(2 / 32)
