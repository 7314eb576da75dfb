"""Welch's two-sample t-test (and the paired t-test) for every gene, as R's ``t.test`` defaults.

Unpaired, ``t.test(x, y)`` (``var.equal = FALSE``): ``se = sqrt(v_x / n_x + v_y / n_y)`` with
sample variances (denominator ``n - 1``), ``t = (mean_x - mean_y) / se``, Welch-Satterthwaite
``df = se^4 / ((v_x / n_x)^2 / (n_x - 1) + (v_y / n_y)^2 / (n_y - 1))``,
``p = 2 pt(-|t|, df)``. Paired, ``t.test(x, y, paired = TRUE)``: the one-sample test of the
differences, ``t = mean(d) / (sd(d) / sqrt(n))``, ``df = n - 1``. Where R stops with "data are
essentially constant" (``se < 10 eps max(|means|)``) or returns NaN (``se = 0``), the gene
is ``not_tested``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import stdtr

from modmap.stats._common import MIN_GROUP_SIZE, check_min_group_size, direction_of, result_table

__all__ = ["welch", "paired_t"]

_EPS = np.finfo(np.float64).eps


def _moments(
    a: np.ndarray, chunk: int = 2048
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row: non-missing count, mean, sample variance (``n - 1``) and median, NaN ignored.

    Vectorised by row chunks (``numpy.nanmedian`` loops over rows in Python for wide rows):
    a chunk without missing values uses plain reductions and ``numpy.median``; otherwise NaN
    becomes 0 in the sums and +inf in a partition around the middle ranks of the row counts.
    Rows with no value give NaN (variance: fewer than 2 values).
    """
    a = np.asarray(a, dtype=np.float64)
    genes, width = a.shape
    n = np.empty(genes, dtype=np.int64)
    mean, var, median = (np.full(genes, np.nan) for _ in range(3))
    for start in range(0, genes, chunk):
        rows = slice(start, start + chunk)
        c = a[rows]
        missing = np.isnan(c)
        if not missing.any():
            n[rows] = width
            if width:
                m = c.sum(axis=1) / width
                mean[rows] = m
                median[rows] = np.median(c, axis=1)
                if width > 1:
                    d = c - m[:, None]
                    var[rows] = (d * d).sum(axis=1) / (width - 1)
            continue
        count = width - missing.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            m = np.where(missing, 0.0, c).sum(axis=1) / count
            d = np.where(missing, 0.0, c - m[:, None])
            v = (d * d).sum(axis=1) / (count - 1)
        n[rows] = count
        mean[rows] = np.where(count > 0, m, np.nan)
        var[rows] = np.where(count > 1, v, np.nan)
        low = np.maximum((count - 1) // 2, 0)
        high = np.minimum(count // 2, width - 1)
        ordered = np.partition(
            np.where(missing, np.inf, c), np.arange(low.min(), high.max() + 1), axis=1
        )
        lo = np.take_along_axis(ordered, low[:, None], axis=1)[:, 0]
        hi = np.take_along_axis(ordered, high[:, None], axis=1)[:, 0]
        median[rows] = np.where(count > 0, (lo + hi) / 2, np.nan)
    return n, mean, var, median


def _two_sided_t(t: np.ndarray, df: np.ndarray) -> np.ndarray:
    return 2.0 * stdtr(df, -np.abs(t))


def _t_table(
    t: np.ndarray,
    df: np.ndarray,
    ok: np.ndarray,
    *,
    method: str,
    n: tuple[np.ndarray, np.ndarray],
    medians: tuple[np.ndarray, np.ndarray],
) -> pd.DataFrame:
    """The per-gene table of a t-test: two-sided p where ``ok`` (else ``not_tested``, p NaN).

    ``n`` and ``medians`` are (cases, controls); the direction is the sign of t where tested.
    """
    p = np.full(t.shape, np.nan)
    p[ok] = _two_sided_t(t[ok], df[ok])
    return result_table(
        n_case=n[0],
        n_control=n[1],
        statistic=t,
        p_value=p,
        method=np.where(ok, method, "not_tested").astype(object),
        direction=direction_of(np.where(ok, t, np.nan)),
        median_case=medians[0],
        median_control=medians[1],
    )


def welch(
    case: np.ndarray, control: np.ndarray, *, min_group_size: int = MIN_GROUP_SIZE
) -> pd.DataFrame:
    """Two-sided Welch t-test of cases vs controls for every gene (row), as R's ``t.test(x, y)``.

    Parameters
    ----------
    case, control
        Genes x samples float64 arrays (NaN = missing, dropped per gene); log2 scale, so the
        test compares mean log2 expression.
    min_group_size
        Fewer non-missing values than this in a group: ``not_tested`` (default ``MIN_GROUP_SIZE``,
        3).

    Returns
    -------
    pandas.DataFrame
        The per-gene table with ``statistic`` = t (positive when cases are higher),
        ``method`` = ``welch`` and ``direction`` from the sign of t.
    """
    check_min_group_size(min_group_size)
    case = np.asarray(case, dtype=np.float64)
    control = np.asarray(control, dtype=np.float64)
    nx, mx, vx, medx = _moments(case)
    ny, my, vy, medy = _moments(control)
    with np.errstate(invalid="ignore", divide="ignore"):
        sx = vx / nx
        sy = vy / ny
        se = np.sqrt(sx + sy)
        t = (mx - my) / se
        df = (sx + sy) ** 2 / (sx**2 / (nx - 1) + sy**2 / (ny - 1))
        constant = ~(se > 0) | (se < 10 * _EPS * np.maximum(np.abs(mx), np.abs(my)))
    ok = (nx >= min_group_size) & (ny >= min_group_size) & ~constant
    return _t_table(t, df, ok, method="welch", n=(nx, ny), medians=(medx, medy))


def paired_t(
    case: np.ndarray, control: np.ndarray, *, min_group_size: int = MIN_GROUP_SIZE
) -> pd.DataFrame:
    """Two-sided paired t-test of ``case - control`` per gene, as ``t.test(x, y, paired = TRUE)``.

    Parameters
    ----------
    case, control
        Genes x pairs float64 arrays, column ``k`` of both = pair ``k``; pairs with a missing
        value are dropped per gene.
    min_group_size
        Fewer complete pairs than this: ``not_tested`` (default ``MIN_GROUP_SIZE``, 3).

    Returns
    -------
    pandas.DataFrame
        The per-gene table (``statistic`` = t, ``method`` = ``paired_t``, medians over the
        complete pairs).
    """
    check_min_group_size(min_group_size)
    case = np.asarray(case, dtype=np.float64)
    control = np.asarray(control, dtype=np.float64)
    complete = ~(np.isnan(case) | np.isnan(control))
    d = np.where(complete, case - control, np.nan)
    n, md, vd, _ = _moments(d)
    _, _, _, medx = _moments(np.where(complete, case, np.nan))
    _, _, _, medy = _moments(np.where(complete, control, np.nan))
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(vd / n)
        t = md / se
        constant = ~(se > 0) | (se < 10 * _EPS * np.abs(md))
    ok = (n >= min_group_size) & ~constant
    return _t_table(t, n - 1.0, ok, method="paired_t", n=(n, n), medians=(medx, medy))
