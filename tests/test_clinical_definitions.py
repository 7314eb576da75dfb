"""ACRpedi, the systemic criteria, the primary endpoint and inactive disease on hand-worked cases.

Every expected value below is worked out by hand in the comments, from the definitions of the
paper's Methods (docs/clinical.md), never from the code's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.clinical.acrpedi import acrpedi
from modmap.clinical.change import improved, improvement, worsened
from modmap.clinical.columns import CORE
from modmap.clinical.definitions import response_table
from modmap.clinical.inactive import inactive_disease, low_steroid_dose
from modmap.clinical.logic import as_text, at_least, at_most
from modmap.clinical.systemic import halved_or_normal, no_fever

NA = np.nan


def _text(values):
    return as_text(values)


def test_improvement_and_the_zero_baseline_convention():
    ref = np.array([10, 10, 0, 0, NA, 4])
    val = np.array([7, 13, 0, 2, 1, NA])
    # 30 % better, 30 % worse, 0 -> 0 unchanged, 0 -> 2 unbounded worsening, missing, missing
    np.testing.assert_array_equal(improvement(ref, val), [0.3, -0.3, 0.0, -np.inf, NA, NA])
    assert _text(improved(ref, val, 30)) == ["yes", "no", "no", "no", "", ""]
    assert _text(worsened(ref, val, 30)) == ["no", "yes", "no", "yes", "", ""]


def test_thresholds_are_inclusive_despite_binary_decimals():
    # CHAQ 1.375 -> 0.9625 is exactly 30 % better; ESR 50 -> 25 exactly 50 %; 1.5 -> 0.375 = 75 %
    assert _text(improved(np.array([1.375]), np.array([0.9625]), 30)) == ["yes"]
    assert _text(improved(np.array([50.0]), np.array([25.0]), 50)) == ["yes"]
    assert _text(improved(np.array([1.5]), np.array([0.375]), 75)) == ["yes"]
    assert _text(improved(np.array([1.5]), np.array([0.38]), 75)) == ["no"]
    # 100 % = down to 0
    assert _text(improved(np.array([3.0, 3.0]), np.array([0.0, 0.1]), 100)) == ["yes", "no"]


def test_counting_rules_decide_whenever_the_missing_ones_cannot_matter():
    t, f, n = True, False, None

    def arr(*v):
        return pd.array(list(v), dtype="boolean")

    # 3 known met: at least 3 regardless; 2 met + 1 unknown: undecided; 1 met + 1 unknown: no
    flags = [arr(t, t, t), arr(t, t, f), arr(t, n, n), arr(f, f, f)]
    assert _text(at_least(flags, 3)) == ["yes", "", "no"]
    # at most 1: [2 met] no; [0 met, 1 unknown] yes; [1 met, 1 unknown] undecided
    flags = [arr(t, f, t), arr(t, n, n), arr(f, f, f)]
    assert _text(at_most(flags, 1)) == ["no", "yes", ""]


def _core(**values):
    return {c: np.atleast_1d(np.asarray(values.get(c, NA), dtype=float)) for c in CORE}


BASE = dict(
    physician_global=60, patient_global=50, active_joints=10, limited_joints=10, chaq=1.5, esr=50
)


@pytest.mark.parametrize(
    "visit,expected",
    [
        # 3 criteria 40 % better (60->36, 50->30, 10->6), 3 unchanged: ACRpedi 30 yes, 50 no
        (
            dict(BASE, physician_global=36, patient_global=30, active_joints=6),
            {30: "yes", 50: "no", 70: "no", 100: "no"},
        ),
        # 3 better by 100 % (to 0) but two worse by >= 30 % (10->13, 50->65): no at every level
        (
            dict(
                BASE,
                physician_global=0,
                patient_global=0,
                active_joints=0,
                limited_joints=13,
                esr=65,
            ),
            {30: "no", 50: "no", 70: "no", 100: "no"},
        ),
        # same with only one worse: 100 yes
        (
            dict(BASE, physician_global=0, patient_global=0, active_joints=0, limited_joints=13),
            {30: "yes", 50: "yes", 70: "yes", 100: "yes"},
        ),
        # 2 better, 4 unchanged: no
        (dict(BASE, physician_global=0, patient_global=0), {30: "no", 100: "no"}),
        # worsened by 29 % (50 -> 64.5 = 29 %) does not count as worsening
        (
            dict(
                BASE,
                physician_global=30,
                patient_global=25,
                active_joints=5,
                esr=64.5,
                limited_joints=13,
            ),
            {30: "yes", 50: "yes"},
        ),
    ],
)
def test_acrpedi_levels(visit, expected):
    for level, answer in expected.items():
        assert _text(acrpedi(_core(**BASE), _core(**visit), level=level)) == [answer], level


@pytest.mark.parametrize(
    "missing,visit,answer",
    [
        # 3 improved + 2 unchanged known, 1 missing: >= 3 met, worst case 1 worsened -> yes
        (["chaq"], dict(BASE, physician_global=36, patient_global=30, active_joints=6), "yes"),
        # 2 improved + 2 unchanged known, 2 missing: could be 4 improved or 2: undecided
        (["chaq", "esr"], dict(BASE, physician_global=36, patient_global=30), ""),
        # 4 improved known, 2 missing: could both be worse (2 > 1): undecided
        (
            ["chaq", "esr"],
            dict(BASE, physician_global=36, patient_global=30, active_joints=6, limited_joints=6),
            "",
        ),
        # 1 improved + 2 worse known: no whatever the missing ones
        (
            ["chaq", "esr"],
            dict(BASE, physician_global=36, patient_global=80, active_joints=20),
            "no",
        ),
        # everything missing: undecided
        (list(CORE), BASE, ""),
    ],
)
def test_acrpedi_with_missing_criteria(missing, visit, answer):
    visit = {k: (NA if k in missing else v) for k, v in visit.items()}
    assert _text(acrpedi(_core(**BASE), _core(**visit), level=30)) == [answer]


def test_acrpedi_from_zero_baselines():
    # Baseline 0 active and 0 limited joints: they can never improve. 3 others improve 50 %.
    base = dict(BASE, active_joints=0, limited_joints=0)
    same = dict(base, physician_global=30, patient_global=25, chaq=0.75)
    assert _text(acrpedi(_core(**base), _core(**same), level=30)) == ["yes"]
    # 0 -> 1 active joint is a worsening; a second (0 -> 2 limited) makes two: no response
    one = dict(same, active_joints=1)
    two = dict(one, limited_joints=2)
    assert _text(acrpedi(_core(**base), _core(**one), level=30)) == ["yes"]
    assert _text(acrpedi(_core(**base), _core(**two), level=30)) == ["no"]


def test_systemic_criteria():
    assert _text(no_fever(np.array([0, 1, 8, NA]))) == ["yes", "no", "no", ""]
    ref = np.array([80, 80, 80, NA, NA, 0, 0, 80])
    val = np.array([40, 41, 6, 5, 7, 0, 7, NA])
    # halved | halved? no, 41 > 40 and > 6 | normal | normal (ref missing: decided) |
    # abnormal, ref missing | 0 -> 0 normal | 0 -> 7 neither | value missing
    assert _text(halved_or_normal(ref, val, normal=6)) == [
        "yes",
        "no",
        "yes",
        "yes",
        "",
        "yes",
        "no",
        "",
    ]


def test_low_steroid_dose_whichever_is_lower():
    # 0.25 mg/kg x 30 kg = 7.5 mg: yes; 0.25 x 50 kg = 12.5 mg: no (10 mg is lower);
    # 0.3 mg/kg: no (strict); 0.2 with weight missing: undecided; 0 with weight missing: yes;
    # 0.5 with weight missing: no (mg/kg decides)
    dose = np.array([0.25, 0.25, 0.3, 0.2, 0.0, 0.5])
    weight = np.array([30, 50, 20, NA, NA, NA])
    assert _text(low_steroid_dose(dose, weight)) == ["yes", "no", "no", "", "yes", "no"]


def test_inactive_disease():
    ok = dict(
        active_joints=0,
        fever_days=0,
        systemic_symptoms=False,
        esr=8,
        crp=20,
        physician_global=0,
        prednisone_mg_kg_day=0.1,
        weight_kg=20,
    )
    rows = pd.DataFrame(
        [
            ok,  # ESR normal (CRP 20 is not, "ESR or CRP" normal suffices): inactive
            dict(ok, active_joints=1),  # an active joint: no
            dict(ok, esr=30),  # neither ESR nor CRP normal: no
            dict(ok, systemic_symptoms=True),  # systemic symptom: no
            dict(ok, physician_global=5),  # physician sees activity: no
            dict(ok, prednisone_mg_kg_day=0.6),  # 12 mg/day: no
            dict(ok, systemic_symptoms=None),  # symptom unknown, rest fine: undecided
            dict(ok, systemic_symptoms=None, active_joints=3),  # unknown, but joints decide: no
        ]
    )
    rows["systemic_symptoms"] = rows["systemic_symptoms"].astype("boolean")
    assert _text(inactive_disease(rows)) == ["yes", "no", "no", "no", "no", "no", "", "no"]


def _table(rows):
    frame = pd.DataFrame(rows)
    frame["systemic_symptoms"] = pd.array(frame["systemic_symptoms"], dtype="boolean")
    for col in ("saa", "ferritin", "diary_score"):
        frame[col] = np.nan
    return frame


def test_response_table_primary_endpoint_and_variants():
    d1 = dict(
        visit="D1",
        arm="a",
        fever_days=3,
        crp=80,
        systemic_symptoms=True,
        prednisone_mg_kg_day=0.5,
        weight_kg=30,
        **BASE,
    )
    acr30 = dict(BASE, physician_global=36, patient_global=30, active_joints=6)
    rows = [
        dict(d1, subject_id="s1"),
        # ACRpedi 30, no fever, CRP 80 -> 30 (62 % down), ESR 50 -> 50 (not halved, not normal)
        dict(d1, subject_id="s1", visit="M1", **{**acr30, "crp": 30, "fever_days": 0}),
        dict(d1, subject_id="s2"),
        # ACRpedi 30, no fever, CRP 14 (< 15), ESR 50 -> 9 (normal): primary yes
        dict(d1, subject_id="s2", visit="M1", **{**acr30, "esr": 9, "crp": 14, "fever_days": 0}),
        dict(d1, subject_id="s3"),
        # as s2 but one fever day: primary no, ACRpedi 30 yes; fever missing -> undecided
        dict(d1, subject_id="s3", visit="M1", **{**acr30, "esr": 9, "crp": 14, "fever_days": 1}),
        dict(d1, subject_id="s4"),
        dict(d1, subject_id="s4", visit="M1", **{**acr30, "esr": 9, "crp": 14, "fever_days": NA}),
    ]
    out = response_table(_table(rows), visits=["D1", "M1"], baseline="D1").set_index("subject_id")
    assert out.loc["s1", ["acrpedi30", "no_fever", "crp_ok", "esr_ok", "primary"]].tolist() == [
        "yes",
        "yes",
        "yes",
        "no",
        "no",
    ]
    assert out.loc["s1", "acrpedi30_no_fever"] == "yes"
    assert out.loc["s1", "acrpedi30_no_fever_crp"] == "no"  # CRP 30 >= 15
    assert out.loc[
        "s2", ["primary", "systemic", "acrpedi30_no_fever_crp", "acrpedi50"]
    ].tolist() == ["yes", "yes", "yes", "no"]
    assert out.loc["s3", ["primary", "acrpedi30", "acrpedi30_no_fever"]].tolist() == [
        "no",
        "yes",
        "no",
    ]
    assert out.loc["s4", ["primary", "acrpedi30", "not_computable"]].tolist() == [
        "",
        "yes",
        "fever_days",
    ]
    # improvement columns in percent: physician 60 -> 36 = 40 %
    assert out.loc["s1", "improvement_physician_global"] == pytest.approx(40.0)
    assert out.loc["s1", ["n_improved_30", "n_improved_50", "n_worsened_30"]].tolist() == [3, 0, 0]
