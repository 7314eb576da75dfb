"""Responders derived from the clinical data, and their column in the sample sheet.

The config names the definition and the visit (``clinical.responder``): e.g. the primary endpoint
at M6. Each subject of the clinical table gets ``yes``/``no``, or an empty cell when the response
cannot be decided (missing values, or no row for that visit). The sample sheet gets the value of
its subject on every one of the subject's samples; samples of subjects not in the clinical table
(healthy controls) get an empty cell.
"""

from __future__ import annotations

import pandas as pd

from modmap.clinical.definitions import DEFINITIONS
from modmap.errors import InputError

__all__ = ["RESPONDER", "derive_responders", "merge_responders"]

#: Name of the value column of results/clinical/responders.tsv.
RESPONDER = "responder"


def derive_responders(
    response: pd.DataFrame, subjects: list[str], *, definition: str, visit: str
) -> pd.DataFrame:
    """Responder status of every subject for one definition at one visit.

    Parameters
    ----------
    response
        Output of :func:`modmap.clinical.definitions.response_table`.
    subjects
        Every subject of the clinical table, in the order wanted.
    definition
        A name of :data:`~modmap.clinical.definitions.DEFINITIONS` (e.g. ``primary``).
    visit
        The visit assessed (not the baseline).

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``responder`` (``yes``/``no``/``""``).
    """
    if definition not in DEFINITIONS:
        raise InputError(
            f"config clinical.responder.definition: {definition!r} is not a response definition "
            f"(one of {', '.join(DEFINITIONS)}; see docs/clinical.md)."
        )
    at = response[response["visit"] == visit].set_index("subject_id")[definition]
    return pd.DataFrame({"subject_id": subjects, RESPONDER: [at.get(s, "") for s in subjects]})


def merge_responders(
    sheet: pd.DataFrame,
    responders: pd.DataFrame,
    *,
    column: str,
    subject_column: str,
    sheet_path: str,
    clinical_path: str,
) -> pd.DataFrame:
    """Add the derived responder column to a checked sample sheet.

    Parameters
    ----------
    sheet
        Checked sample sheet (:func:`modmap.config.check_sample_sheet`), cells as text.
    responders
        ``subject_id``, ``responder`` (:func:`derive_responders` or responders.tsv).
    column
        Name of the new column (config ``clinical.responder.column``).
    subject_column
        Sample-sheet column holding the subject IDs of the clinical table
        (config ``clinical.responder.subject_column``).
    sheet_path, clinical_path
        For messages.

    Returns
    -------
    pandas.DataFrame
        The sheet with ``column`` appended (text: yes/no, empty when unknown or not a patient).

    Raises
    ------
    InputError
        The sheet already has a column of that name (a hand-typed one), or lacks the subject
        column.
    """
    if column in sheet.columns:
        raise InputError(
            f"{sheet_path}: the sample sheet has a column {column!r}, and clinical.responder "
            f"derives a column of the same name from {clinical_path}. Keep one: to use the "
            f"derived responders remove the column {column!r} from the sample sheet; to keep the "
            "typed one set clinical.responder.column to another name (or remove "
            "clinical.responder from the config)."
        )
    if subject_column not in sheet.columns:
        raise InputError(
            f"{sheet_path}: no column {subject_column!r} to link samples to the subjects of "
            f"{clinical_path}. Add the subject IDs to the sample sheet or set "
            "clinical.responder.subject_column to the column that holds them."
        )
    status = dict(zip(responders["subject_id"].astype(str), responders[RESPONDER], strict=True))
    values = [
        "" if pd.isna(status.get(s, "")) else str(status.get(s, "")) for s in sheet[subject_column]
    ]
    return sheet.assign(**{column: values})
