"""Disease flare at a visit against a reference visit (the previous visit by default).

Quartier et al., Methods: "A disease flare was defined as either (1) a reoccurrence of
disease-related fever or any systemic symptom, or (2) an increase by twofold of either the ESR
or CRP value, or (3) a worsening of >=30% in at least three of the six ACRpedi core criteria and
an improvement of >=30% in no more than one of the criteria. If the number of joints with active
arthritis was used as a criterion of flare and the patient initially had no active joints or
only one active joint, an increase in the number of joints with active arthritis to at least two
was required."

Readings (docs/clinical.md): a *reoccurrence* is present at the visit and absent at the
reference (fever: ``fever_days > 0`` now, ``== 0`` then; systemic symptom: ``yes`` now, ``no``
then); *twofold* is ``value >= 2 x reference`` (from a reference of 0, any value above 0,
the zero-baseline convention); the active-joint rule replaces the 30 % worsening of that one
criterion by ``value >= 2`` whenever the reference count is 0 or 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from modmap.clinical.change import improved, improvement, worsened
from modmap.clinical.columns import CORE
from modmap.clinical.logic import as_text, at_least, at_most, tri
from modmap.clinical.pairs import visit_pairs

__all__ = ["active_joints_worsened", "doubled", "flare_table", "reoccurred"]


def doubled(reference: np.ndarray, value: np.ndarray) -> pd.arrays.BooleanArray:
    """``value >= 2 * reference`` (NA when either is missing; from 0, any value above 0)."""
    change = improvement(reference, value)  # -1.0 = doubled, -inf from 0 to > 0
    return tri(change <= -1.0, np.isnan(change))


def reoccurred(
    reference: pd.arrays.BooleanArray, value: pd.arrays.BooleanArray
) -> pd.arrays.BooleanArray:
    """Present now (``value``) and absent at the reference (Kleene logic)."""
    return value & ~reference


def active_joints_worsened(
    reference: np.ndarray, value: np.ndarray, *, pct: float = 30, min_joints: int = 2
) -> pd.arrays.BooleanArray:
    """Worsening of the active-joint count, with the paper's rule for 0 or 1 joint.

    From a reference of 0 or 1 active joint the count must reach ``min_joints`` (2); from 2 or
    more it must worsen by ``pct`` percent.
    """
    ref = np.asarray(reference, dtype=np.float64)
    val = np.asarray(value, dtype=np.float64)
    out = worsened(ref, val, pct)
    low = ref <= 1
    out[low] = tri(val[low] >= min_joints, np.isnan(val[low]))
    return out


def flare_table(
    clinical: pd.DataFrame,
    *,
    visits: Sequence[str],
    baseline: str,
    reference: Literal["previous", "baseline"] = "previous",
    pct: float = 30,
) -> pd.DataFrame:
    """Flare criteria for every visit that has a reference visit.

    Parameters
    ----------
    clinical
        Checked clinical table (:func:`modmap.clinical.reading.check_clinical`).
    visits, baseline
        Visit order and baseline visit.
    reference
        ``previous`` (default): each visit against the subject's previous visit in the table;
        ``baseline``: each visit after the baseline against the baseline.
    pct
        Worsening / improvement threshold in percent (30).

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``visit``, ``reference_visit``, ``arm``, ``fever_reoccurred``,
        ``systemic_reoccurred``, ``esr_doubled``, ``crp_doubled``, ``n_worsened_30``,
        ``n_improved_30`` (core criteria known to meet it, the active-joint rule applied),
        ``core_worsening`` (>= 3 worsened and <= 1 improved), ``flare`` (any of the four
        criteria), each ``yes``/``no``/empty (not decidable), and ``not_computable``.
    """
    ref, cur = visit_pairs(clinical, visits=visits, baseline=baseline, reference=reference)
    out = cur[["subject_id", "visit", "reference_visit", "arm"]].copy()
    num = {
        c: (ref[c].to_numpy(dtype=np.float64), cur[c].to_numpy(dtype=np.float64))
        for c in [*CORE, "crp", "fever_days"]
    }
    fever_then = tri(num["fever_days"][0] > 0, np.isnan(num["fever_days"][0]))
    fever_now = tri(num["fever_days"][1] > 0, np.isnan(num["fever_days"][1]))
    symptoms_then = pd.array(ref["systemic_symptoms"], dtype="boolean")
    symptoms_now = pd.array(cur["systemic_symptoms"], dtype="boolean")
    worse = [
        active_joints_worsened(*num[c], pct=pct) if c == "active_joints" else worsened(*num[c], pct)
        for c in CORE
    ]
    better = [improved(*num[c], pct) for c in CORE]
    criteria = {
        "fever_reoccurred": reoccurred(fever_then, fever_now),
        "systemic_reoccurred": reoccurred(symptoms_then, symptoms_now),
        "esr_doubled": doubled(*num["esr"]),
        "crp_doubled": doubled(*num["crp"]),
    }
    core = at_least(worse, 3) & at_most(better, 1)
    flare = core
    for value in criteria.values():
        flare = flare | value
    for name, value in criteria.items():
        out[name] = as_text(value)
    out["n_worsened_30"] = sum(np.asarray(f.fillna(False), dtype=int) for f in worse)
    out["n_improved_30"] = sum(np.asarray(f.fillna(False), dtype=int) for f in better)
    out["core_worsening"] = as_text(core)
    out["flare"] = as_text(flare)
    missing = {c: np.isnan(num[c][0]) | np.isnan(num[c][1]) for c in num}
    missing["systemic_symptoms"] = np.asarray(symptoms_then.isna() | symptoms_now.isna())
    out["not_computable"] = [";".join(c for c in missing if missing[c][i]) for i in range(len(out))]
    return out.reset_index(drop=True)
