"""Benjamini-Hochberg q-values against a hand-written step-up procedure."""

from __future__ import annotations

import numpy as np
import pytest

from modmap.stats import bh_qvalues


def bh_by_hand(p: list[float]) -> list[float]:
    # q_(i) = min_{k >= i} min(1, p_(k) m / k), over the non-missing p-values only.
    idx = [i for i, v in enumerate(p) if not np.isnan(v)]
    m = len(idx)
    order = sorted(idx, key=lambda i: p[i])
    q = [float("nan")] * len(p)
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        q[i] = running
    return q


def test_bh_matches_hand_computation():
    p = [0.01, 0.04, 0.03, 0.005, np.nan, 0.5, 0.04, 0.9]
    q = bh_qvalues(np.array(p))
    np.testing.assert_allclose(q, bh_by_hand(p), rtol=1e-12)
    # Worked example: sorted non-missing p 0.005 0.01 0.03 0.04 0.04 0.5 0.9 (m = 7).
    assert q[3] == pytest.approx(0.035)  # 0.005 * 7 / 1
    assert q[1] == pytest.approx(0.056)  # 0.04 * 7 / 5, shared by both 0.04 and by 0.03
    assert q[2] == pytest.approx(0.056)
    assert np.isnan(q[4])


def test_bh_random_and_all_missing():
    rng = np.random.default_rng(0)
    p = rng.random(200) ** 3
    np.testing.assert_allclose(bh_qvalues(p), bh_by_hand(list(p)), rtol=1e-12)
    assert np.isnan(bh_qvalues(np.array([np.nan, np.nan]))).all()


def test_weights_count_a_p_value_once_per_module():
    # BloodGen3Module adjusts over module-gene pairs: a gene in k modules is k tests. Oracle: the
    # hand-written procedure on the list with each p-value written out k times.
    p = [0.01, 0.02, 0.03, np.nan, 0.2, 0.04]
    w = np.array([1, 3, 0, 2, 2, 1])
    expanded = [0.01, 0.02, 0.02, 0.02, 0.2, 0.2, 0.04]
    q_expanded = bh_by_hand(expanded)
    q = bh_qvalues(np.array(p), weights=w)
    assert q[0] == pytest.approx(q_expanded[0], rel=1e-12)
    assert q[1] == pytest.approx(q_expanded[1], rel=1e-12)
    assert q[4] == pytest.approx(q_expanded[4], rel=1e-12)
    assert q[5] == pytest.approx(q_expanded[6], rel=1e-12)
    assert np.isnan(q[2]) and np.isnan(q[3])  # weight 0: out of the family; NaN stays NaN
    assert q[1] == pytest.approx(0.02 * 7 / 4)  # copies at ranks 2-4, m = 7
    with pytest.raises(ValueError, match="whole numbers"):
        bh_qvalues(np.array(p), weights=np.array([1, 0.5, 1, 1, 1, 1]))


def test_bh_is_bit_identical_to_statsmodels_fdr_bh():
    """The NumPy step-up gives the very bits of statsmodels' multipletests (the former code path),
    ties and p-values above 1 / m included."""
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(3)
    for size in (1, 2, 7, 500):
        p = np.round(rng.random(size) ** 2, 3)
        assert bh_qvalues(p).tobytes() == multipletests(p, method="fdr_bh")[1].tobytes()
