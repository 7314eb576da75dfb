"""Exact conditional null distributions with ties (R >= 4.6, ``statistics.exact_with_ties``).

R 4.6 computes exact p-values also when a gene has ties, from the permutation distribution of
the mid-rank scores (``.pwilcox``/``.psignrank`` with ``z``, C ``cpermdist2``/``cpermdist1`` in
``src/library/stats/R/wilcox.test.R``). The scores are doubled when any is a half-integer so
that all are integers; the distribution is then counted by dynamic programming and cached per
tie pattern (the run lengths of tied values in the pooled sorted sample fix the scores).

R's two-sided rule is kept literally: for a statistic ``q`` above its null mean the upper tail is
``1 - P(S <= q - 1)``, otherwise ``P(S <= q)``, with ``P(S <= e) = sum(d[s < e + sqrt(eps)])``
over the half-integer support ``s``; ``p = min(1, 2 * tail)``. (With half-integer statistics the
upper tail therefore includes ``S = q - 1/2``, as in R.)
"""

from __future__ import annotations

from functools import lru_cache

import numba
import numpy as np

__all__ = ["midrank_runs", "signrank_ties_two_sided", "wilcox_ties_two_sided"]

_TOL = float(np.sqrt(np.finfo(np.float64).eps))


def midrank_runs(values: np.ndarray) -> tuple[int, ...]:
    """Run lengths of equal values in sorted order (the tie pattern that fixes the mid-ranks)."""
    v = np.sort(np.asarray(values, dtype=np.float64))
    if v.size == 0:
        return ()
    edges = np.flatnonzero(np.diff(v) != 0) + 1
    return tuple(np.diff(np.concatenate([[0], edges, [v.size]])).tolist())


def _scores(runs: tuple[int, ...]) -> tuple[np.ndarray, int]:
    # Mid-rank of each element, doubled to integers: run of length t starting after p values
    # has mid-rank p + (t + 1) / 2, doubled 2p + t + 1.
    doubled = []
    pos = 0
    for t in runs:
        doubled.extend([2 * pos + t + 1] * t)
        pos += t
    a = np.array(doubled, dtype=np.int64)
    if np.all(a % 2 == 0):
        return a // 2, 1
    return a, 2


@numba.njit(cache=True)
def _subset_sum_counts(scores, m, top):
    # c[j, s]: number of j-subsets of the scores seen so far with sum s.
    c = np.zeros((m + 1, top + 1))
    c[0, 0] = 1.0
    for i in range(scores.shape[0]):
        a = scores[i]
        for j in range(min(i + 1, m), 0, -1):
            for s in range(top, a - 1, -1):
                c[j, s] += c[j - 1, s - a]
    return c[m]


@lru_cache(maxsize=4096)
def _wilcox_ties_law(m: int, runs: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    scores, f = _scores(runs)
    top = int(np.sort(scores)[-m:].sum())
    counts = _subset_sum_counts(scores, m, top)
    # U = T / f - m (m + 1) / 2 on the half-integer grid.
    t = np.flatnonzero(counts)
    u = t / f - m * (m + 1) / 2
    return u, counts[t] / counts.sum()


@lru_cache(maxsize=4096)
def _signrank_ties_law(runs: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    scores, f = _scores(runs)
    top = int(scores.sum())
    c = np.zeros(top + 1)
    c[0] = 1.0
    for a in scores:
        c[a:] = c[a:] + c[: top + 1 - a].copy()
    t = np.flatnonzero(c)
    return t / f, c[t] / c.sum()


def _r_two_sided(q: float, centre: float, support: np.ndarray, prob: np.ndarray) -> float:
    def lower(e: float) -> float:
        return float(prob[support < e + _TOL].sum())

    tail = 1.0 - lower(q - 1.0) if q > centre else lower(q)
    return min(1.0, 2.0 * tail)


def wilcox_ties_two_sided(w: float, x: np.ndarray, y: np.ndarray) -> float:
    """R 4.6's exact two-sided p-value of ``W`` for groups ``x``, ``y`` (non-missing values).

    Parameters
    ----------
    w
        R's ``W`` (may be a half-integer with ties).
    x, y
        The case and control values of the gene (only their pooled tie pattern is used).

    Returns
    -------
    float
        ``wilcox.test(x, y)$p.value`` of R >= 4.6 when both groups have fewer than 50 values.
    """
    m, n = len(x), len(y)
    runs = midrank_runs(np.concatenate([x, y]))
    support, prob = _wilcox_ties_law(m, runs)
    return _r_two_sided(w, m * n / 2, support, prob)


def signrank_ties_two_sided(v: float, d: np.ndarray) -> float:
    """R 4.6's exact two-sided p-value of ``V`` for non-zero differences ``d``.

    Parameters
    ----------
    v
        R's ``V``.
    d
        The non-zero paired differences of the gene (only the tie pattern of ``|d|`` is used).

    Returns
    -------
    float
        ``wilcox.test(x, y, paired = TRUE)$p.value`` of R >= 4.6 (fewer than 50 pairs, no zero).
    """
    n = len(d)
    support, prob = _signrank_ties_law(midrank_runs(np.abs(d)))
    return _r_two_sided(v, n * (n + 1) / 4, support, prob)
