"""Welch and paired t-tests against the textbook formulas written out here."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from modmap.stats import paired_t, welch


def textbook_welch(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    nx, ny = len(x), len(y)
    vx = sum((v - sum(x) / nx) ** 2 for v in x) / (nx - 1)
    vy = sum((v - sum(y) / ny) ** 2 for v in y) / (ny - 1)
    se2 = vx / nx + vy / ny
    t = (sum(x) / nx - sum(y) / ny) / math.sqrt(se2)
    df = se2**2 / ((vx / nx) ** 2 / (nx - 1) + (vy / ny) ** 2 / (ny - 1))
    return t, 2 * stats.t.sf(abs(t), df)


def test_welch_matches_textbook_with_missing_values():
    rng = np.random.default_rng(0)
    x = rng.normal(1, 2, (5, 9))
    y = rng.normal(0, 1, (5, 13))
    x[0, :2] = np.nan
    y[1, 5] = np.nan
    res = welch(x, y)
    for i in range(5):
        xi, yi = x[i][~np.isnan(x[i])], y[i][~np.isnan(y[i])]
        t, p = textbook_welch(xi, yi)
        assert res.loc[i, "statistic"] == pytest.approx(t, rel=1e-10)
        assert res.loc[i, "p_value"] == pytest.approx(p, rel=1e-8)
        assert res.loc[i, "direction"] == ("up" if t > 0 else "down")
        assert res.loc[i, "n_case"] == len(xi)
    assert set(res["method"]) == {"welch"}


def test_paired_t_matches_textbook_and_not_tested_rows():
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1, (3, 8))
    y = x - 0.5 + rng.normal(0, 0.3, (3, 8))
    x[0, 0] = np.nan
    y[2] = x[2] - 1.0  # constant difference: sd 0, R cannot test
    res = paired_t(x, y)
    for i in range(2):
        keep = ~(np.isnan(x[i]) | np.isnan(y[i]))
        d = x[i][keep] - y[i][keep]
        t = d.mean() / (d.std(ddof=1) / math.sqrt(len(d)))
        assert res.loc[i, "statistic"] == pytest.approx(t, rel=1e-10)
        assert res.loc[i, "p_value"] == pytest.approx(2 * stats.t.sf(abs(t), len(d) - 1), rel=1e-8)
    assert list(res["n_case"]) == [7, 8, 8]
    assert list(res["method"]) == ["paired_t", "paired_t", "not_tested"]
    assert math.isnan(res.loc[2, "p_value"])


def test_constant_and_small_groups_not_tested():
    x = np.array([[2.0, 2.0, 2.0], [1.0, 2.0, np.nan]])
    y = np.array([[2.0, 2.0, 2.0, 2.0], [1.0, 2.0, 3.0, 4.0]])
    res = welch(x, y)
    assert list(res["method"]) == ["not_tested", "not_tested"]
    assert res["p_value"].isna().all()
