"""Reading the clinical table: canonical columns, mapping, and one clear error per bad input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from modmap.clinical.columns import COLUMNS
from modmap.clinical.reading import check_clinical, read_table
from modmap.errors import InputError

VISITS = ["D1", "M1", "M6"]
HEADER = [
    "subject_id",
    "visit",
    "arm",
    "physician_global",
    "patient_global",
    "active_joints",
    "limited_joints",
    "chaq",
    "esr",
    "crp",
    "fever_days",
]
GOOD = [
    ["s1", "D1", "a", "60", "50", "10", "8", "1.5", "50", "80", "3"],
    ["s1", "M1", "a", "20", "", "3", "4", "1.0", "20", "5", "0"],
    ["s2", "D1", "b", "50", "40", "1", "0", "1", "40", "30", "NA"],
]


def _raw(rows=GOOD, header=HEADER):
    return pd.DataFrame(rows, columns=header, dtype=str)


def _check(raw, **kwargs):
    return check_clinical(raw, path="clin.tsv", visits=VISITS, baseline="D1", **kwargs)


def test_good_table_is_typed():
    out = _check(_raw())
    assert out["physician_global"].dtype == np.float64
    assert np.isnan(out.loc[1, "patient_global"]) and np.isnan(out.loc[2, "fever_days"])
    assert out["saa"].isna().all()  # optional column absent: all missing
    assert out["systemic_symptoms"].isna().all()
    assert out["arm"].tolist() == ["a", "a", "b"]


def test_columns_are_mapped_from_the_config():
    raw = _raw(header=["ID", *HEADER[1:3], "PGA", *HEADER[4:]])
    out = _check(raw, columns={"subject_id": "ID", "physician_global": "PGA"})
    assert out["subject_id"].tolist() == ["s1", "s1", "s2"]
    assert out["physician_global"].tolist() == [60, 20, 50]


def test_csv_is_read_by_name(tmp_path):
    path = tmp_path / "clin.csv"
    _raw().to_csv(path, index=False)
    assert read_table(path).shape == (3, len(HEADER))


def _bad(rows=None, header=HEADER, **kwargs):
    with pytest.raises(InputError) as err:
        _check(_raw(rows or GOOD, header), **kwargs)
    return str(err.value)


def _with(row, column, value):
    rows = [list(r) for r in GOOD]
    rows[row][HEADER.index(column)] = value
    return rows


@pytest.mark.parametrize(
    "rows,expected",
    [
        # unknown visit: file, line, column, value, fix
        (
            _with(1, "visit", "M 1"),
            r"clin.tsv line 3, column 'visit': visit 'M 1' is not one of clinical.visits .*add the "
            r"visit to clinical.visits",
        ),
        # duplicated subject-visit: both lines
        (
            _with(1, "visit", "D1"),
            r"clin.tsv: subject 's1' has visit 'D1' on lines 2, 3 .*Keep one row per subject",
        ),
        # negative count
        (
            _with(0, "active_joints", "-2"),
            r"clin.tsv line 2, column 'active_joints': '-2' is a negative count .*Counts are 0 "
            r"or more",
        ),
        (_with(0, "active_joints", "2.5"), r"line 2, column 'active_joints': '2.5' is not a whole"),
        # text in a numeric column
        (
            _with(2, "esr", "high"),
            r"clin.tsv line 4, column 'esr': 'high' is not a number \(esr, mm/h.*leave the cell "
            r"empty",
        ),
        # out of range
        (_with(0, "chaq", "4"), r"line 2, column 'chaq': '4' is above 3 \(chaq, CHAQ score, 0-3\)"),
        (_with(0, "fever_days", "9"), r"line 2, column 'fever_days': '9' is above 8"),
        # baseline missing for a subject
        (
            _with(2, "visit", "M6"),
            r"clin.tsv: subject 's2' \(first on line 4\) has no row for the baseline visit "
            r"'D1'.*add the baseline row",
        ),
        # arm changes within a subject
        (_with(1, "arm", "b"), r"subject 's1' has arms 'a', 'b' in column 'arm' \(lines 2, 3\)"),
        (_with(1, "subject_id", " "), r"line 3, column 'subject_id': empty subject_id"),
    ],
)
def test_bad_values_get_one_clear_error(rows, expected):
    assert re.search(expected, _bad(rows)), _bad(rows)


def test_missing_required_column_suggests_the_mapping():
    header = [h if h != "chaq" else "CHAQ_score" for h in HEADER]
    message = _bad(header=header)
    assert "clin.tsv: no column 'chaq'" in message
    assert "clinical.columns: {chaq: <your column>}" in message


def test_mapping_to_a_missing_column_says_so():
    message = _bad(columns={"chaq": "CHAQ"})
    assert "no column 'CHAQ'" in message and "mapped from chaq in clinical.columns" in message


def test_unknown_mapping_key():
    assert "'pga' is not a clinical column" in _bad(columns={"pga": "PGA"})


def test_bad_yes_no():
    rows = [[*r, "maybe" if i == 1 else "yes"] for i, r in enumerate(GOOD)]
    message = _bad(rows=rows, header=[*HEADER, "systemic_symptoms"])
    assert "line 3, column 'systemic_symptoms': 'maybe' is not yes or no" in message


def test_baseline_must_be_a_visit():
    with pytest.raises(InputError, match="clinical.baseline: 'D0' is not one of"):
        check_clinical(_raw(), path="x", visits=VISITS, baseline="D0")


def test_the_schema_describes_every_column_with_its_unit():
    schema = yaml.safe_load(
        (
            Path(__file__).resolve().parents[1] / "workflow" / "schemas" / "clinical.schema.yaml"
        ).read_text()
    )
    assert list(schema["properties"]) == [c.name for c in COLUMNS]
    assert schema["required"] == [c.name for c in COLUMNS if c.required]
    for column in COLUMNS:
        prop = schema["properties"][column.name]
        assert prop["description"], column.name
        if column.minimum is not None:
            assert prop["minimum"] == column.minimum, column.name
        if column.maximum is not None:
            assert prop["maximum"] == column.maximum, column.name
        if column.kind in ("number", "count"):
            unit = column.unit.split(",")[0].split(" on ")[0].split(" of ")[0]
            assert unit.split()[0].lower() in prop["description"].lower(), (column.name, unit)
