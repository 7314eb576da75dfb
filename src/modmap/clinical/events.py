"""Checking the adverse-event and follow-up tables against the clinical table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from modmap.errors import InputError, first_true

__all__ = ["check_adverse_events", "check_followup"]


def _need(raw: pd.DataFrame, columns: Sequence[str], path: str) -> pd.DataFrame:
    raw = raw.rename(columns=lambda c: c.strip()).reset_index(drop=True)
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise InputError(
            f"{path}: no column(s) {', '.join(map(repr, missing))} (columns found: "
            f"{', '.join(map(repr, raw.columns))}). The table needs {', '.join(columns)}."
        )
    return raw.apply(lambda col: col.astype(str).str.strip())


def _known_subjects(table: pd.DataFrame, subjects: Sequence[str], path: str) -> None:
    unknown = ~table["subject_id"].isin(list(subjects))
    if unknown.any():
        i = first_true(unknown)
        raise InputError(
            f"{path} line {i + 2}, column 'subject_id': subject {table['subject_id'].iloc[i]!r} "
            "is not in the clinical table. Fix the subject ID or add the subject's clinical rows."
        )


def check_adverse_events(
    raw: pd.DataFrame, *, path: str, subjects: Sequence[str], visits: Sequence[str]
) -> pd.DataFrame:
    """Check the adverse-event table (``subject_id, visit, term, serious``).

    Returns
    -------
    pandas.DataFrame
        The four columns as text, ``serious`` as bool (yes = True).

    Raises
    ------
    InputError
        A missing column, an unknown subject or visit, an empty term, ``serious`` not yes/no.
    """
    table = _need(raw, ["subject_id", "visit", "term", "serious"], path)
    _known_subjects(table, subjects, path)
    checks = [
        (
            "visit",
            ~table["visit"].isin(list(visits)),
            f"is not one of clinical.visits ({', '.join(visits)}): write the visit at or after "
            "the onset",
        ),
        ("term", table["term"] == "", "is empty: every event needs its term"),
        (
            "serious",
            ~table["serious"].str.lower().isin(["yes", "no"]),
            "is not yes or no: write yes for a serious adverse event, else no",
        ),
    ]
    for column, bad, what in checks:
        if bad.any():
            i = first_true(bad)
            raise InputError(
                f"{path} line {i + 2}, column {column!r}: {table[column].iloc[i]!r} {what}."
            )
    return table[["subject_id", "visit", "term"]].assign(
        serious=table["serious"].str.lower() == "yes"
    )


def check_followup(raw: pd.DataFrame, *, path: str, subjects: Sequence[str]) -> pd.DataFrame:
    """Check the follow-up table (``subject_id, followup_days``): one row per subject.

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``followup_days`` (float, days of follow-up, >= 0), one row for every
        subject of the clinical table.

    Raises
    ------
    InputError
        A missing column, an unknown or repeated subject, a subject of the clinical table
        without a row, a value that is not a number >= 0.
    """
    table = _need(raw, ["subject_id", "followup_days"], path)
    _known_subjects(table, subjects, path)
    dup = table["subject_id"].duplicated().to_numpy()
    if dup.any():
        i = first_true(dup)
        raise InputError(
            f"{path} line {i + 2}: subject {table['subject_id'].iloc[i]!r} is listed twice. "
            "Give each subject one row with its total days of follow-up."
        )
    days = pd.to_numeric(table["followup_days"], errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(days) | (days < 0)
    if bad.any():
        i = first_true(bad)
        raise InputError(
            f"{path} line {i + 2}, column 'followup_days': {table['followup_days'].iloc[i]!r} "
            "is not a number of days >= 0. Write the days of follow-up of the subject."
        )
    absent = [s for s in subjects if s not in set(table["subject_id"])]
    if absent:
        raise InputError(
            f"{path}: subject(s) {', '.join(map(repr, absent[:8]))} of the clinical table have "
            "no follow-up row. Add their days of follow-up (rates per patient-year need them)."
        )
    return pd.DataFrame({"subject_id": table["subject_id"], "followup_days": days})
