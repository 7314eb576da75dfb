"""Inactive disease at a visit (Wallace et al. 2004) under a low steroid dose.

Quartier et al., Methods: "the number of patients who reached M6 with inactive disease, as
defined by Wallace et al under a daily dose of predniso(lo)ne <0.3 mg/kg or 10 mg, whichever was
lower." Wallace's criteria and what the clinical table lets us compute:

=====================================================  =========================================
Wallace et al. 2004                                    computed as
=====================================================  =========================================
no joints with active arthritis                        ``active_joints == 0``
no fever, rash, serositis, splenomegaly or             ``fever_days == 0`` and
generalised lymphadenopathy attributable to JIA        ``systemic_symptoms == no``
no active uveitis                                      not in the table: not assessed
normal ESR or CRP                                      ``esr <= esr_normal`` or
                                                       ``crp <= crp_normal``
physician's global assessment: no active disease       ``physician_global <= physician_global_max``
(best score of the scale)                              (0 mm by default)
=====================================================  =========================================

The steroid condition is ``prednisone_mg_kg_day < 0.3`` and
``prednisone_mg_kg_day * weight_kg < 10`` (the lower of the two limits applies); a dose of 0 meets
it whatever the weight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modmap.clinical.logic import tri
from modmap.clinical.systemic import CRP_NORMAL, ESR_NORMAL, below, no_fever

__all__ = ["inactive_disease", "low_steroid_dose"]


def low_steroid_dose(
    mg_kg_day: np.ndarray,
    weight_kg: np.ndarray,
    *,
    max_mg_kg_day: float = 0.3,
    max_mg_day: float = 10.0,
) -> pd.arrays.BooleanArray:
    """Daily predniso(lo)ne below ``max_mg_kg_day`` mg/kg and below ``max_mg_day`` mg.

    Parameters
    ----------
    mg_kg_day
        Dose in mg/kg/day (NaN = missing).
    weight_kg
        Body weight in kg (NaN = missing; needed only for doses above 0 and below the mg/kg
        limit).
    max_mg_kg_day, max_mg_day
        The two limits, both strict (< 0.3 mg/kg/day, < 10 mg/day).
    """
    dose = np.asarray(mg_kg_day, dtype=np.float64)
    weight = np.asarray(weight_kg, dtype=np.float64)
    per_kg = below(dose, max_mg_kg_day, inclusive=False)
    mg = dose * weight
    per_day = tri(mg < max_mg_day, np.isnan(mg))
    per_day[dose == 0] = True
    return per_kg & per_day


def inactive_disease(
    visit_rows: pd.DataFrame,
    *,
    crp_normal: float = CRP_NORMAL,
    esr_normal: float = ESR_NORMAL,
    prednisone_mg_kg_day: float = 0.3,
    prednisone_mg_day: float = 10.0,
    physician_global_max: float = 0.0,
) -> pd.arrays.BooleanArray:
    """Inactive disease under a low steroid dose, for each row (one subject at one visit).

    Parameters
    ----------
    visit_rows
        Rows of the checked clinical table: ``active_joints``, ``fever_days``,
        ``systemic_symptoms`` (nullable boolean), ``esr`` (mm/h), ``crp`` (mg/l),
        ``physician_global`` (mm, 0-100), ``prednisone_mg_kg_day``, ``weight_kg``.
    crp_normal, esr_normal
        Upper limits of normal (inclusive), mg/l and mm/h.
    prednisone_mg_kg_day, prednisone_mg_day
        Steroid limits (strict).
    physician_global_max
        Largest physician global assessment (mm) that counts as "no active disease".

    Returns
    -------
    pandas.arrays.BooleanArray
        True / False / NA (Kleene logic: one criterion known to fail decides False).
    """
    col = {
        c: visit_rows[c].to_numpy(dtype=np.float64)
        for c in (
            "active_joints",
            "fever_days",
            "esr",
            "crp",
            "physician_global",
            "prednisone_mg_kg_day",
            "weight_kg",
        )
    }
    symptoms = pd.array(visit_rows["systemic_symptoms"], dtype="boolean")
    return (
        below(col["active_joints"], 0, inclusive=True)
        & no_fever(col["fever_days"])
        & ~symptoms
        & (
            below(col["esr"], esr_normal, inclusive=True)
            | below(col["crp"], crp_normal, inclusive=True)
        )
        & below(col["physician_global"], physician_global_max, inclusive=True)
        & low_steroid_dose(
            col["prednisone_mg_kg_day"],
            col["weight_kg"],
            max_mg_kg_day=prednisone_mg_kg_day,
            max_mg_day=prednisone_mg_day,
        )
    )
