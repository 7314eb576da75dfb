"""Tables 1-3 of the trial from the clinical stage's inputs, in one call (rule clinical_tables)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from modmap.clinical.events import check_adverse_events, check_followup
from modmap.clinical.reading import check_clinical
from modmap.clinical.sheet import sheet_characteristics
from modmap.clinical.table1 import table1
from modmap.clinical.table2 import table2
from modmap.clinical.table3 import table3
from modmap.errors import InputError

__all__ = ["trial_tables"]


def trial_tables(
    raw_clinical: pd.DataFrame,
    response: pd.DataFrame,
    *,
    clinical_path: str,
    visits: Sequence[str],
    baseline: str,
    columns: Mapping[str, str] | None = None,
    arms: Sequence[str] | None = None,
    table1_rows: Sequence[Mapping[str, Any]] = (),
    table2_visit: str,
    table2_rows: Sequence[Mapping[str, Any]],
    table2_changes: Sequence[str],
    table2_missing: Literal["non_responder", "exclude"] = "non_responder",
    crp_below: float = 15.0,
    raw_events: pd.DataFrame | None = None,
    events_path: str = "",
    raw_followup: pd.DataFrame | None = None,
    followup_path: str = "",
    double_blind_until: str | None = None,
    table1_sheet: Mapping[str, Any] | None = None,
    raw_sheet: pd.DataFrame | None = None,
    sheet_path: str = "",
) -> dict[str, pd.DataFrame]:
    """Check the inputs and build ``table1``, ``table2`` and (with events) ``table3``.

    Parameters
    ----------
    raw_clinical
        The clinical table as read (text), checked here with ``visits``, ``baseline``,
        ``columns``; every arm of the table must be in ``arms`` (when given).
    response
        results/clinical/response.tsv (cells as text).
    arms
        Arm order; ``None`` = order of first appearance in the clinical table. An arm named in
        the config but absent from the table is kept (with zero subjects).
    table1_rows
        Config ``clinical.table1``.
    table2_visit, table2_rows, table2_changes, table2_missing, crp_below
        Options of :func:`modmap.clinical.table2.table2`.
    raw_events, raw_followup
        The adverse-event and follow-up tables as read, or ``None`` (no Table 3).
    double_blind_until
        Config ``clinical.double_blind_until``: Table 3's split into the double-blind and
        open-label periods (:func:`modmap.clinical.table3.table3`), or None.
    table1_sheet
        Config ``clinical.table1_samples`` (``rows``, ``subject_column``, ``visit_column``):
        Table 1 rows read from the sample sheet, or None.
    raw_sheet, sheet_path
        The sample sheet as read (:func:`modmap.io.read_sample_sheet`) and its path; needed
        with ``table1_sheet``.

    Returns
    -------
    dict
        ``{"table1": ..., "table2": ..., "table3": ...}`` (``table3`` only with events).
    """
    clinical = check_clinical(
        raw_clinical, path=clinical_path, visits=visits, baseline=baseline, columns=columns
    )
    arm_list = list(arms) if arms else list(dict.fromkeys(clinical["arm"]))
    unlisted = [a for a in dict.fromkeys(clinical["arm"]) if a not in arm_list]
    if unlisted:
        raise InputError(
            f"{clinical_path}: arm(s) {', '.join(map(repr, unlisted))} are not in clinical.arms "
            f"({', '.join(map(repr, arm_list))}). List every arm of the table in clinical.arms "
            "(or remove clinical.arms to take them in order of appearance)."
        )
    base = clinical[clinical["visit"] == baseline]
    sheet_rows = list((table1_sheet or {}).get("rows") or [])
    sheet_values = (
        sheet_characteristics(
            raw_sheet,
            list(base["subject_id"]),
            sheet_path=sheet_path,
            baseline=baseline,
            **table1_sheet,
        )
        if sheet_rows
        else None
    )
    out = {
        "table1": table1(
            base, table1_rows, arms=arm_list, sheet_values=sheet_values, sheet_rows=sheet_rows
        ),
        "table2": table2(
            response,
            clinical,
            visit=table2_visit,
            arms=arm_list,
            visits=visits,
            baseline=baseline,
            rows=table2_rows,
            changes=table2_changes,
            missing=table2_missing,
            crp_below=crp_below,
        ),
    }
    if raw_events is not None and raw_followup is not None:
        subjects = list(dict.fromkeys(clinical["subject_id"]))
        events = check_adverse_events(
            raw_events, path=events_path, subjects=subjects, visits=visits
        )
        followup = check_followup(raw_followup, path=followup_path, subjects=subjects)
        arm_of = base.set_index("subject_id")["arm"]
        out["table3"] = table3(
            events,
            followup,
            arm_of,
            arms=arm_list,
            visits=visits,
            double_blind_until=double_blind_until,
            last_visit=clinical.groupby("subject_id", sort=False)["visit"].agg(
                lambda v: max(v, key=list(visits).index)
            ),
        )
    return out
