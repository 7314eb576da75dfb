"""Checks shared by the longitudinal tables: columns, numbers, one value per cell, groups."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from modmap.errors import InputError, first_true

#: Group label of every subject when a table is not split by a column.
ALL = "all"


def require_columns(table: pd.DataFrame, columns: Sequence[str], *, where: str, fix: str) -> None:
    """Raise :class:`InputError` naming the columns of ``columns`` that ``table`` lacks."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(
            f"{where}: missing column(s) {', '.join(missing)}; found "
            f"{', '.join(map(str, table.columns))}. {fix}"
        )


def numeric_column(table: pd.DataFrame, column: str, *, where: str) -> pd.Series:
    """``table[column]`` as float64; empty cells are NaN, any other text is an error.

    Row numbers in messages are 1-based data rows (the header is row 0), as in the other checks.
    """
    raw = table[column]
    text = raw.astype(str).str.strip()
    empty = raw.isna() | text.isin(["", "NA", "nan", "NaN"])
    values = pd.to_numeric(text.where(~empty, None), errors="coerce")
    bad = values.isna() & ~empty
    if bad.any():
        i = first_true(bad)
        raise InputError(
            f"{where} row {i + 1}, column {column}: {raw.iloc[i]!r} is not a number. "
            "Write a number, or leave the cell empty for a missing value."
        )
    return values.astype(np.float64)


def check_unique(table: pd.DataFrame, keys: Sequence[str], *, where: str) -> None:
    """One row per ``keys``: a duplicated key is an error naming its rows."""
    dup = table.duplicated(list(keys), keep=False)
    if dup.any():
        first = table[dup].iloc[0]
        rows = [int(i) + 1 for i in np.flatnonzero(dup.to_numpy())[:6]]
        key = ", ".join(f"{k}={first[k]!r}" for k in keys)
        raise InputError(
            f"{where}: more than one row for {key} (rows {', '.join(map(str, rows))}). "
            "Keep one value per key (average repeated measurements before, and say so)."
        )


def subject_groups(
    samples: pd.DataFrame, *, subject_column: str, group_by: str, where: str
) -> pd.Series:
    """Group of each subject from the validated sample sheet (one value per subject).

    Parameters
    ----------
    samples
        ``results/validated/samples.tsv`` (all columns text).
    subject_column, group_by
        Sample-sheet columns with the subject ID and the group (e.g. ``arm``, ``responder``).
    where
        Config key for messages.

    Returns
    -------
    pandas.Series
        subject -> group; subjects whose group cell is empty are left out.
    """
    require_columns(
        samples,
        [subject_column, group_by],
        where=f"{where}: results/validated/samples.tsv",
        fix=f"Set {where} to columns of the sample sheet.",
    )
    sheet = samples[[subject_column, group_by]].astype(str).apply(lambda c: c.str.strip())
    sheet = sheet[(sheet[subject_column] != "") & (sheet[group_by] != "")]
    per = sheet.drop_duplicates()
    clash = per[per.duplicated(subject_column, keep=False)]
    if len(clash):
        s = clash.iloc[0][subject_column]
        vals = sorted(clash[clash[subject_column] == s][group_by])
        raise InputError(
            f"{where}: subject {s!r} has several {group_by} values in the sample sheet "
            f"({', '.join(vals)}); a subject must stay in one group. Fix the sample sheet or "
            "group by another column."
        )
    return per.set_index(subject_column)[group_by]


def attach_group(
    table: pd.DataFrame,
    *,
    group_by: str | None,
    samples: pd.DataFrame | None,
    sheet_subject_column: str = "subject_id",
    where: str,
) -> pd.Series:
    """The group of every row of ``table``: its own ``group_by`` column, else the sample sheet's.

    ``table`` has a ``subject_id`` column; the sample sheet's subject column is
    ``sheet_subject_column``. ``group_by`` None: every row is in group :data:`ALL`. Rows whose
    subject has no group (not in the sample sheet, or an empty cell) are an error naming them.
    """
    if group_by is None:
        return pd.Series(ALL, index=table.index, dtype=object)
    if group_by in table.columns:
        groups = table[group_by].astype(str).str.strip()
        groups = groups.where(~table[group_by].isna(), "")
    else:
        if samples is None:
            raise InputError(
                f"{where}: the table has no column {group_by!r} to group by. Add it, or set "
                "group_by to one of its columns (or null)."
            )
        per_subject = subject_groups(
            samples, subject_column=sheet_subject_column, group_by=group_by, where=where
        )
        groups = table["subject_id"].map(per_subject).fillna("")
    missing = sorted(set(table.loc[groups == "", "subject_id"].astype(str)))
    if missing:
        raise InputError(
            f"{where}: no {group_by} for subject(s) {', '.join(missing[:10])}"
            f"{' ...' if len(missing) > 10 else ''}. Give every subject a {group_by} (in the "
            "table or the sample sheet), or set group_by to null."
        )
    return groups.astype(object)
