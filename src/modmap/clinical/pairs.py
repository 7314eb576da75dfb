"""Pair each visit of a subject with its reference visit (the baseline or the previous visit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd

__all__ = ["visit_pairs"]


def visit_pairs(
    clinical: pd.DataFrame,
    *,
    visits: Sequence[str],
    baseline: str,
    reference: Literal["baseline", "previous"] = "baseline",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of the reference visit and of the visit assessed, aligned position by position.

    Parameters
    ----------
    clinical
        Checked clinical table (one row per subject and visit, ``subject_id`` and ``visit``).
    visits
        Visit order.
    baseline
        Baseline visit name.
    reference
        ``baseline``: every non-baseline visit against the subject's baseline row;
        ``previous``: every visit against the subject's previous visit present in the table
        (in ``visits`` order; a subject's first visit has none and is left out).

    Returns
    -------
    reference_rows, current_rows
        Two tables with the columns of ``clinical`` and a fresh 0..n-1 index, ordered by visit
        (in ``visits`` order) then by first appearance of the subject; ``current_rows`` gets a
        ``reference_visit`` column.
    """
    order = {v: i for i, v in enumerate(visits)}
    subjects = {s: i for i, s in enumerate(dict.fromkeys(clinical["subject_id"]))}
    table = clinical.assign(
        _v=clinical["visit"].map(order), _s=clinical["subject_id"].map(subjects)
    ).sort_values(["_s", "_v"], kind="stable")
    if reference == "baseline":
        cur = table[table["visit"] != baseline].reset_index(drop=True)
        ref = table[table["visit"] == baseline].set_index("subject_id")
        ref_rows = ref.loc[cur["subject_id"]].reset_index()
    else:
        prev = table.groupby("subject_id", sort=False).shift(1)
        has = prev["visit"].notna().to_numpy()
        cur = table[has].reset_index(drop=True)
        ref_rows = prev[has].reset_index(drop=True).assign(subject_id=cur["subject_id"])
    cur = cur.assign(reference_visit=ref_rows["visit"].to_numpy())
    key = cur.sort_values(["_v", "_s"], kind="stable").index
    cols = list(clinical.columns)
    return (
        ref_rows.loc[key, cols].reset_index(drop=True),
        cur.loc[key, [*cols, "reference_visit"]].reset_index(drop=True),
    )
