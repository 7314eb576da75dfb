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
