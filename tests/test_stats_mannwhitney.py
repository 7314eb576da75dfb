"""Mann-Whitney (rank-sum) test against independent oracles.

Oracles: brute-force enumeration of every assignment of the pooled values to the case group
(exact regime); the textbook normal approximation with tie and continuity correction written out
here (asymptotic regime); hand-counted tail probabilities at the 49/50 boundary.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from modmap.stats import mann_whitney, rank_sums
from modmap.stats.exact import wilcox_cdf


def w_by_pairs(x: np.ndarray, y: np.ndarray) -> float:
    """W counted from its definition: pairs with x > y, plus 1/2 for each tied pair."""
    return float(np.sum(x[:, None] > y[None, :]) + 0.5 * np.sum(x[:, None] == y[None, :]))


def brute_force_p(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided permutation p-value, R's rule, by enumerating all case label sets."""
    pooled = np.concatenate([x, y])
    m, n = len(x), len(y)
    w_obs = w_by_pairs(x, y)
    ws = []
    for idx in itertools.combinations(range(m + n), m):
        mask = np.zeros(m + n, bool)
        mask[list(idx)] = True
        ws.append(w_by_pairs(pooled[mask], pooled[~mask]))
    ws = np.array(ws)
    if w_obs > m * n / 2:
        tail = np.mean(ws >= w_obs)
    else:
        tail = np.mean(ws <= w_obs)
    return min(1.0, 2 * tail)


def textbook_p(x: np.ndarray, y: np.ndarray) -> float:
    """Normal approximation with tie correction and continuity correction (Hollander & Wolfe)."""
    m, n = len(x), len(y)
    big_n = m + n
    _, t = np.unique(np.concatenate([x, y]), return_counts=True)
    var = m * n / 12 * ((big_n + 1) - np.sum(t**3 - t) / (big_n * (big_n - 1)))
    d = w_by_pairs(x, y) - m * n / 2
    z = (abs(d) - 0.5) / math.sqrt(var) if d != 0 else 0.0
    return 2 * 0.5 * math.erfc(abs(z) / math.sqrt(2))


def one(x, y, **kw):
    return mann_whitney(np.asarray(x, float)[None, :], np.asarray(y, float)[None, :], **kw).iloc[0]


@pytest.mark.parametrize(
    ("m", "n", "seed"), [(3, 3, 0), (3, 5, 1), (4, 4, 2), (5, 3, 3), (6, 7, 4)]
)
def test_exact_matches_enumeration(m, n, seed):
    rng = np.random.default_rng(seed)
    for shift in (0.0, 0.8, 2.5):
        x = rng.standard_normal(m) + shift
        y = rng.standard_normal(n)
        res = one(x, y)
        assert res["method"] == "exact"
        assert res["statistic"] == w_by_pairs(x, y)
        assert res["p_value"] == pytest.approx(brute_force_p(x, y), rel=1e-12)


def test_exact_distribution_matches_enumeration_for_all_statistics():
    # P(U <= u) for every u against enumeration of all 8-subsets of 17 ranks.
    m, n = 8, 9
    counts = np.zeros(m * n + 1)
    for idx in itertools.combinations(range(1, m + n + 1), m):
        counts[sum(idx) - m * (m + 1) // 2] += 1
    np.testing.assert_allclose(wilcox_cdf(m, n), np.cumsum(counts) / math.comb(m + n, m))


@pytest.mark.parametrize("seed", range(4))
def test_asymptotic_with_ties_matches_textbook(seed):
    rng = np.random.default_rng(seed)
    x = np.round(rng.standard_normal(60) + 0.3, 1)
    y = np.round(rng.standard_normal(75), 1)
    res = one(x, y)
    assert res["method"] == "asymptotic"
    assert res["statistic"] == w_by_pairs(x, y)
    assert res["p_value"] == pytest.approx(textbook_p(x, y), rel=1e-10)


def test_small_groups_with_ties_use_the_normal_approximation():
    x = [1.0, 2.0, 2.0, 3.0, 5.0]
    y = [2.0, 3.0, 4.0, 4.0, 6.0, 7.0]
    res = one(x, y)
    assert res["method"] == "asymptotic"
    assert res["statistic"] == 6.5  # 1 > none, 2,2 tie one 2 each (0.5+0.5), 3 > 2 and ties 3
    assert res["p_value"] == pytest.approx(textbook_p(np.array(x), np.array(y)), rel=1e-12)


def _partitions_at_most(k: int) -> int:
    # Number of integer partitions of 0..k (valid as U counts when k <= min(m, n)).
    p = [1] + [0] * k
    for part in range(1, k + 1):
        for s in range(part, k + 1):
            p[s] += p[s - part]
    return sum(p)


def test_switch_at_49_50_and_at_the_first_tie():
    # Cases all below controls except 3 swaps: W = 3. P(U <= 3) = (1 + 1 + 2 + 3) / C(98, 49).
    base = np.arange(100, dtype=float)
    x = base[:49].copy()
    y = base[49:98].copy()
    x[-1], y[2] = y[2], x[-1]  # case value 51 vs controls: 3 controls below it
    res = one(x, y)
    assert res["statistic"] == 3.0
    assert res["method"] == "exact"
    expected = min(1.0, 2 * _partitions_at_most(3) / math.comb(98, 49))
    assert res["p_value"] == pytest.approx(expected, rel=1e-9)

    # One more case (50 vs 49): the normal approximation, as R.
    x50 = np.append(x, -1.0)
    res = one(x50, y)
    assert res["method"] == "asymptotic"
    assert res["p_value"] == pytest.approx(textbook_p(x50, y), rel=1e-10)
    # One more control instead (49 vs 50): likewise.
    y50 = np.append(y, 200.0)
    res = one(x, y50)
    assert res["method"] == "asymptotic"
    assert res["p_value"] == pytest.approx(textbook_p(x, y50), rel=1e-10)

    # 49 vs 49 with a single tie: asymptotic with tie correction.
    y_tie = y.copy()
    y_tie[-1] = y_tie[-2]
    res = one(x, y_tie)
    assert res["method"] == "asymptotic"
    assert res["p_value"] == pytest.approx(textbook_p(x, y_tie), rel=1e-10)


def test_missing_values_dropped_per_gene():
    rng = np.random.default_rng(7)
    x = rng.standard_normal(8)
    y = rng.standard_normal(9) + 1
    xm = np.concatenate([x, [np.nan, np.nan]])
    ym = np.concatenate([[np.nan], y])
    res = one(xm, ym)
    assert (res["n_case"], res["n_control"]) == (8, 9)
    assert res["p_value"] == pytest.approx(brute_force_p(x, y), rel=1e-12)
    assert res["median_case"] == pytest.approx(np.median(x))
    assert res["median_control"] == pytest.approx(np.median(y))


def test_too_few_values_and_constant_genes_are_not_tested():
    nan = np.nan
    case = np.array([[1.0, 2.0, nan, nan], [5.0, 5.0, 5.0, 5.0], [nan, nan, nan, nan]])
    control = np.array([[3.0, 4.0, 5.0, 6.0], [5.0, 5.0, 5.0, 5.0], [1.0, 2.0, 3.0, 4.0]])
    res = mann_whitney(case, control)
    assert list(res["method"]) == ["not_tested"] * 3
    assert res["p_value"].isna().all()
    assert list(res["direction"]) == ["none"] * 3
    assert list(res["n_case"]) == [2, 4, 0]
    # With min_group_size 2 the first gene is tested (exact, 2 vs 4, W = 0): p = 2 / C(6, 2).
    res = mann_whitney(case, control, min_group_size=2)
    assert res.loc[0, "method"] == "exact"
    assert res.loc[0, "p_value"] == pytest.approx(2 / 15)


def test_direction_and_medians():
    rng = np.random.default_rng(3)
    up = rng.standard_normal((1, 10)) + 5
    down = rng.standard_normal((1, 10)) - 5
    ctrl = rng.standard_normal((1, 12))
    res = mann_whitney(np.vstack([up, down]), np.vstack([ctrl, ctrl]))
    assert list(res["direction"]) == ["up", "down"]
    assert list(res["statistic"]) == [120.0, 0.0]  # 10 * 12 pairs all above / all below
    np.testing.assert_allclose(res["median_case"], [np.median(up), np.median(down)])
    np.testing.assert_allclose(res["median_control"], [np.median(ctrl)] * 2)
    # W exactly at its null mean: direction none, p = 1.
    res = one([1.0, 4.0, 5.0, 8.0], [2.0, 3.0, 6.0, 7.0])
    assert res["statistic"] == 8.0
    assert res["direction"] == "none"
    assert res["p_value"] == 1.0


@pytest.mark.parametrize(("threads", "mode"), [(1, "arrays"), (2, "columns"), (2, "views")])
def test_kernel_on_a_matrix_matches_pairwise_counts(threads, mode):
    # Many genes, several chunks, ties across/within groups, NaNs and +-inf: W by pair counting.
    rng = np.random.default_rng(11)
    g, m, n = 301, 9, 14
    case = np.round(rng.standard_normal((g, m)), 1)
    control = np.round(rng.standard_normal((g, n)), 1)
    smooth = slice(0, 150)
    case[smooth] = rng.standard_normal((150, m))
    control[smooth] = rng.standard_normal((150, n))
    case[rng.random((g, m)) < 0.05] = np.nan
    control[rng.random((g, n)) < 0.05] = np.nan
    case[5, 0] = np.inf
    control[6, 1] = np.inf
    control[7, 2] = -np.inf
    if mode == "arrays":
        res = rank_sums(case, control, threads=threads, chunk=64)
    elif mode == "columns":  # one matrix, groups picked by (shuffled) column indices
        order = np.random.default_rng(0).permutation(m + n)
        both = np.empty((g, m + n))
        both[:, order[:m]] = case
        both[:, order[m:]] = control
        res = rank_sums(
            both, both, case_columns=order[:m], control_columns=order[m:], threads=threads, chunk=64
        )
    else:  # two views of one matrix
        both = np.hstack([case, control])
        res = rank_sums(both[:, :m], both[:, m:], threads=threads, chunk=64)
    for i in range(g):
        x = case[i][~np.isnan(case[i])]
        y = control[i][~np.isnan(control[i])]
        assert res.statistic[i] == w_by_pairs(x, y), i
        _, t = np.unique(np.concatenate([x, y]), return_counts=True)
        assert res.tie_term[i] == np.sum(t**3 - t), i
        assert (res.n_case[i], res.n_control[i]) == (len(x), len(y))
