"""Exact power of the two-sided Fisher test: the trial's sample size (12 per arm)."""

from __future__ import annotations

import itertools

import pytest
from scipy.stats import binom
from scipy.stats import fisher_exact as scipy_fisher

from modmap.clinical.power import fisher_power, fisher_sample_size


def _oracle_power(p1, p2, n, alpha):
    """Brute force with scipy's Fisher test (independent implementation)."""
    return sum(
        binom.pmf(x1, n, p1) * binom.pmf(x2, n, p2)
        for x1, x2 in itertools.product(range(n + 1), repeat=2)
        if scipy_fisher([[x1, n - x1], [x2, n - x2]])[1] <= alpha * (1 + 1e-12)
    )


def test_the_papers_power_calculation_gives_12_per_arm():
    # "at least 60% difference ... no more than 10% patients improving in group 2 ... 5% type I
    # error, a 20% type II error and a two-sided Fisher exact test, 12 patients per group"
    assert fisher_sample_size(0.7, 0.1, alpha=0.05, power=0.8) == 12
    assert fisher_power(0.7, 0.1, 11) < 0.8 <= fisher_power(0.7, 0.1, 12)


@pytest.mark.parametrize("n", [5, 11, 12])
def test_power_equals_brute_force_enumeration(n):
    assert fisher_power(0.7, 0.1, n) == pytest.approx(_oracle_power(0.7, 0.1, n, 0.05), rel=1e-9)


def test_power_under_the_null_is_at_most_alpha():
    # Fisher's test is conservative: rejection probability <= alpha when p1 == p2.
    assert fisher_power(0.4, 0.4, 12) <= 0.05


@pytest.mark.parametrize("args", [(1.2, 0.1, 12), (0.7, 0.1, 0)])
def test_bad_arguments(args):
    with pytest.raises(ValueError):
        fisher_power(*args)
