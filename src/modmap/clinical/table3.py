"""Table 3: adverse events by arm: events, patients with an event, rate per patient-year."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from modmap.clinical.table1 import OVERALL

__all__ = ["DAYS_PER_YEAR", "table3"]

#: Days per patient-year (Julian year).
DAYS_PER_YEAR = 365.25


def table3(
    events: pd.DataFrame,
    followup: pd.DataFrame,
    arm_of: pd.Series,
    *,
    arms: Sequence[str],
) -> pd.DataFrame:
    """Adverse events per arm and overall.

    Parameters
    ----------
    events
        Checked adverse events (:func:`modmap.clinical.events.check_adverse_events`): one row
        per event, ``subject_id``, ``term``, ``serious`` (bool).
    followup
        Checked follow-up (:func:`modmap.clinical.events.check_followup`).
    arm_of
        Arm of each subject (index = subject_id), from the clinical table.
    arms
        Arms in order; an ``overall`` group follows.

    Returns
    -------
    pandas.DataFrame
        One row per group (each arm, then ``overall``) and item: ``any`` (every event),
        ``serious``, then each term (most frequent first, then alphabetical). Columns ``group``,
        ``item``, ``n_subjects``, ``patient_years`` (sum of follow-up days / 365.25),
        ``events``, ``patients`` (subjects with at least one such event), ``rate_per_patient_year``
        (events / patient_years; empty when there is no follow-up time).
    """
    days = followup.set_index("subject_id")["followup_days"]
    ev = events.assign(group=events["subject_id"].map(arm_of))
    counts = events["term"].value_counts()
    terms = sorted(counts.index, key=lambda t: (-counts[t], t))
    items = [("any", np.ones(len(ev), dtype=bool)), ("serious", ev["serious"].to_numpy(bool))]
    items += [(f"term: {t}", (ev["term"] == t).to_numpy()) for t in terms]
    rows = []
    for group in [*arms, OVERALL]:
        members = arm_of.index if group == OVERALL else arm_of.index[arm_of == group]
        years = float(days.reindex(members).sum()) / DAYS_PER_YEAR
        in_group = ev["subject_id"].isin(members).to_numpy()
        for item, mask in items:
            sel = ev[in_group & mask]
            rows.append(
                {
                    "group": group,
                    "item": item,
                    "n_subjects": len(members),
                    "patient_years": years,
                    "events": len(sel),
                    "patients": sel["subject_id"].nunique(),
                    "rate_per_patient_year": len(sel) / years if years > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)
