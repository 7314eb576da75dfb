"""Distribution tails without ``scipy.stats``: the same numbers from ``scipy.special``.

Importing :mod:`scipy.stats` costs 1-1.5 s of start-up (most of it building the distributions'
docstrings), paid again by every workflow job that imports it (issue 16). A job that only needs a
tail probability takes it from the special function that ``scipy.stats`` itself calls, with
``scipy.stats``' handling of the edges, so the values are identical.
"""

from __future__ import annotations

import numpy as np

__all__ = ["chi2_sf"]


def chi2_sf(x, df):
    """Upper tail ``P(X > x)`` of a chi-squared variable with ``df`` degrees of freedom.

    Parameters
    ----------
    x
        Statistic(s), scalar or array; NaN gives NaN.
    df
        Degrees of freedom (> 0), broadcast against ``x``.

    Returns
    -------
    numpy.ndarray or numpy.float64
        ``scipy.stats.chi2.sf(x, df)``: ``scipy.special.chdtrc(df, x)`` for ``0 < x < inf``, 1 at
        ``x <= 0`` (the support starts at 0) and 0 at ``x = inf``. A 0-d input gives a NumPy
        scalar, as ``scipy.stats`` does.
    """
    from scipy.special import chdtrc

    x = np.asarray(x, dtype=np.float64)
    inner = chdtrc(df, np.where(x <= 0, 1.0, x))  # NaN stays NaN
    out = np.where(x <= 0, 1.0, np.where(np.isposinf(x), 0.0, inner))
    return out[()]
