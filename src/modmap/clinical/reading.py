"""Reading and checking the long clinical table (one row per subject and visit).

:func:`read_table` reads text and nothing else; :func:`check_clinical` checks and converts it
(pure). Every problem is one :class:`~modmap.errors.InputError` naming the file, the line, the
column, the value and the fix. Line numbers count the header as line 1.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from modmap.clinical.columns import COLUMNS
from modmap.errors import InputError, first_true

__all__ = ["MISSING", "check_clinical", "read_table"]

#: Cell values read as a missing value (besides surrounding spaces).
MISSING = ("", "NA")


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a TSV (or ``.csv``) table with every cell as text; empty cells are ``""``."""
    sep = "," if str(path).lower().removesuffix(".gz").endswith(".csv") else "\t"
    return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)


def _show(values, limit: int = 8) -> str:
    values = list(values)
    text = ", ".join(repr(v) for v in values[:limit])
    return text + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def _numbers(cells: pd.Series, *, path: str, column: str, shown: str, unit: str) -> np.ndarray:
    text = cells.str.strip()
    missing = text.isin(MISSING)
    values = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = values.isna() & ~missing
    if bad.any():
        i = first_true(bad)
        raise InputError(
            f"{path} line {i + 2}, column {shown!r}: {cells.iloc[i]!r} is not a number "
            f"({column}, {unit}). Write the number, or leave the cell empty for a missing value."
        )
    return values.to_numpy(dtype=np.float64)


def check_clinical(
    raw: pd.DataFrame,
    *,
    path: str,
    visits: Sequence[str],
    baseline: str,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Check the clinical table and return it with canonical names and typed values.

    Parameters
    ----------
    raw
        The table as read by :func:`read_table` (all cells text).
    path
        Where it came from, for messages.
    visits
        Allowed visit names in time order (config ``clinical.visits``).
    baseline
        The baseline visit (must be in ``visits``; every subject needs a row for it).
    columns
        Canonical name -> column name in the file, for the columns named differently
        (config ``clinical.columns``).

    Returns
    -------
    pandas.DataFrame
        One row per subject and visit in file order: ``subject_id``, ``visit``, ``arm`` (text),
        every number and count of :data:`modmap.clinical.columns.COLUMNS` as float64 (NaN =
        missing; optional columns absent from the file are all NaN), ``systemic_symptoms`` as
        nullable boolean, then the file's other columns as text.

    Raises
    ------
    InputError
        A required column missing (or mapped to a missing column), an empty subject, visit or
        arm, an unknown visit, a subject-visit pair twice, a subject whose arm changes between
        visits, a subject without a baseline row, text in a numeric column, a negative or
        fractional count, a value outside its range, a yes/no column with another value.
    """
    mapping = dict(columns or {})
    known = {c.name for c in COLUMNS}
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise InputError(
            f"config clinical.columns: {_show(unknown)} is not a clinical column (known: "
            f"{_show(sorted(known), limit=30)}). Keys are modmap's names, values your file's."
        )
    if baseline not in visits:
        raise InputError(
            f"config clinical.baseline: {baseline!r} is not one of clinical.visits "
            f"({_show(visits)}). Add it to visits or fix the name."
        )
    if raw.empty:
        raise InputError(f"{path}: the clinical table has a header but no rows.")
    raw = raw.rename(columns=lambda c: c.strip()).reset_index(drop=True)
    out = pd.DataFrame(index=raw.index)
    used = set()
    for col in COLUMNS:
        shown = mapping.get(col.name, col.name)
        if shown not in raw.columns:
            if col.required:
                hint = (
                    f" (mapped from {col.name} in clinical.columns)"
                    if col.name in mapping
                    else f"; if your file names it differently, map it in the config: "
                    f"clinical.columns: {{{col.name}: <your column>}}"
                )
                raise InputError(
                    f"{path}: no column {shown!r} ({col.unit}){hint}. Columns found: "
                    f"{_show(raw.columns, limit=20)}."
                )
            out[col.name] = (
                pd.array([pd.NA] * len(raw), dtype="boolean") if col.kind == "yesno" else np.nan
            )
            continue
        used.add(shown)
        cells = raw[shown].astype(str)
        if col.kind in ("id", "visit", "arm"):
            text = cells.str.strip()
            empty = text == ""
            if empty.any():
                i = first_true(empty)
                raise InputError(
                    f"{path} line {i + 2}, column {shown!r}: empty {col.name}. Every row needs "
                    f"its {col.unit}."
                )
            out[col.name] = text
        elif col.kind == "yesno":
            text = cells.str.strip().str.lower()
            bad = ~text.isin(("yes", "no", *(m.lower() for m in MISSING)))
            if bad.any():
                i = first_true(bad)
                raise InputError(
                    f"{path} line {i + 2}, column {shown!r}: {cells.iloc[i]!r} is not yes or no. "
                    "Write yes or no, or leave the cell empty for a missing value."
                )
            out[col.name] = pd.array(
                [pd.NA if t in ("", "na") else t == "yes" for t in text], dtype="boolean"
            )
        else:
            values = _numbers(cells, path=path, column=col.name, shown=shown, unit=col.unit)
            _check_range(values, cells, col=col, path=path, shown=shown)
            out[col.name] = values
    for extra in raw.columns:
        if extra not in used and extra not in out.columns:
            out[extra] = raw[extra].astype(str).str.strip()
    _check_rows(out, path=path, visits=visits, baseline=baseline, mapping=mapping)
    return out.reset_index(drop=True)


def _check_range(values, cells, *, col, path, shown) -> None:
    present = ~np.isnan(values)
    checks = []
    if col.kind == "count":
        checks.append(
            (
                present & (values < 0),
                "a negative count",
                "Counts are 0 or more: fix the value or leave the cell empty.",
            )
        )
        checks.append(
            (
                present & (values != np.round(values)),
                "not a whole number",
                "Counts are whole numbers: fix the value or leave the cell empty.",
            )
        )
    if col.minimum is not None:
        checks.append(
            (
                present & (values < col.minimum),
                f"below {col.minimum:g}",
                f"{col.name} is in {col.unit}: fix the value (or its unit).",
            )
        )
    if col.maximum is not None:
        checks.append(
            (
                present & (values > col.maximum),
                f"above {col.maximum:g}",
                f"{col.name} is in {col.unit}: fix the value (or its unit).",
            )
        )
    for bad, what, fix in checks:
        if bad.any():
            i = first_true(bad)
            raise InputError(
                f"{path} line {i + 2}, column {shown!r}: {cells.iloc[i].strip()!r} is {what} "
                f"({col.name}, {col.unit}). {fix}"
            )


def _check_rows(table, *, path, visits, baseline, mapping) -> None:
    vcol = mapping.get("visit", "visit")
    scol = mapping.get("subject_id", "subject_id")
    acol = mapping.get("arm", "arm")
    unknown = ~table["visit"].isin(list(visits))
    if unknown.any():
        i = first_true(unknown)
        raise InputError(
            f"{path} line {i + 2}, column {vcol!r}: visit {table['visit'].iloc[i]!r} is not one of "
            f"clinical.visits ({_show(visits)}). Fix the visit name in the table, or add the visit "
            "to clinical.visits in the config (in time order)."
        )
    dup = table.duplicated(["subject_id", "visit"], keep=False).to_numpy()
    if dup.any():
        i = first_true(dup)
        subject, visit = table["subject_id"].iloc[i], table["visit"].iloc[i]
        lines = (
            np.flatnonzero(
                ((table["subject_id"] == subject) & (table["visit"] == visit)).to_numpy()
            )
            + 2
        )
        raise InputError(
            f"{path}: subject {subject!r} has visit {visit!r} on lines "
            f"{', '.join(map(str, lines))} (columns {scol!r}, {vcol!r}). Keep one row per subject "
            "and visit: remove the repeated row or fix its visit."
        )
    arms = table.groupby("subject_id", sort=False)["arm"].nunique()
    if (arms > 1).any():
        subject = arms.index[arms > 1][0]
        rows = table[table["subject_id"] == subject]
        raise InputError(
            f"{path}: subject {subject!r} has arms {_show(rows['arm'].unique())} in column "
            f"{acol!r} (lines {', '.join(str(i + 2) for i in rows.index)}). The arm is the "
            "randomised arm and is the same at every visit: fix the rows."
        )
    has_base = set(table.loc[table["visit"] == baseline, "subject_id"])
    without = [s for s in dict.fromkeys(table["subject_id"]) if s not in has_base]
    if without:
        first = first_true(table["subject_id"] == without[0])
        raise InputError(
            f"{path}: subject {without[0]!r} (first on line {first + 2}) has no row for the "
            f"baseline visit {baseline!r} ({len(without)} subject(s) in all: {_show(without)}). "
            "Every response is measured against the baseline: add the baseline row (with empty "
            "cells for values not measured) or remove the subject."
        )
