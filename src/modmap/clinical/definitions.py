"""Every response definition of the trial, for each subject and visit against the baseline.

Names (the values of ``clinical.responder.definition`` and of Table 2 rows):

==========================  ===================================================================
``acrpedi30`` ... ``100``   ACRpedi 30/50/70/100 on the six core criteria (:mod:`.acrpedi`)
``systemic``                no fever, CRP and ESR each halved or normal ("systemic symptoms
                            responders", Table 2)
``primary``                 the trial's primary endpoint, modified ACRpedi 30 =
                            ``acrpedi30`` and ``systemic``
``modified_acrpedi50`` ...  ``acrpedi50``/70/100 and ``systemic`` (Table 2, footnote dagger)
``acrpedi30_no_fever``      ACRpedi 30 and no fever (Table 2, double dagger)
``acrpedi30_no_fever_crp``  ACRpedi 30, no fever and CRP < 15 mg/l (Table 2, section sign;
                            the cut is ``crp_below``)
``inactive``                inactive disease at the visit (:mod:`.inactive`)
==========================  ===================================================================
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from modmap.clinical.acrpedi import LEVELS, acrpedi
from modmap.clinical.change import improved, improvement, worsened
from modmap.clinical.columns import CORE
from modmap.clinical.inactive import inactive_disease
from modmap.clinical.logic import as_text
from modmap.clinical.pairs import visit_pairs
from modmap.clinical.systemic import CRP_NORMAL, ESR_NORMAL, below, halved_or_normal, no_fever

__all__ = ["DEFINITIONS", "response_table"]

DEFINITIONS = (
    "primary",
    "systemic",
    "acrpedi30",
    "acrpedi50",
    "acrpedi70",
    "acrpedi100",
    "modified_acrpedi50",
    "modified_acrpedi70",
    "modified_acrpedi100",
    "acrpedi30_no_fever",
    "acrpedi30_no_fever_crp",
    "inactive",
)


def response_table(
    clinical: pd.DataFrame,
    *,
    visits: Sequence[str],
    baseline: str,
    crp_normal: float = CRP_NORMAL,
    esr_normal: float = ESR_NORMAL,
    crp_below: float = 15.0,
    prednisone_mg_kg_day: float = 0.3,
    prednisone_mg_day: float = 10.0,
    physician_global_max: float = 0.0,
) -> pd.DataFrame:
    """Every definition for every subject at every visit after the baseline.

    Parameters
    ----------
    clinical
        The checked clinical table (:func:`modmap.clinical.reading.check_clinical`): one row
        per subject and visit, canonical column names, numbers as float (NaN = missing),
        ``systemic_symptoms`` as a nullable boolean.
    visits
        Visit order (config ``clinical.visits``).
    baseline
        The reference visit of every response (D1).
    crp_normal, esr_normal
        Upper limits of normal (inclusive): CRP 6 mg/l, ESR 10 mm/h (Table 1 of the paper).
    crp_below
        CRP cut of the ``acrpedi30_no_fever_crp`` variant (strictly below; 15 mg/l).
    prednisone_mg_kg_day, prednisone_mg_day, physician_global_max
        Options of :func:`modmap.clinical.inactive.inactive_disease`.

    Returns
    -------
    pandas.DataFrame
        One row per subject and non-baseline visit (visit order, then subjects in order of
        appearance): ``subject_id``, ``visit``, ``arm``; ``improvement_<criterion>`` for the six
        core criteria, CRP and ESR (percent, ``(baseline - visit) / baseline * 100``, positive =
        better; -inf from a zero baseline; empty when missing); ``n_improved_30/50/70/100`` and
        ``n_worsened_30`` (core criteria known to meet the threshold); ``n_core_missing`` (core
        criteria missing at either visit) and ``not_computable`` (the ``;``-joined names among
        the core six, CRP (either visit) and fever_days (the visit) that are missing);
        ``no_fever``, ``crp_ok``, ``esr_ok`` and every name of :data:`DEFINITIONS` as
        ``yes``/``no``/empty (empty = cannot be decided from the data).
    """
    ref, cur = visit_pairs(clinical, visits=visits, baseline=baseline, reference="baseline")
    out = cur[["subject_id", "visit", "arm"]].reset_index(drop=True)
    base = {c: ref[c].to_numpy(dtype=np.float64) for c in [*CORE, "crp"]}
    now = {c: cur[c].to_numpy(dtype=np.float64) for c in [*CORE, "crp", "fever_days"]}
    for c in [*CORE, "crp"]:
        out[f"improvement_{c}"] = 100.0 * improvement(base[c], now[c])
    for level in LEVELS:
        flags = [improved(base[c], now[c], level) for c in CORE]
        out[f"n_improved_{level}"] = sum(np.asarray(f.fillna(False), dtype=int) for f in flags)
    flags = [worsened(base[c], now[c], 30) for c in CORE]
    out["n_worsened_30"] = sum(np.asarray(f.fillna(False), dtype=int) for f in flags)
    missing = {c: np.isnan(base[c]) | np.isnan(now[c]) for c in [*CORE, "crp"]}
    missing["fever_days"] = np.isnan(now["fever_days"])
    out["n_core_missing"] = sum(missing[c].astype(int) for c in CORE)
    out["not_computable"] = [";".join(c for c in missing if missing[c][i]) for i in range(len(out))]
    fever = no_fever(now["fever_days"])
    crp_ok = halved_or_normal(base["crp"], now["crp"], normal=crp_normal)
    esr_ok = halved_or_normal(base["esr"], now["esr"], normal=esr_normal)
    systemic = fever & crp_ok & esr_ok
    acr = {level: acrpedi(base, now, level=level) for level in LEVELS}
    result = {
        "no_fever": fever,
        "crp_ok": crp_ok,
        "esr_ok": esr_ok,
        "primary": acr[30] & systemic,
        "systemic": systemic,
        **{f"acrpedi{level}": acr[level] for level in LEVELS},
        **{f"modified_acrpedi{level}": acr[level] & systemic for level in LEVELS[1:]},
        "acrpedi30_no_fever": acr[30] & fever,
        "acrpedi30_no_fever_crp": acr[30] & fever & below(now["crp"], crp_below, inclusive=False),
        "inactive": inactive_disease(
            cur,
            crp_normal=crp_normal,
            esr_normal=esr_normal,
            prednisone_mg_kg_day=prednisone_mg_kg_day,
            prednisone_mg_day=prednisone_mg_day,
            physician_global_max=physician_global_max,
        ),
    }
    for name, value in result.items():
        out[name] = as_text(value)
    return out
