"""Systemic criteria of the SJIA trial: no fever, CRP and ESR halved or normal, CRP below a cut.

Quartier et al., Methods, primary endpoint conditions (2) and (3): "absence of disease-related
fever (body temperature <38 C over the past 8 days) and (3) 50% decrease compared with D1 or
normalisation of both CRP and ESR values". Table 2, footnote dagger: "Body temperature <38 C for
more than 7 days, CRP and ESR normalised or decreased by at least 50% (=systemic symptoms
responders)". Normal limits: Table 1 prints "CRP, mg/l (n<=6)" and "ESR first hour (n<=10)".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modmap.clinical.change import TOLERANCE, improvement
from modmap.clinical.logic import tri

__all__ = ["CRP_NORMAL", "ESR_NORMAL", "below", "halved_or_normal", "no_fever"]

#: Upper limit of normal CRP in mg/l (Table 1 of the paper: n <= 6).
CRP_NORMAL = 6.0
#: Upper limit of normal first-hour ESR in mm/h (Table 1 of the paper: n <= 10).
ESR_NORMAL = 10.0


def no_fever(fever_days: np.ndarray) -> pd.arrays.BooleanArray:
    """No day with temperature >= 38 C over the previous 8 days (``fever_days == 0``).

    Parameters
    ----------
    fever_days
        Days with a temperature >= 38 C over the 8 days before the visit (0-8); NaN = missing.
    """
    days = np.asarray(fever_days, dtype=np.float64)
    return tri(days == 0, np.isnan(days))


def below(value: np.ndarray, limit: float, *, inclusive: bool) -> pd.arrays.BooleanArray:
    """``value <= limit`` (inclusive) or ``value < limit``; NA when the value is missing."""
    val = np.asarray(value, dtype=np.float64)
    hit = val <= limit if inclusive else val < limit
    return tri(hit, np.isnan(val))


def halved_or_normal(
    reference: np.ndarray, value: np.ndarray, *, normal: float
) -> pd.arrays.BooleanArray:
    """Decreased by at least 50 % from the reference, or within normal limits (``<= normal``).

    Decided True when the value is normal even if the reference is missing; NA only when the
    value is missing, or when it is abnormal and the reference is missing. From a reference of 0
    a value above 0 is abnormal-and-not-halved (the zero-baseline convention of
    :mod:`modmap.clinical.change`).
    """
    change = improvement(reference, value)
    halved = tri(change >= 0.5 - TOLERANCE, np.isnan(change))
    return below(value, normal, inclusive=True) | halved
