"""Derived responders: per subject from the response table, merged into the sample sheet."""

from __future__ import annotations

import pandas as pd
import pytest

from modmap.clinical.responders import derive_responders, merge_responders
from modmap.errors import InputError

RESPONSE = pd.DataFrame(
    {
        "subject_id": ["s1", "s2", "s3", "s1", "s2"],
        "visit": ["M1", "M1", "M1", "M6", "M6"],
        "primary": ["no", "yes", "", "yes", "no"],
    }
)
SHEET = pd.DataFrame(
    {
        "sample_id": ["a", "b", "c", "d", "e", "h1"],
        "subject_id": ["s1", "s1", "s2", "s3", "s4", ""],
        "group": ["patient"] * 5 + ["healthy"],
    }
)


def test_derive_at_a_visit():
    out = derive_responders(RESPONSE, ["s1", "s2", "s3", "s4"], definition="primary", visit="M6")
    # s3 has no M6 row and s4 no rows at all: empty (undecided)
    assert out["responder"].tolist() == ["yes", "no", "", ""]
    out = derive_responders(RESPONSE, ["s1", "s2", "s3"], definition="primary", visit="M1")
    assert out["responder"].tolist() == ["no", "yes", ""]


def test_unknown_definition():
    with pytest.raises(InputError, match="'acr30' is not a response definition"):
        derive_responders(RESPONSE, ["s1"], definition="acr30", visit="M1")


def test_merge_puts_the_subjects_value_on_every_sample():
    responders = derive_responders(RESPONSE, ["s1", "s2", "s3"], definition="primary", visit="M6")
    out = merge_responders(
        SHEET,
        responders,
        column="resp",
        subject_column="subject_id",
        sheet_path="samples.tsv",
        clinical_path="clinical.tsv",
    )
    assert out["resp"].tolist() == ["yes", "yes", "no", "", "", ""]
    assert list(out.columns) == [*SHEET.columns, "resp"]


def test_a_typed_column_of_the_same_name_is_an_error_saying_which_to_keep():
    sheet = SHEET.assign(responder="yes")
    with pytest.raises(InputError) as err:
        merge_responders(
            sheet,
            RESPONSE[["subject_id"]].assign(responder="no"),
            column="responder",
            subject_column="subject_id",
            sheet_path="samples.tsv",
            clinical_path="clinical.tsv",
        )
    message = str(err.value)
    assert "samples.tsv: the sample sheet has a column 'responder'" in message
    assert "remove the column 'responder' from the sample sheet" in message
    assert "set clinical.responder.column to another name" in message


def test_missing_subject_column():
    with pytest.raises(InputError, match="no column 'patient' to link samples"):
        merge_responders(
            SHEET,
            RESPONSE,
            column="r",
            subject_column="patient",
            sheet_path="samples.tsv",
            clinical_path="clinical.tsv",
        )
