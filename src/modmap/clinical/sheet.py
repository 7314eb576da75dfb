"""Per-subject characteristics read from the sample sheet (age, sex, ...) for Table 1.

The sample sheet has one row per sample; Table 1 needs one value per subject at the baseline.
:func:`sheet_characteristics` takes it from the subject's sample at the baseline visit when the
sheet has a visit column (``visit_column``) and the subject has such a sample; otherwise every
sample of the subject must carry the same value (age and sex are per-subject columns), and that
value is used. Pure: the caller reads the sheet (:func:`modmap.io.read_sample_sheet`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from modmap.clinical.reading import MISSING
from modmap.errors import InputError, first_true

__all__ = ["sheet_characteristics"]

_KEY = "clinical.table1_samples"


def _is_numeric(spec: Mapping[str, Any]) -> bool:
    """The row summarises numbers (mean_sd, median_iqr, or n_percent above a value)."""
    summary = spec.get("summary", "mean_sd")
    return summary != "n_percent" or spec.get("above") is not None


def _check_columns(sheet: pd.DataFrame, named: Sequence[tuple[str, str]], path: str) -> None:
    for key, column in named:
        if column not in sheet.columns:
            raise InputError(
                f"config {_KEY}.{key}: column {column!r} is not in the sample sheet {path} "
                f"(columns: {', '.join(map(str, sheet.columns))}). Fix the name or add the "
                "column to the sample sheet."
            )


def _check_numbers(cells: pd.Series, lines: np.ndarray, *, column: str, where: str, path: str):
    values = pd.to_numeric(cells.where(~cells.isin(MISSING)), errors="coerce")
    bad = values.isna() & ~cells.isin(MISSING)
    if bad.any():
        i = first_true(bad)
        raise InputError(
            f"{path} line {lines[i]}, column {column!r}: {cells.iloc[i]!r} is not a number "
            f"(config {where} summarises numbers). Write the number, or leave the cell empty for "
            "a missing value."
        )


def sheet_characteristics(
    sheet: pd.DataFrame,
    subjects: Sequence[str],
    *,
    sheet_path: str,
    rows: Sequence[Mapping[str, Any]],
    subject_column: str = "subject_id",
    visit_column: str | None = None,
    baseline: str,
) -> pd.DataFrame:
    """One value per subject and sample-sheet column named by ``rows``, at the baseline.

    Parameters
    ----------
    sheet
        The sample sheet as read (every cell text, header = line 1 of the file).
    subjects
        Subjects to return, in order (the clinical table's).
    sheet_path
        Path of the sample sheet, for messages.
    rows
        Config ``clinical.table1_samples.rows`` (items as ``clinical.table1``): the columns
        read. A numeric row (``mean_sd``, ``median_iqr``, ``n_percent`` with ``above``) needs
        numbers in its column.
    subject_column
        Sheet column holding the clinical table's subject IDs.
    visit_column
        Sheet column holding the visit (e.g. ``timepoint``), or None. With it, a subject's
        sample at ``baseline`` gives the value; a subject without a baseline sample falls back
        to the rule below.
    baseline
        The baseline visit (config ``clinical.baseline``).

    Returns
    -------
    pandas.DataFrame
        Index ``subjects``; one text column per distinct column of ``rows`` (``""`` = missing:
        no sample of the subject, or only empty cells).

    Raises
    ------
    InputError
        A column (``subject_column``, ``visit_column``, a row's column) not in the sheet; text in
        a numeric row's column; a subject whose samples disagree on a value and have no single
        baseline sample to decide it.
    """
    sheet = sheet.rename(columns=lambda c: str(c).strip())
    columns = list(dict.fromkeys(str(r["column"]) for r in rows))
    named = [("subject_column", subject_column)]
    named += [("visit_column", visit_column)] if visit_column else []
    named += [(f"rows[{i}].column", str(r["column"])) for i, r in enumerate(rows)]
    _check_columns(sheet, named, sheet_path)
    text = sheet[[subject_column, *([visit_column] if visit_column else []), *columns]]
    text = text.loc[:, ~text.columns.duplicated()].apply(lambda c: c.astype(str).str.strip())
    lines = np.arange(2, len(text) + 2)
    for i, spec in enumerate(rows):
        if _is_numeric(spec):
            column = str(spec["column"])
            _check_numbers(
                text[column], lines, column=column, where=f"{_KEY}.rows[{i}]", path=sheet_path
            )
    at_baseline = (
        (text[visit_column] == baseline).to_numpy() if visit_column else np.zeros(len(text), bool)
    )
    out = pd.DataFrame("", index=pd.Index(list(subjects), name="subject_id"), columns=columns)
    wanted = set(out.index)
    for subject, idx in text.groupby(subject_column, sort=False).indices.items():
        if subject not in wanted:
            continue
        base = idx[at_baseline[idx]]
        for column in columns:
            cells = text[column].to_numpy()
            use = base
            values = _values(cells[base])
            if not values:  # no baseline sample, or empty there: every sample of the subject
                use, values = idx, _values(cells[idx])
            if len(values) > 1:
                raise InputError(
                    f"{sheet_path} lines {', '.join(str(n) for n in lines[use])}, column "
                    f"{column!r}: the samples of subject {subject!r} disagree "
                    f"({', '.join(map(repr, values))}); Table 1 needs one value per subject at "
                    f"the baseline. {_fix(use is base, visit_column)}"
                )
            out.loc[subject, column] = values[0] if values else ""
    return out


def _values(cells: np.ndarray) -> list[str]:
    """The distinct non-missing values, in order."""
    return [v for v in dict.fromkeys(cells) if v not in MISSING]


def _fix(at_baseline: bool, visit_column: str | None) -> str:
    if at_baseline:
        return "Give the subject's baseline samples one value."
    if visit_column:
        return "Write one value on every sample of the subject (it has no baseline sample)."
    return (
        "Write one value on every sample of the subject, or set config "
        f"{_KEY}.visit_column so that its baseline sample decides."
    )
