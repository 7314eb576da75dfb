"""``exact_with_ties`` (R >= 4.6): exact conditional p-values with ties, by enumeration.

The oracle enumerates every assignment of the pooled values to the cases (every sign flip for
the paired test), computes the statistic from its definition and applies R 4.6's two-sided rule
as written in ``wilcox.test.R``: above the null mean the tail is ``1 - P(S <= q - 1)``, else
``P(S <= q)``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from modmap.stats import mann_whitney, signed_rank


def w_by_pairs(x, y):
    return float(np.sum(x[:, None] > y[None, :]) + 0.5 * np.sum(x[:, None] == y[None, :]))


def r46_rule(q, centre, stats):
    stats = np.asarray(stats)
    eps = 1e-7
    tail = 1 - np.mean(stats <= q - 1 + eps) if q > centre else np.mean(stats <= q + eps)
    return min(1.0, 2 * tail)


def brute_unpaired(x, y):
    pooled = np.concatenate([x, y])
    m = len(x)
    ws = []
    for idx in itertools.combinations(range(len(pooled)), m):
        mask = np.zeros(len(pooled), bool)
        mask[list(idx)] = True
        ws.append(w_by_pairs(pooled[mask], pooled[~mask]))
    return r46_rule(w_by_pairs(x, y), m * len(y) / 2, ws)


def midranks(a):
    return np.array([np.sum(a < v) + (np.sum(a == v) + 1) / 2 for v in a])


def brute_paired(d):
    r = midranks(np.abs(d))
    v = float(r[d > 0].sum())
    vs = [float(np.dot(r, s)) for s in itertools.product([0, 1], repeat=len(d))]
    n = len(d)
    return v, r46_rule(v, n * (n + 1) / 4, vs)


@pytest.mark.parametrize("seed", range(6))
def test_unpaired_with_ties_matches_enumeration(seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 5, 6).astype(float)
    y = rng.integers(1, 6, 7).astype(float)
    res = mann_whitney(x[None], y[None], exact_with_ties=True).iloc[0]
    assert res["method"] == "exact"
    assert res["statistic"] == w_by_pairs(x, y)
    assert res["p_value"] == pytest.approx(brute_unpaired(x, y), rel=1e-12)
    # Default (R <= 4.5): the same gene is asymptotic.
    assert mann_whitney(x[None], y[None]).iloc[0]["method"] == "asymptotic"


@pytest.mark.parametrize("seed", range(6))
def test_paired_with_ties_matches_sign_flips(seed):
    rng = np.random.default_rng(seed)
    d = rng.choice([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0, 4.0], size=9)
    y = rng.normal(size=9).round(3)
    x = y + d
    d = x - y  # the floating-point differences the test sees
    res = signed_rank(x[None], y[None], exact_with_ties=True).iloc[0]
    v, p = brute_paired(d)
    assert res["method"] == "exact"
    assert res["statistic"] == pytest.approx(v)
    assert res["p_value"] == pytest.approx(p, rel=1e-12)


def test_zeros_and_large_groups_stay_asymptotic():
    x = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])
    y = np.array([[1.0, 1.0, 2.0, 2.0, 3.0, 3.0]])  # one zero difference
    assert signed_rank(x, y, exact_with_ties=True).iloc[0]["method"] == "asymptotic"
    xs = np.round(np.random.default_rng(0).normal(size=(1, 50)), 1)
    ys = np.round(np.random.default_rng(1).normal(size=(1, 30)), 1)
    assert mann_whitney(xs, ys, exact_with_ties=True).iloc[0]["method"] == "asymptotic"
