"""Table 1: baseline characteristics by arm and overall."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from modmap.clinical.summaries import summarise
from modmap.errors import InputError

__all__ = ["OVERALL", "table1"]

#: Name of the all-subjects column group.
OVERALL = "overall"


def _indicator(values: pd.Series, spec: Mapping[str, Any], where: str) -> np.ndarray:
    """1/0/NaN: the row's characteristic is present (level for text, > above for numbers)."""
    if values.dtype == object or values.dtype == bool or str(values.dtype) == "boolean":
        if str(values.dtype) == "boolean":
            values = values.map({True: "yes", False: "no"})
        level = str(spec.get("level", "yes"))
        text = values.astype(object)
        missing = text.isna() | (text.astype(str).str.strip().isin(["", "NA"]))
        return np.where(missing, np.nan, (text.astype(str).str.strip() == level).astype(float))
    above = spec.get("above")
    if above is None:
        raise InputError(
            f"config {where}: column {spec['column']!r} is numeric; an n_percent row on it "
            "needs 'above' (count the subjects whose value is above it), e.g. above: 0."
        )
    x = values.to_numpy(dtype=np.float64)
    return np.where(np.isnan(x), np.nan, (x > float(above)).astype(float))


def _numbers(values: pd.Series, spec, where: str) -> np.ndarray:
    try:
        return pd.to_numeric(values.replace({"": np.nan, "NA": np.nan})).to_numpy(dtype=np.float64)
    except (ValueError, TypeError):
        raise InputError(
            f"config {where}: column {spec['column']!r} holds text; {spec['summary']} needs "
            "numbers. Use summary: n_percent with a level, or another column."
        ) from None


def _summary_row(
    values: pd.Series,
    spec: Mapping[str, Any],
    *,
    where: str,
    masks: Mapping[str, np.ndarray],
) -> dict[str, Any]:
    """One row of Table 1: the column's values summarised per group (``masks``)."""
    summary = spec.get("summary", "mean_sd")
    x = _indicator(values, spec, where) if summary == "n_percent" else _numbers(values, spec, where)
    names = {"mean_sd": "mean (SD)", "median_iqr": "median (IQR)", "n_percent": "n (%)"}
    row = {
        "variable": spec["column"],
        "label": spec.get("label") or spec["column"],
        "statistic": names.get(summary, summary),
    }
    for g, mask in masks.items():
        text, n = summarise(x[mask], summary=summary, digits=spec.get("digits", 1))
        row[g], row[f"{g}_n"] = text, n
    return row


def table1(
    baseline_rows: pd.DataFrame,
    rows: Sequence[Mapping[str, Any]],
    *,
    arms: Sequence[str],
    sheet_values: pd.DataFrame | None = None,
    sheet_rows: Sequence[Mapping[str, Any]] = (),
) -> pd.DataFrame:
    """Baseline characteristics: one row per configured variable, columns per arm and overall.

    Parameters
    ----------
    baseline_rows
        The baseline rows of the checked clinical table (one per subject).
    rows
        Config ``clinical.table1``: each ``{column, summary, label?, digits?, level?, above?}``
        with ``summary`` ``mean_sd``, ``median_iqr`` or ``n_percent`` (text columns count
        ``level``, default ``yes``; numeric columns count values ``> above``).
    arms
        Arms in column order.
    sheet_values
        Per-subject values from the sample sheet (:func:`modmap.clinical.sheet.
        sheet_characteristics`: index subject_id, text cells, ``""`` = missing), or None.
    sheet_rows
        Config ``clinical.table1_samples.rows`` (items as ``rows``) on ``sheet_values``'
        columns; they come first, after ``subjects`` (the paper's demographic features).

    Returns
    -------
    pandas.DataFrame
        ``variable``, ``label``, ``statistic`` (``mean (SD)``, ``median (IQR)``, ``n (%)``), then
        for each arm and ``overall``: ``<group>`` (the summary text) and ``<group>_n`` (values
        summarised). The first row, ``subjects``, gives the number of subjects.
    """
    groups = [*arms, OVERALL]
    masks = {a: (baseline_rows["arm"] == a).to_numpy() for a in arms}
    masks[OVERALL] = np.ones(len(baseline_rows), dtype=bool)
    first = {"variable": "subjects", "label": "Subjects", "statistic": "n"}
    for g in groups:
        first[g] = str(int(masks[g].sum()))
        first[f"{g}_n"] = int(masks[g].sum())
    out = [first]
    if sheet_rows:
        sheet = sheet_values.reindex(baseline_rows["subject_id"].to_numpy()).fillna("")
        for i, spec in enumerate(sheet_rows):
            values = sheet[spec["column"]].astype(object)  # text (pandas may type it as str)
            if spec.get("summary") == "n_percent" and spec.get("above") is not None:
                values = pd.to_numeric(values.replace({"": np.nan, "NA": np.nan}))
            out.append(
                _summary_row(
                    values.reset_index(drop=True),
                    spec,
                    where=f"clinical.table1_samples.rows[{i}]",
                    masks=masks,
                )
            )
    for i, spec in enumerate(rows):
        where = f"clinical.table1[{i}]"
        column = spec["column"]
        if column not in baseline_rows.columns:
            raise InputError(
                f"config {where}: column {column!r} is not in the clinical table (columns: "
                f"{', '.join(map(str, baseline_rows.columns))})."
            )
        out.append(_summary_row(baseline_rows[column], spec, where=where, masks=masks))
    return pd.DataFrame(
        out, columns=["variable", "label", "statistic", *(c for g in groups for c in (g, f"{g}_n"))]
    )
