"""Exact power of the two-sided Fisher test for two proportions, and the sample size it needs.

Quartier et al., Data analysis: "We expected at least 60% difference in the percentage of
patients obtaining improvement in the anakinra-treated group (group 1) compared with the control
group (group 2), with no more than 10% patients improving in group 2. Given a 5% type I error, a
20% type II error and a two-sided Fisher exact test, 12 patients per group were required."
So p1 = 0.70, p2 = 0.10, alpha = 0.05, power 0.80 -> 12 per arm.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import binom

from modmap.clinical.contingency import fisher_exact

__all__ = ["fisher_power", "fisher_sample_size"]


def fisher_power(p1: float, p2: float, n: int, *, alpha: float = 0.05) -> float:
    """Exact power of the two-sided Fisher test with ``n`` subjects per arm.

    Every outcome ``(x1, x2)`` (responders in arm 1 and arm 2, 0..n each) is enumerated; the
    power is the binomial probability of the outcomes whose Fisher p-value
    (:func:`~modmap.clinical.contingency.fisher_exact`, as R) is ``<= alpha``.

    Parameters
    ----------
    p1, p2
        True response probabilities of the two arms (0-1).
    n
        Subjects per arm.
    alpha
        Two-sided significance level.
    """
    if not (0 <= p1 <= 1 and 0 <= p2 <= 1):
        raise ValueError(f"probabilities must be in [0, 1], got {p1}, {p2}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    k = np.arange(n + 1)
    w1, w2 = binom.pmf(k, n, p1), binom.pmf(k, n, p2)
    power = 0.0
    for x1 in range(n + 1):
        for x2 in range(n + 1):
            if fisher_exact([[x1, n - x1], [x2, n - x2]]) <= alpha:
                power += w1[x1] * w2[x2]
    return float(power)


def fisher_sample_size(
    p1: float, p2: float, *, alpha: float = 0.05, power: float = 0.8, max_n: int = 500
) -> int:
    """Smallest number per arm whose exact two-sided Fisher power reaches ``power``.

    The power of an exact test is not monotone in ``n`` (it saw-tooths); this returns the first
    ``n`` that reaches the target, the usual reading of "n per group were required".
    """
    for n in range(1, max_n + 1):
        if fisher_power(p1, p2, n, alpha=alpha) >= power:
            return n
    raise ValueError(f"power {power} not reached with up to {max_n} per arm")
