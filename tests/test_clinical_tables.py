"""Tables 1-3 and their inputs on small hand-worked cohorts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.clinical.events import check_adverse_events, check_followup
from modmap.clinical.summaries import summarise
from modmap.clinical.table1 import table1
from modmap.clinical.table2 import relative_variation, table2
from modmap.clinical.table3 import table3
from modmap.errors import InputError

NA = np.nan


def test_summaries_by_hand():
    # mean 3, sample SD sqrt(((1-3)^2 + 0 + (5-3)^2) / 2) = 2
    assert summarise(np.array([1, 3, 5, NA]), summary="mean_sd") == ("3.0 (2.0)", 3)
    # quartiles of 1..5 (type 7): 2, 3, 4
    assert summarise(np.arange(1.0, 6.0), summary="median_iqr", digits=0) == ("3 (2-4)", 5)
    assert summarise(np.array([1, 0, 1, NA]), summary="n_percent") == ("2 (66.7)", 3)
    assert summarise(np.array([7.0]), summary="mean_sd") == ("7.0 (NA)", 1)
    assert summarise(np.array([NA]), summary="mean_sd") == ("", 0)


def test_table1_by_arm_and_overall():
    base = pd.DataFrame(
        {
            "subject_id": ["s1", "s2", "s3", "s4"],
            "arm": ["x", "x", "y", "y"],
            "crp": [10.0, 30.0, 50.0, NA],
            "fever_days": [0.0, 2.0, 1.0, 3.0],
            "systemic_symptoms": pd.array([True, False, None, True], dtype="boolean"),
        }
    )
    rows = [
        {"column": "crp", "summary": "mean_sd", "label": "CRP, mg/l"},
        {"column": "fever_days", "summary": "n_percent", "above": 0, "digits": 0},
        {"column": "systemic_symptoms", "summary": "n_percent", "level": "yes"},
    ]
    out = table1(base, rows, arms=["x", "y"]).set_index("variable")
    assert out.loc["subjects", ["x", "y", "overall"]].tolist() == ["2", "2", "4"]
    # CRP: x mean 20 SD 14.1 (sqrt(200)); y single value; overall mean 30 SD 20
    assert out.loc["crp", ["x", "y", "overall"]].tolist() == [
        "20.0 (14.1)",
        "50.0 (NA)",
        "30.0 (20.0)",
    ]
    assert out.loc["crp", "overall_n"] == 3
    assert out.loc["fever_days", ["x", "y", "overall"]].tolist() == ["1 (50)", "2 (100)", "3 (75)"]
    assert out.loc["systemic_symptoms", ["x", "y"]].tolist() == ["1 (50.0)", "1 (100.0)"]
    with pytest.raises(InputError, match="needs 'above'"):
        table1(base, [{"column": "crp", "summary": "n_percent"}], arms=["x", "y"])
    with pytest.raises(InputError, match="column 'ldh' is not in the clinical table"):
        table1(base, [{"column": "ldh"}], arms=["x", "y"])


def test_relative_variation():
    out = relative_variation(np.array([80, 0, NA, 10]), np.array([20, 5, 3, 10]))
    np.testing.assert_array_equal(out, [-75.0, NA, NA, 0.0])


def _cohort():
    subjects = [f"s{i}" for i in range(8)]
    arms = ["x"] * 4 + ["y"] * 4
    rows = []
    for i, (s, a) in enumerate(zip(subjects, arms, strict=True)):
        rows.append({"subject_id": s, "visit": "D1", "arm": a, "crp": 100.0})
        if s != "s7":  # s7 has no M1 visit
            rows.append({"subject_id": s, "visit": "M1", "arm": a, "crp": 10.0 * (i + 1)})
    clinical = pd.DataFrame(rows)
    response = pd.DataFrame(
        {
            "subject_id": subjects[:7],
            "visit": "M1",
            # x: 3 yes, 1 undecided; y: 1 yes, 1 no, 1 undecided, s7 missing
            "primary": ["yes", "yes", "yes", "", "yes", "no", ""],
        }
    )
    return clinical, response


def test_table2_intention_to_treat_and_exclusion():
    clinical, response = _cohort()
    kw = dict(
        visit="M1",
        arms=["x", "y"],
        visits=["D1", "M1"],
        baseline="D1",
        rows=[{"definition": "primary", "test": "fisher"}],
        changes=["crp"],
    )
    itt = table2(response, clinical, **kw).set_index("item")
    # ITT: 3/4 vs 1/4; Fisher by hand: tables with the margins (4,4 | 4 responders): p(3)=16/70,
    # p(1)=16/70, p(4)=1/70, p(0)=1/70, p(2)=36/70 -> two-sided 34/70
    assert itt.loc["primary", ["x_count", "x_n", "y_count", "y_n"]].tolist() == [3, 4, 1, 4]
    assert itt.loc["primary", ["x_undecided", "y_undecided"]].tolist() == [1, 2]
    assert itt.loc["primary", "p_value"] == pytest.approx(34 / 70)
    ex = table2(response, clinical, missing="exclude", **kw).set_index("item")
    assert ex.loc["primary", ["x_count", "x_n", "y_count", "y_n"]].tolist() == [3, 3, 1, 2]
    # relative change of CRP: x: -90, -80, -70, -60 (mean -75); y: -50, -40, -30 (s7 missing)
    crp = itt.loc["crp"]
    assert crp["x_mean_change"] == pytest.approx(-75.0)
    assert crp["y_mean_change"] == pytest.approx(-40.0)
    assert (crp["x_n"], crp["y_n"]) == (4, 3)
    # W = 0 (every x below every y); exact two-sided p = 2 / C(7, 3) = 2/35
    assert crp["statistic"] == 0 and crp["p_value"] == pytest.approx(2 / 35)
    assert crp["test"] == "mann_whitney"


def test_table2_without_two_arms_reports_but_does_not_test():
    clinical, response = _cohort()
    out = table2(
        response,
        clinical,
        visit="M1",
        arms=["x"],
        visits=["D1", "M1"],
        baseline="D1",
        rows=[{"definition": "primary"}],
        changes=["crp"],
    )
    assert (out["test"] == "not_tested").all() and out["p_value"].isna().all()


def test_table2_unknown_definition():
    clinical, response = _cohort()
    with pytest.raises(InputError, match=r"table2.rows\[0\]: 'acr' is not a response definition"):
        table2(
            response,
            clinical,
            visit="M1",
            arms=["x", "y"],
            visits=["D1", "M1"],
            baseline="D1",
            rows=[{"definition": "acr"}],
            changes=[],
        )


def _events():
    return pd.DataFrame(
        {
            "subject_id": ["s1", "s1", "s2", "s3"],
            "visit": ["M1", "M1", "M6", "M1"],
            "term": ["rash", "infection", "infection", "infection"],
            "serious": ["no", "YES", "no", "no"],
        }
    )


def test_table3_by_hand():
    events = check_adverse_events(
        _events(), path="ae.tsv", subjects=["s1", "s2", "s3"], visits=["D1", "M1", "M6"]
    )
    followup = check_followup(
        pd.DataFrame({"subject_id": ["s1", "s2", "s3"], "followup_days": ["365.25", "730.5", "0"]}),
        path="fu.tsv",
        subjects=["s1", "s2", "s3"],
    )
    arm_of = pd.Series({"s1": "x", "s2": "x", "s3": "y"})
    out = table3(events, followup, arm_of, arms=["x", "y"]).set_index(["group", "item"])
    # x: 3 events in 2 patients over 3 patient-years; infection first (3 events in all)
    assert out.loc[("x", "any"), ["events", "patients", "patient_years"]].tolist() == [3, 2, 3.0]
    assert out.loc[("x", "any"), "rate_per_patient_year"] == pytest.approx(1.0)
    assert out.loc[("x", "serious"), "events"] == 1
    assert out.loc[("x", "term: infection"), ["events", "patients"]].tolist() == [2, 2]
    # y: no follow-up time: no rate
    assert np.isnan(out.loc[("y", "any"), "rate_per_patient_year"])
    assert out.loc[("overall", "any"), ["events", "n_subjects"]].tolist() == [4, 3]
    assert list(out.loc["overall"].index) == ["any", "serious", "term: infection", "term: rash"]


def test_table3_by_period():
    visits = ["D1", "M1", "M6"]
    subjects = ["s1", "s2", "s3", "s4"]
    raw = pd.DataFrame(
        {
            "subject_id": ["s1", "s1", "s2", "s3", "s3"],
            "visit": ["D1", "M1", "M6", "M1", "M6"],
            "term": ["rash", "infection", "infection", "infection", "rash"],
            "serious": ["no", "yes", "no", "no", "no"],
        }
    )
    events = check_adverse_events(raw, path="ae.tsv", subjects=subjects, visits=visits)
    followup = check_followup(
        pd.DataFrame({"subject_id": subjects, "followup_days": "100"}),
        path="fu.tsv",
        subjects=subjects,
    )
    arm_of = pd.Series({"s1": "x", "s2": "x", "s3": "y", "s4": "y"})
    # s2 was last seen at M1 but has an M6 event; s4 left at M1 without one
    last = pd.Series({"s1": "M6", "s2": "M1", "s3": "M6", "s4": "M1"})
    out = table3(
        events,
        followup,
        arm_of,
        arms=["x", "y"],
        visits=visits,
        double_blind_until="M1",
        last_visit=last,
    ).set_index(["period", "group", "item"])
    assert out.index.get_level_values("period").unique().tolist() == [
        "all",
        "double_blind",
        "open_label",
    ]
    cols = ["n_subjects", "events", "patients"]
    # double-blind: events at D1 and M1 (s1 rash + infection, s3 infection)
    assert out.loc[("double_blind", "x", "any"), cols].tolist() == [2, 2, 1]
    assert out.loc[("double_blind", "x", "serious"), "events"] == 1
    assert out.loc[("double_blind", "y", "any"), cols].tolist() == [2, 1, 1]
    # open label: s2 infection, s3 rash; subjects followed: s1, s3 (M6) and s2 (its event)
    assert out.loc[("open_label", "x", "any"), cols].tolist() == [2, 1, 1]
    assert out.loc[("open_label", "y", "any"), cols].tolist() == [1, 1, 1]
    assert out.loc[("open_label", "overall", "term: rash"), cols].tolist() == [3, 1, 1]
    # the periods add up to all events; no patient-years per period
    for item in ("any", "serious", "term: infection", "term: rash"):
        whole = out.loc[("all", "overall", item), "events"]
        parts = [out.loc[(p, "overall", item), "events"] for p in ("double_blind", "open_label")]
        assert sum(parts) == whole, item
    assert out.loc[("all", "overall", "any"), "patient_years"] == pytest.approx(400 / 365.25)
    assert out.loc["double_blind"]["patient_years"].isna().all()
    assert out.loc["open_label"]["rate_per_patient_year"].isna().all()


@pytest.mark.parametrize(
    "column,value,expected",
    [
        ("subject_id", "s9", "ae.tsv line 2, column 'subject_id': subject 's9' is not in the"),
        ("visit", "W2", "ae.tsv line 2, column 'visit': 'W2' is not one of clinical.visits"),
        ("serious", "maybe", "ae.tsv line 2, column 'serious': 'maybe' is not yes or no"),
        ("term", "", "ae.tsv line 2, column 'term': '' is empty"),
    ],
)
def test_bad_adverse_events(column, value, expected):
    events = _events()
    events.loc[0, column] = value
    with pytest.raises(InputError, match=expected):
        check_adverse_events(
            events, path="ae.tsv", subjects=["s1", "s2", "s3"], visits=["M1", "M6"]
        )


def test_bad_followup():
    with pytest.raises(InputError, match="fu.tsv line 3, column 'followup_days': '-1'"):
        check_followup(
            pd.DataFrame({"subject_id": ["s1", "s2"], "followup_days": ["3", "-1"]}),
            path="fu.tsv",
            subjects=["s1", "s2"],
        )
    with pytest.raises(InputError, match="subject\\(s\\) 's2' of the clinical table have no"):
        check_followup(
            pd.DataFrame({"subject_id": ["s1"], "followup_days": ["3"]}),
            path="fu.tsv",
            subjects=["s1", "s2"],
        )
    with pytest.raises(InputError, match="fu.tsv line 3: subject 's1' is listed twice"):
        check_followup(
            pd.DataFrame({"subject_id": ["s1", "s1"], "followup_days": ["3", "4"]}),
            path="fu.tsv",
            subjects=["s1"],
        )


def test_table2_labels_state_the_crp_cut():
    clinical, response = _cohort()
    response = response.assign(acrpedi30_no_fever_crp="no")
    out = table2(
        response,
        clinical,
        visit="M1",
        arms=["x", "y"],
        visits=["D1", "M1"],
        baseline="D1",
        rows=[{"definition": "acrpedi30_no_fever_crp"}],
        changes=["crp"],
        crp_below=12,
    )
    assert out["label"].tolist() == ["ACRpedi 30, no fever and CRP < 12 mg/l", "CRP"]


def test_every_arm_of_the_table_must_be_listed():
    from modmap.clinical.tables import trial_tables

    raw = pd.DataFrame(
        {
            "subject_id": ["s1", "s2"],
            "visit": ["D1", "D1"],
            "arm": ["x", "z"],
            **{
                c: ["1", "1"]
                for c in (
                    "physician_global",
                    "patient_global",
                    "active_joints",
                    "limited_joints",
                    "chaq",
                    "esr",
                    "crp",
                    "fever_days",
                )
            },
        }
    )
    with pytest.raises(InputError, match="clin.tsv: arm\\(s\\) 'z' are not in clinical.arms"):
        trial_tables(
            raw,
            pd.DataFrame(columns=["subject_id", "visit"]),
            clinical_path="clin.tsv",
            visits=["D1", "M1"],
            baseline="D1",
            arms=["x", "y"],
            table2_visit="M1",
            table2_rows=[],
            table2_changes=[],
        )
