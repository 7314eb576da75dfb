"""Descriptive summaries for the trial tables: mean (SD), median (IQR), n (%), as R computes them.

SD is the sample standard deviation (R's ``sd``, n - 1 denominator); quartiles are R's default
``quantile`` (type 7, linear interpolation, as numpy's default). Missing values are left out and
the number of values summarised is returned with each summary.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = ["Summary", "summarise"]

Summary = Literal["mean_sd", "median_iqr", "n_percent"]


def summarise(values: np.ndarray, *, summary: Summary, digits: int = 1) -> tuple[str, int]:
    """Summary text and the number of non-missing values.

    Parameters
    ----------
    values
        float64 values (``mean_sd``/``median_iqr``) or 0/1 indicators (``n_percent``: 1 = has
        the characteristic); NaN = missing.
    summary
        ``mean_sd`` -> ``"9.5 (5.2)"``; ``median_iqr`` -> ``"16 (8-25)"`` (median (Q1-Q3));
        ``n_percent`` -> ``"7 (58.3)"`` (count, percent of the non-missing values).
    digits
        Decimals of the mean, SD, quartiles and percent.

    Returns
    -------
    text, n
        The text (empty when no value; ``"mean (NA)"`` with a single value, as R's ``sd``) and
        the number of values summarised.
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[~np.isnan(x)]
    n = int(x.size)
    if n == 0:
        return "", 0
    f = f"{{:.{digits}f}}"
    if summary == "mean_sd":
        sd = f.format(x.std(ddof=1)) if n > 1 else "NA"
        return f"{f.format(x.mean())} ({sd})", n
    if summary == "median_iqr":
        q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75])
        return f"{f.format(med)} ({f.format(q1)}-{f.format(q3)})", n
    if summary == "n_percent":
        k = int(x.sum())
        return f"{k} ({f.format(100.0 * k / n)})", n
    raise ValueError(f"unknown summary {summary!r}: use mean_sd, median_iqr or n_percent")
