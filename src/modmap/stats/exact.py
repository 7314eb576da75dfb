"""Exact null distributions of the Wilcoxon statistics, as R's ``pwilcox`` and ``psignrank``.

Counts are built by dynamic programming once per sample size and cached; genes with missing
values have their own sizes, so a comparison needs a handful of tables at most. Counts are held
in float64 as R does (``cwilcox``/``csignrank`` in ``src/nmath/wilcox.c``/``signrank.c``); they
are exact integers below 2^53 and carry relative rounding of ~1e-16 beyond.

Two-sided p-values follow ``wilcox.test``: for a statistic above its null mean the upper tail
``P(S >= s)`` is used, otherwise the lower tail ``P(S <= s)``; ``p = min(1, 2 * tail)``. As in
R's C code, the tail summed is always the shorter one (by symmetry ``P(S >= s) = P(S <= max - s)``),
which keeps small p-values accurate.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["signrank_cdf", "signrank_two_sided", "wilcox_cdf", "wilcox_two_sided"]


@lru_cache(maxsize=256)
def _wilcox_counts(m: int, n: int) -> np.ndarray:
    # c[k] = number of m-subsets of {1, ..., m + n} whose rank sum is k + m(m+1)/2, i.e. U = k.
    # Gaussian-binomial recursion over the pooled ranks, one added element at a time:
    # f[j][s] counts j-subsets of the ranks seen so far with U-sum s.
    f = np.zeros((m + 1, m * n + 1))
    f[0, 0] = 1.0
    for r in range(1, m + n + 1):
        # Adding rank r to a j-1 subset raises U by r - j (its rank minus its position).
        for j in range(min(r, m), 0, -1):
            shift = r - j
            if shift > m * n:
                continue
            f[j, shift:] += f[j - 1, : m * n + 1 - shift]
    return f[m]


@lru_cache(maxsize=256)
def wilcox_cdf(m: int, n: int) -> np.ndarray:
    """``P(U <= u)`` for ``u = 0 .. m n`` under the null (no ties), as R's ``pwilcox``.

    Parameters
    ----------
    m, n
        Sizes of the two groups (cases, controls); both >= 1.

    Returns
    -------
    numpy.ndarray
        Cumulative probabilities (read-only, cached per ``(m, n)``).
    """
    if m < 1 or n < 1:
        raise ValueError(f"group sizes must be >= 1, got m={m}, n={n}")
    counts = _wilcox_counts(m, n)
    cdf = np.cumsum(counts) / counts.sum()
    cdf.setflags(write=False)
    return cdf


@lru_cache(maxsize=256)
def signrank_cdf(n: int) -> np.ndarray:
    """``P(V <= v)`` for ``v = 0 .. n(n+1)/2`` under the null (no ties), as R's ``psignrank``.

    Parameters
    ----------
    n
        Number of non-zero differences (>= 1).

    Returns
    -------
    numpy.ndarray
        Cumulative probabilities (read-only, cached per ``n``).
    """
    if n < 1:
        raise ValueError(f"the number of differences must be >= 1, got {n}")
    top = n * (n + 1) // 2
    c = np.zeros(top + 1)
    c[0] = 1.0
    for r in range(1, n + 1):  # each rank is either positive (adds r) or not
        c[r:] += c[: top + 1 - r].copy()
    cdf = np.cumsum(c) / 2.0**n
    cdf.setflags(write=False)
    return cdf


def _two_sided(stat: np.ndarray, top: int, cdf: np.ndarray) -> np.ndarray:
    # stat >= top/2 uses P(S >= stat) = P(S <= top - stat); R's branch is "stat > mean" but at
    # stat == mean both tails are >= 0.5 and the p-value is 1 either way.
    s = np.asarray(stat, dtype=np.float64)
    low = np.minimum(s, top - s)
    # Statistics are integers without ties; floor guards against float noise only.
    idx = np.floor(low + 1e-7).astype(np.int64)
    return np.minimum(1.0, 2.0 * cdf[idx])


def wilcox_two_sided(w: np.ndarray, m: int, n: int) -> np.ndarray:
    """Exact two-sided p-values of Mann-Whitney ``W`` values for groups of sizes ``m``, ``n``.

    Parameters
    ----------
    w
        R's ``W`` (rank sum of the first group minus ``m(m+1)/2``), integers in ``[0, m n]``.
    m, n
        Group sizes.

    Returns
    -------
    numpy.ndarray
        ``min(1, 2 * P(tail))`` as R's ``wilcox.test(x, y, exact = TRUE)``.
    """
    return _two_sided(w, m * n, wilcox_cdf(m, n))


def signrank_two_sided(v: np.ndarray, n: int) -> np.ndarray:
    """Exact two-sided p-values of signed-rank ``V`` values for ``n`` non-zero differences.

    Parameters
    ----------
    v
        R's ``V`` (sum of the ranks of the positive differences), integers in ``[0, n(n+1)/2]``.
    n
        Number of non-zero differences.

    Returns
    -------
    numpy.ndarray
        ``min(1, 2 * P(tail))`` as R's ``wilcox.test(x, y, paired = TRUE, exact = TRUE)``.
    """
    return _two_sided(v, n * (n + 1) // 2, signrank_cdf(n))
