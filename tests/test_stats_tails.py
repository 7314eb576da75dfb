"""modmap.stats.tails: chi-squared tails against the closed form, and the import-time promise."""

from __future__ import annotations

import math

import numpy as np
from conftest import imported_after

from modmap.stats.tails import chi2_sf


def test_chi2_sf_matches_the_poisson_sum_for_even_degrees_of_freedom():
    # For df = 2n: P(X > x) = exp(-x/2) sum_{k<n} (x/2)^k / k!  (a textbook identity)
    x = np.array([1e-3, 0.3, 2.0, 11.5, 40.0, 150.0])
    df = np.array([2, 2, 4, 6, 30, 80])
    closed = [
        math.exp(-v / 2) * sum((v / 2) ** k / math.factorial(k) for k in range(d // 2))
        for v, d in zip(x, df, strict=True)
    ]
    np.testing.assert_allclose(chi2_sf(x, df), closed, rtol=1e-12)


def test_chi2_sf_one_degree_of_freedom_is_the_normal_two_sided_tail():
    # X = Z^2 with Z standard normal: P(X > x) = erfc(sqrt(x / 2))
    for x in (0.01, 1.0, 3.841458820694124, 6.65, 30.0):
        assert math.isclose(float(chi2_sf(x, 1)), math.erfc(math.sqrt(x / 2)), rel_tol=1e-12)


def test_chi2_sf_edges_and_scalars():
    got = chi2_sf(np.array([0.0, -0.0, -3.0, np.inf, np.nan]), 4)
    assert got[:4].tolist() == [1.0, 1.0, 1.0, 0.0] and np.isnan(got[4])
    assert isinstance(chi2_sf(2.0, 1), np.float64)


def test_users_of_chi2_sf_do_not_import_scipy_stats():
    """An import-time promise (issue 16): the clinical tables' chi-square and the module
    enrichment run without scipy.stats (1-1.5 s of start-up per job)."""
    code = (
        "from modmap.clinical.contingency import chi_square\n"
        "import modmap.clinical.tables, modmap.stats.enrichment\n"
        "assert 0 < chi_square([[8, 1], [2, 9]])[1] < 1\n"
    )
    assert imported_after(code, ["scipy.stats", "statsmodels"]) == []
