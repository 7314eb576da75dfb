"""Table 3: adverse events by arm: events, patients with an event, rate per patient-year."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from modmap.clinical.table1 import OVERALL

__all__ = ["DAYS_PER_YEAR", "PERIODS", "table3"]

#: Days per patient-year (Julian year).
DAYS_PER_YEAR = 365.25

#: Values of the ``period`` column: every event, then the split at ``double_blind_until``.
PERIODS = ("all", "double_blind", "open_label")


def _rows(
    period: str,
    ev: pd.DataFrame,
    items: list[tuple[str, np.ndarray]],
    groups: list[tuple[str, pd.Index]],
    years: dict[str, float],
) -> list[dict]:
    rows = []
    for group, members in groups:
        in_group = ev["subject_id"].isin(members).to_numpy()
        for item, mask in items:
            sel = ev[in_group & mask]
            y = years.get(group, np.nan)
            rows.append(
                {
                    "period": period,
                    "group": group,
                    "item": item,
                    "n_subjects": len(members),
                    "patient_years": y,
                    "events": len(sel),
                    "patients": sel["subject_id"].nunique(),
                    "rate_per_patient_year": len(sel) / y if y > 0 else np.nan,
                }
            )
    return rows


def table3(
    events: pd.DataFrame,
    followup: pd.DataFrame,
    arm_of: pd.Series,
    *,
    arms: Sequence[str],
    visits: Sequence[str] = (),
    double_blind_until: str | None = None,
    last_visit: pd.Series | None = None,
) -> pd.DataFrame:
    """Adverse events per arm and overall, over the whole follow-up and (optionally) by period.

    Parameters
    ----------
    events
        Checked adverse events (:func:`modmap.clinical.events.check_adverse_events`): one row
        per event, ``subject_id``, ``visit`` (the visit at or after the onset), ``term``,
        ``serious`` (bool).
    followup
        Checked follow-up (:func:`modmap.clinical.events.check_followup`).
    arm_of
        Randomised arm of each subject (index = subject_id), from the clinical table.
    arms
        Arms in order; an ``overall`` group follows.
    visits
        The visits in time order (config ``clinical.visits``); needed with
        ``double_blind_until``.
    double_blind_until
        The last visit of the double-blind period (the paper: M1), or None (no split). An event
        written at a visit up to and including it began in the double-blind period (on the
        randomised arm); an event at a later visit began in the open-label period (every
        subject on the active drug; ``group`` stays the randomised arm).
    last_visit
        Each subject's last visit in the clinical table (index = subject_id); with
        ``double_blind_until``: a subject is counted in the open-label period when its last
        visit is later, or when it has an open-label event.

    Returns
    -------
    pandas.DataFrame
        One row per period, group (each arm, then ``overall``) and item: ``any`` (every event),
        ``serious``, then each term (most frequent first over all events, then alphabetical).
        Columns ``period`` (``all``; with ``double_blind_until`` also ``double_blind`` and
        ``open_label``), ``group``, ``item``, ``n_subjects``, ``patient_years`` (sum of
        follow-up days / 365.25; empty for the two periods: the follow-up table gives one total
        per subject), ``events``, ``patients`` (subjects with at least one such event),
        ``rate_per_patient_year`` (events / patient_years; empty without follow-up time).
    """
    days = followup.set_index("subject_id")["followup_days"]
    ev = events.assign(group=events["subject_id"].map(arm_of))
    counts = events["term"].value_counts()
    terms = sorted(counts.index, key=lambda t: (-counts[t], t))

    def items(ev: pd.DataFrame) -> list[tuple[str, np.ndarray]]:
        out = [("any", np.ones(len(ev), dtype=bool)), ("serious", ev["serious"].to_numpy(bool))]
        return out + [(f"term: {t}", (ev["term"] == t).to_numpy()) for t in terms]

    groups = [(a, arm_of.index[arm_of == a]) for a in arms] + [(OVERALL, arm_of.index)]
    years = {g: float(days.reindex(m).sum()) / DAYS_PER_YEAR for g, m in groups}
    rows = _rows("all", ev, items(ev), groups, years)
    if double_blind_until is not None:
        order = {v: i for i, v in enumerate(visits)}
        until = order[double_blind_until]
        blind = ev["visit"].map(order).to_numpy() <= until
        later = set(last_visit.index[last_visit.map(order).to_numpy() > until])
        later |= set(ev.loc[~blind, "subject_id"])
        rows += _rows("double_blind", ev[blind], items(ev[blind]), groups, {})
        open_groups = [(g, m[m.isin(later)]) for g, m in groups]
        rows += _rows("open_label", ev[~blind], items(ev[~blind]), open_groups, {})
    return pd.DataFrame(rows)
