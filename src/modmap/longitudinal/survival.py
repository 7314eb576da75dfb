"""Time from drug withdrawal to flare: the Kaplan-Meier estimate and the median time to flare.

The NOMID withdrawal sub-study (Goldbach-Mansky 2006): anakinra stopped at month 3 until a flare;
every patient flared within days. The survival curve is the Kaplan-Meier product limit computed
with the operations of SciPy's estimator (:func:`scipy.stats.ecdf` on
:class:`scipy.stats.CensoredData`: ``cumprod((n_risk - n_event) / n_risk)`` over the distinct
times), so the values are SciPy's bit for bit without importing ``scipy.stats`` (1-1.5 s of
start-up, issue 16); the same estimate as R's ``survfit(Surv(time, status) ~ 1)``; the median
follows R's ``survfit`` rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modmap.errors import InputError, first_true
from modmap.longitudinal._tables import check_unique, numeric_column, require_columns

__all__ = [
    "CURVE_COLUMNS",
    "MEDIAN_COLUMNS",
    "WITHDRAWAL_COLUMNS",
    "kaplan_meier",
    "median_table",
    "time_to_flare",
    "median_time",
    "withdrawal_table",
]

WITHDRAWAL_COLUMNS = ["subject_id", "days_to_flare", "flared"]
CURVE_COLUMNS = ["time", "n_risk", "n_event", "n_censored", "survival"]
MEDIAN_COLUMNS = ["n_subjects", "n_flared", "n_censored", "median_days"]
#: Survival within this of 0.5 counts as exactly 0.5 (R survival's ``sqrt(.Machine$double.eps)``).
_TOL = float(np.sqrt(np.finfo(np.float64).eps))


def withdrawal_table(table: pd.DataFrame, *, path: str = "withdrawal table") -> pd.DataFrame:
    """Check the withdrawal table and return ``subject_id``, ``days_to_flare``, ``flared``.

    Parameters
    ----------
    table
        ``subject_id``, ``days_to_flare`` (days from withdrawal to the flare, or to the last
        observation when no flare was seen; >= 0), ``flared`` (1 = flare observed, 0 =
        censored), read as text.
    path
        File name for messages.

    Returns
    -------
    pandas.DataFrame
        ``days_to_flare`` float64, ``flared`` bool.

    Raises
    ------
    InputError
        Missing column, empty or negative time, ``flared`` other than 0/1, duplicate subject,
        no subject at all.
    """
    require_columns(
        table,
        WITHDRAWAL_COLUMNS,
        where=path,
        fix="The withdrawal table has subject_id, days_to_flare, flared (1 = flare, 0 = censored).",
    )
    out = pd.DataFrame({"subject_id": table["subject_id"].astype(str).str.strip()})
    check_unique(out, ["subject_id"], where=path)
    days = numeric_column(table, "days_to_flare", where=path)
    bad = days.isna() | (days < 0)
    if bad.any():
        i = first_true(bad)
        raise InputError(
            f"{path} row {i + 1}, column days_to_flare: {table['days_to_flare'].iloc[i]!r} for "
            f"subject {out['subject_id'].iloc[i]}; every subject needs a time >= 0 (days to the "
            "flare, or to the last visit without flare with flared = 0)."
        )
    flag = table["flared"].astype(str).str.strip()
    bad = ~flag.isin(["0", "1"])
    if bad.any():
        i = first_true(bad)
        raise InputError(
            f"{path} row {i + 1}, column flared: {table['flared'].iloc[i]!r} for subject "
            f"{out['subject_id'].iloc[i]}; write 1 (flare observed) or 0 (censored)."
        )
    if out.empty:
        raise InputError(f"{path}: no subject. The Kaplan-Meier curve needs at least one.")
    out["days_to_flare"] = days.to_numpy()
    out["flared"] = (flag == "1").to_numpy()
    return out


def kaplan_meier(table: pd.DataFrame) -> pd.DataFrame:
    """The Kaplan-Meier curve of time to flare, one row per distinct time (as R's ``survfit``).

    Parameters
    ----------
    table
        :func:`withdrawal_table` output.

    Returns
    -------
    pandas.DataFrame
        :data:`CURVE_COLUMNS`: ``time`` (days), ``n_risk`` (subjects still without flare and
        not censored just before ``time``), ``n_event`` (flares at ``time``), ``n_censored``
        (censored at ``time``; a subject censored at a flare time is at risk at that time, as
        R has it), ``survival`` (probability of no flare yet, just after ``time``).
    """
    t = table["days_to_flare"].to_numpy(np.float64)
    e = table["flared"].to_numpy(bool)
    times = np.unique(t)
    n_risk = np.array([(t >= x).sum() for x in times])
    n_event = np.array([((t == x) & e).sum() for x in times])
    n_cens = np.array([((t == x) & ~e).sum() for x in times])
    if e.any():
        # scipy.stats.ecdf's product limit (its _ecdf_right_censored): integer counts, one
        # division per distinct time (1 exactly where nobody flared), a running product
        surv = np.cumprod((n_risk - n_event) / n_risk)
    else:  # no flare at all: nothing to estimate, survival stays 1
        surv = np.ones(times.size)
    return pd.DataFrame(
        {
            "time": times,
            "n_risk": n_risk,
            "n_event": n_event,
            "n_censored": n_cens,
            "survival": surv,
        },
        columns=CURVE_COLUMNS,
    )


def median_time(curve: pd.DataFrame) -> float:
    """Median time to flare from a :func:`kaplan_meier` curve, by R's ``survfit`` rule.

    The first time at which survival is <= 0.5; when survival equals 0.5 (within
    ``sqrt(machine eps)``) from a time up to the next flare time, the midpoint of those two
    times. NaN (not reached) when survival never drops to 0.5.
    """
    events = curve[curve["n_event"] > 0]
    s = events["survival"].to_numpy(np.float64)
    times = events["time"].to_numpy(np.float64)
    below = np.flatnonzero(s <= 0.5 + _TOL)
    if below.size == 0:
        return float("nan")
    i = int(below[0])
    if abs(s[i] - 0.5) < _TOL and i + 1 < times.size:
        return float((times[i] + times[i + 1]) / 2.0)
    return float(times[i])


def median_table(table: pd.DataFrame, curve: pd.DataFrame) -> pd.DataFrame:
    """One row: subjects, flares, censored, median days to flare (empty when not reached)."""
    n_flared = int(table["flared"].sum())
    return pd.DataFrame(
        [(len(table), n_flared, len(table) - n_flared, median_time(curve))],
        columns=MEDIAN_COLUMNS,
    )


def time_to_flare(
    table: pd.DataFrame, *, path: str = "withdrawal table"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check the withdrawal table; return the Kaplan-Meier curve and the median table."""
    checked = withdrawal_table(table, path=path)
    curve = kaplan_meier(checked)
    return curve, median_table(checked, curve)
