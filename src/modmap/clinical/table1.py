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


def table1(
    baseline_rows: pd.DataFrame,
    rows: Sequence[Mapping[str, Any]],
    *,
    arms: Sequence[str],
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
    names = {"mean_sd": "mean (SD)", "median_iqr": "median (IQR)", "n_percent": "n (%)"}
    for i, spec in enumerate(rows):
        where = f"clinical.table1[{i}]"
        column = spec["column"]
        if column not in baseline_rows.columns:
            raise InputError(
                f"config {where}: column {column!r} is not in the clinical table (columns: "
                f"{', '.join(map(str, baseline_rows.columns))})."
            )
        summary = spec.get("summary", "mean_sd")
        values = (
            _indicator(baseline_rows[column], spec, where)
            if summary == "n_percent"
            else _numbers(baseline_rows[column], spec, where)
        )
        row = {
            "variable": column,
            "label": spec.get("label") or column,
            "statistic": names.get(summary, summary),
        }
        for g in groups:
            text, n = summarise(values[masks[g]], summary=summary, digits=spec.get("digits", 1))
            row[g], row[f"{g}_n"] = text, n
        out.append(row)
    return pd.DataFrame(
        out, columns=["variable", "label", "statistic", *(c for g in groups for c in (g, f"{g}_n"))]
    )
