"""Student's two-sample t-test (equal variances) per gene, as R's ``t.test(var.equal = TRUE)``.

``t.test(x, y, var.equal = TRUE)``: pooled variance
``v = ((n_x - 1) v_x + (n_y - 1) v_y) / (n_x + n_y - 2)`` (sample variances, denominator
``n - 1``), ``se = sqrt(v (1 / n_x + 1 / n_y))``, ``t = (mean_x - mean_y) / se``,
``df = n_x + n_y - 2``, ``p = 2 pt(-|t|, df)``. This is the test of BloodGen3Module's
``Groupcomparison``. Where R stops with "data are essentially constant"
(``se < 10 eps max(|means|)``) or returns NaN (``se = 0``), the gene is ``not_tested``. Paired
comparisons use the paired t-test (:func:`modmap.stats.welch.paired_t`): R ignores ``var.equal``
when ``paired = TRUE``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modmap.stats._common import check_min_group_size
from modmap.stats.welch import _EPS, _moments, _t_table

__all__ = ["student"]


def student(case: np.ndarray, control: np.ndarray, *, min_group_size: int = 3) -> pd.DataFrame:
    """Two-sided Student t-test (pooled variance) of cases vs controls for every gene (row).

    Vectorised over genes: one pass of numpy reductions, no per-gene loop.

    Parameters
    ----------
    case, control
        Genes x samples float64 arrays (NaN = missing, dropped per gene); log2 scale, so the
        test compares mean log2 expression.
    min_group_size
        Fewer non-missing values than this in a group: ``not_tested`` (default 3; R needs
        ``n_x + n_y > 2``).

    Returns
    -------
    pandas.DataFrame
        The per-gene table with ``statistic`` = t (positive when cases are higher),
        ``method`` = ``student`` and ``direction`` from the sign of t.
    """
    check_min_group_size(min_group_size)
    case = np.asarray(case, dtype=np.float64)
    control = np.asarray(control, dtype=np.float64)
    nx, mx, vx, medx = _moments(case)
    ny, my, vy, medy = _moments(control)
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (nx + ny - 2).astype(np.float64)
        pooled = np.where(nx > 1, (nx - 1) * vx, 0.0) + np.where(ny > 1, (ny - 1) * vy, 0.0)
        se = np.sqrt(pooled / df * (1.0 / nx + 1.0 / ny))
        t = (mx - my) / se
        constant = ~(se > 0) | (se < 10 * _EPS * np.maximum(np.abs(mx), np.abs(my)))
    ok = (nx >= min_group_size) & (ny >= min_group_size) & (df > 0) & ~constant
    return _t_table(t, df, ok, method="student", n=(nx, ny), medians=(medx, medy))
