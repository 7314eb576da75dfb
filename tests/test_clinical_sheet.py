"""Table 1 rows read from the sample sheet (modmap.clinical.sheet), on hand-made sheets.

Expected summaries are computed here with the ``statistics`` module (mean, sample SD) from the
values written in the sheet, not with modmap's summaries.
"""

from __future__ import annotations

import statistics

import numpy as np
import pandas as pd
import pytest

from modmap.clinical.sheet import sheet_characteristics
from modmap.clinical.table1 import table1
from modmap.errors import InputError

ROWS = [
    {"column": "sex", "summary": "n_percent", "level": "F", "label": "Female"},
    {"column": "age", "summary": "mean_sd", "label": "Age, years"},
]


def _sheet(rows):
    return pd.DataFrame(rows, columns=["sample_id", "subject_id", "timepoint", "age", "sex"])


SHEET = _sheet(
    [
        ("a_D1", "a", "D1", "3", "F"),
        ("a_M6", "a", "M6", "4", "F"),  # a year older at M6: the D1 sample decides
        ("b_M1", "b", "M1", "10", "M"),  # no D1 sample: its samples agree
        ("b_M6", "b", "M6", "10", "M"),
        ("c_D1", "c", "D1", "", "F"),  # empty at D1: the other samples decide
        ("c_M1", "c", "M1", "7", "F"),
        ("d_D1", "d", "D1", "12", " F "),
        ("HC1", "HC1", "", "9", "M"),  # not in the clinical table
    ]
)


def _values(sheet=SHEET, subjects=("a", "b", "c", "d", "e"), **options):
    return sheet_characteristics(
        sheet,
        list(subjects),
        sheet_path="s.tsv",
        rows=ROWS,
        baseline="D1",
        **{"visit_column": "timepoint", **options},
    )


def test_one_value_per_subject_at_the_baseline():
    out = _values()
    assert out.index.tolist() == ["a", "b", "c", "d", "e"]
    assert out["age"].tolist() == ["3", "10", "7", "12", ""]  # e: no sample
    assert out["sex"].tolist() == ["F", "M", "F", "F", ""]


def test_without_a_visit_column_samples_that_disagree_are_an_error():
    with pytest.raises(InputError) as err:
        _values(visit_column=None)
    assert str(err.value) == (
        "s.tsv lines 2, 3, column 'age': the samples of subject 'a' disagree ('3', '4'); Table 1 "
        "needs one value per subject at the baseline. Write one value on every sample of the "
        "subject, or set config clinical.table1_samples.visit_column so that its baseline "
        "sample decides."
    )
    # agreeing samples are fine without one
    assert _values(visit_column=None, subjects=["b", "c"])["age"].tolist() == ["10", "7"]


def test_two_baseline_samples_that_disagree_are_an_error():
    sheet = pd.concat([SHEET, _sheet([("d_D1b", "d", "D1", "13", "F")])], ignore_index=True)
    with pytest.raises(InputError, match=r"s.tsv lines 8, 10, column 'age': .* subject 'd'"):
        _values(sheet)


@pytest.mark.parametrize(
    "options,rows,expected",
    [
        (
            {"visit_column": "visit"},
            ROWS,
            "config clinical.table1_samples.visit_column: column 'visit' is not in the sample "
            "sheet s.tsv",
        ),
        (
            {"subject_column": "patient"},
            ROWS,
            "config clinical.table1_samples.subject_column: column 'patient'",
        ),
        ({}, [{"column": "gender"}], "config clinical.table1_samples.rows[0].column: column "),
    ],
)
def test_missing_columns_name_the_config_key(options, rows, expected):
    with pytest.raises(InputError) as err:
        sheet_characteristics(SHEET, ["a"], sheet_path="s.tsv", rows=rows, baseline="D1", **options)
    assert str(err.value).startswith(expected)


def test_text_in_a_numeric_row_names_the_line():
    sheet = SHEET.copy()
    sheet.loc[3, "age"] = "ten"
    with pytest.raises(InputError, match=r"s.tsv line 5, column 'age': 'ten' is not a number"):
        _values(sheet)


def test_table1_rows_from_the_sheet_come_first_and_match_an_independent_summary():
    base = pd.DataFrame(
        {
            "subject_id": ["a", "b", "c", "d", "e"],
            "arm": ["x", "x", "y", "y", "y"],
            "crp": [10.0, 20.0, 30.0, 40.0, np.nan],
        }
    )
    out = table1(
        base,
        [{"column": "crp"}],
        arms=["x", "y"],
        sheet_values=_values(),
        sheet_rows=ROWS,
    )
    assert out["variable"].tolist() == ["subjects", "sex", "age", "crp"]
    out = out.set_index("variable")
    ages = {"x": [3, 10], "y": [7, 12], "overall": [3, 10, 7, 12]}  # e has no age
    for group, x in ages.items():
        sd = statistics.stdev(x)
        assert out.loc["age", group] == f"{statistics.mean(x):.1f} ({sd:.1f})", group
        assert out.loc["age", f"{group}_n"] == len(x)
    # female: a, c, d of the 4 with a value (x: a of a, b; y: c, d of c, d)
    assert out.loc["sex", ["x", "y", "overall"]].tolist() == ["1 (50.0)", "2 (100.0)", "3 (75.0)"]
    assert out.loc["sex", "overall_n"] == 4
