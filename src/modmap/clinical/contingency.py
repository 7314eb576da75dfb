"""Tests of a 2 x 2 table as R computes them: Fisher's exact test and Pearson's chi-square.

The table is ``[[a, b], [c, d]]``: rows = the two arms, columns = responders, non-responders.

* :func:`fisher_exact` = R's ``fisher.test(x)$p.value`` (two-sided): the sum of the
  hypergeometric probabilities of every table with the same margins whose probability is at most
  the observed one times ``1 + 1e-7`` (R's ``relErr``). Probabilities are exact integers
  (``math.comb``), so the comparison has no rounding at all.
* :func:`chi_square` = R's ``chisq.test(x, correct=...)``: ``sum((|O - E| - Y)^2 / E)`` with
  ``Y = min(0.5, |O - E|)`` when ``correct`` (Yates) and 0 otherwise, one degree of freedom.
  A zero margin makes an expected count 0 and the statistic undefined: NaN, as R.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import Literal

import numpy as np

from modmap.stats.tails import chi2_sf  # scipy.stats' chi2.sf without its import cost

__all__ = ["TEST_NAMES", "TwoByTwo", "chi_square", "fisher_exact", "two_by_two"]

Test = Literal["chisq", "yates", "fisher"]
TEST_NAMES = {
    "chisq": "Pearson chi-square (no continuity correction)",
    "yates": "Pearson chi-square with Yates' continuity correction",
    "fisher": "Fisher exact test (two-sided)",
}
#: R's fisher.test relative tolerance on "as or less probable than the observed table".
R_REL_ERR = 1 + 1e-7


def _check(table) -> tuple[int, int, int, int]:
    cells = np.asarray(table)
    if cells.shape != (2, 2):
        raise ValueError(f"a 2 x 2 table is needed, got shape {cells.shape}")
    if (cells < 0).any() or (cells != np.round(cells)).any():
        raise ValueError(f"a 2 x 2 table holds counts >= 0, got {cells.tolist()}")
    a, b, c, d = (int(v) for v in cells.ravel())
    return a, b, c, d


def fisher_exact(table) -> float:
    """Two-sided p-value of Fisher's exact test of a 2 x 2 table, as R's ``fisher.test``.

    Parameters
    ----------
    table
        ``[[a, b], [c, d]]`` non-negative integer counts.

    Returns
    -------
    float
        p in [0, 1]; 1 when a margin is 0 (a single table is possible).
    """
    a, b, c, d = _check(table)
    row1, col1, n = a + b, a + c, a + b + c + d
    lo, hi = max(0, col1 - (n - row1)), min(row1, col1)
    weight = {x: comb(row1, x) * comb(n - row1, col1 - x) for x in range(lo, hi + 1)}
    total = sum(weight.values())
    observed = weight[a]
    # d <= observed * (1 + 1e-7), in integers: d * 10^7 <= observed * (10^7 + 1)
    tail = sum(w for w in weight.values() if w * 10**7 <= observed * (10**7 + 1))
    return min(1.0, float(Fraction(tail, total)))


def chi_square(table, *, correct: bool = False) -> tuple[float, float]:
    """Pearson's chi-square test of a 2 x 2 table, as R's ``chisq.test``.

    Parameters
    ----------
    table
        ``[[a, b], [c, d]]`` non-negative integer counts.
    correct
        Yates' continuity correction (R's default is True; the paper's Table 2 used none).

    Returns
    -------
    statistic, p_value
        X-squared and its upper-tail probability on 1 degree of freedom; both NaN when a
        margin is 0.
    """
    a, b, c, d = _check(table)
    obs = np.array([[a, b], [c, d]], dtype=np.float64)
    n = obs.sum()
    expected = np.outer(obs.sum(axis=1), obs.sum(axis=0)) / n if n else np.zeros((2, 2))
    if (expected == 0).any():
        return float("nan"), float("nan")
    dev = np.abs(obs - expected)
    yates = np.minimum(0.5, dev) if correct else 0.0
    stat = float(((dev - yates) ** 2 / expected).sum())
    return stat, float(chi2_sf(stat, 1))


@dataclass(frozen=True)
class TwoByTwo:
    """Result of :func:`two_by_two`: the test used, its statistic (NaN for Fisher) and p."""

    test: str
    statistic: float
    p_value: float


def two_by_two(table, *, test: Test) -> TwoByTwo:
    """Run the named test (``chisq``, ``yates`` or ``fisher``) on a 2 x 2 table."""
    if test == "fisher":
        return TwoByTwo(test, float("nan"), fisher_exact(table))
    if test in ("chisq", "yates"):
        stat, p = chi_square(table, correct=test == "yates")
        return TwoByTwo(test, stat, p)
    raise ValueError(f"unknown test {test!r}: use one of {', '.join(TEST_NAMES)}")
