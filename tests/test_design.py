"""Comparisons, selectors and sample-sheet checks (modmap.design) on hand-made sheets."""

from __future__ import annotations

import pandas as pd
import pytest

from modmap.design import check_sample_sheet, resolve_comparisons, select_samples
from modmap.errors import InputError

SHEET = "samples.tsv"


def _sheet(rows: list[tuple[str, ...]]) -> pd.DataFrame:
    cols = ["sample_id", "subject_id", "group", "arm", "timepoint"]
    return check_sample_sheet(pd.DataFrame(rows, columns=cols), path=SHEET)


@pytest.fixture
def sheet() -> pd.DataFrame:
    rows = [(f"HC{i}", f"H{i}", "healthy", "", "") for i in range(1, 5)]
    for s in range(1, 5):
        rows.append((f"P{s}_D1", f"P{s}", "patient", "anakinra", "D1"))
    for s in (1, 2, 3, 5):  # P4 lacks M1; P5 lacks D1
        rows.append((f"P{s}_M1", f"P{s}", "patient", "anakinra", "M1"))
    return _sheet(rows)


def test_unpaired_comparison_lists_exactly_the_selected_samples(sheet):
    comp = {"name": "d1", "case": {"timepoint": "D1"}, "control": {"group": "healthy"}}
    table = resolve_comparisons(sheet, [comp], sheet_path=SHEET, min_group_size=3).table
    assert table[table.role == "case"].sample_id.tolist() == ["P1_D1", "P2_D1", "P3_D1", "P4_D1"]
    assert table[table.role == "control"].sample_id.tolist() == ["HC1", "HC2", "HC3", "HC4"]
    assert set(table.comparison) == {"d1"} and (table.pair == "").all()


def test_list_values_select_any_of_them(sheet):
    mask = select_samples(sheet, {"timepoint": ["D1", "M1"]}, where="x", sheet_path=SHEET)
    assert int(mask.sum()) == 8


def test_paired_comparison_keeps_complete_pairs_and_warns_about_the_rest(sheet):
    comp = {
        "name": "m1_vs_d1",
        "case": {"timepoint": "M1"},
        "control": {"timepoint": "D1"},
        "paired_by": "subject_id",
    }
    resolved = resolve_comparisons(sheet, [comp], sheet_path=SHEET, min_group_size=3)
    table = resolved.table
    case = table[table.role == "case"].set_index("pair").sample_id
    control = table[table.role == "control"].set_index("pair").sample_id
    assert sorted(case.index) == sorted(control.index) == ["P1", "P2", "P3"]
    assert all(case[p] == f"{p}_M1" and control[p] == f"{p}_D1" for p in case.index)
    text = " ".join(resolved.warnings)
    assert "P5" in text and "P4" in text


def test_duplicate_sample_ids_name_the_lines():
    rows = [("A", "s", "g", "", ""), ("B", "s", "g", "", ""), ("A", "t", "g", "", "")]
    with pytest.raises(InputError, match=r"'A' appears on lines 2, 4"):
        _sheet(rows)


def test_missing_id_column_names_the_config_key():
    with pytest.raises(InputError, match="samples.id_column"):
        check_sample_sheet(pd.DataFrame({"sample": ["a"]}), path=SHEET)


def test_cells_are_stripped():
    sheet = _sheet([(" A ", " s", "g ", "", "")])
    assert sheet.loc[0, "sample_id"] == "A" and sheet.loc[0, "group"] == "g"


def _comparison(case: dict, control: dict | None = None, **extra) -> dict:
    """A comparison named ``x`` (control: the healthy samples unless given)."""
    return {"name": "x", "case": case, "control": control or {"group": "healthy"}, **extra}


def _fails(sheet: pd.DataFrame, *comparisons: dict, match: str) -> None:
    """Resolving ``comparisons`` (3 samples a group at least) raises an InputError ~ ``match``."""
    with pytest.raises(InputError, match=match):
        resolve_comparisons(sheet, list(comparisons), sheet_path=SHEET, min_group_size=3)


def test_unknown_value_lists_the_values_found(sheet):
    comp = _comparison({"timepoint": "M 6"})
    _fails(sheet, comp, match=r"'M 6' is not a value of column 'timepoint'.*'D1'")


def test_unknown_column_is_named(sheet):
    _fails(sheet, _comparison({"visit": "D1"}), match=r"column 'visit' is not in the sample sheet")


def test_selector_matching_too_few_samples(sheet):
    comp = _comparison({"timepoint": "D1", "subject_id": ["P1", "P2"]})
    _fails(sheet, comp, match=r"matches 2 sample\(s\).*at least 3")


def test_selector_matching_no_sample(sheet):
    _fails(sheet, _comparison({"group": "healthy", "timepoint": "D1"}), match=r"matches 0 sample")


def test_case_and_control_sharing_samples(sheet):
    comp = _comparison({"group": "patient"}, {"timepoint": "D1"})
    _fails(sheet, comp, match=r"4 sample\(s\) are selected as both case and control")


def test_paired_subject_with_two_samples_on_one_side(sheet):
    comp = _comparison({"group": "patient"}, paired_by="subject_id")
    _fails(sheet, comp, match=r"subject 'P1' has 2 case samples")


def test_paired_subjects_that_do_not_pair(sheet):
    comp = _comparison({"timepoint": "D1"}, paired_by="subject_id")
    _fails(sheet, comp, match=r"only 0 subject\(s\) have both")


def test_duplicate_comparison_names(sheet):
    comp = _comparison({"timepoint": "D1"})
    _fails(sheet, comp, comp, match=r"'x' used more than once")


def test_yaml_booleans_are_compared_as_yes_no():
    rows = [(f"S{i}", f"S{i}", "patient", "yes" if i < 3 else "no", "") for i in range(6)]
    sheet = _sheet(rows)
    mask = select_samples(sheet, {"arm": True}, where="x", sheet_path=SHEET)
    assert mask.tolist() == [True, True, True, False, False, False]
