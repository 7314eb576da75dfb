"""Flares on hand-worked cases: reoccurrence, twofold rise, core worsening, active-joint rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from modmap.clinical.flares import active_joints_worsened, doubled, flare_table
from modmap.clinical.logic import as_text

NA = np.nan
CALM = dict(
    physician_global=10,
    patient_global=10,
    active_joints=4,
    limited_joints=4,
    chaq=0.5,
    esr=10,
    crp=5,
    fever_days=0,
    systemic_symptoms=False,
)


def test_active_joint_rule():
    ref = np.array([0, 0, 1, 1, 2, 2, 10, 10, 1])
    val = np.array([1, 2, 1, 2, 2, 3, 13, 12, NA])
    # 0->1 no (needs 2), 0->2 yes, 1->1 no, 1->2 yes, 2->2 no, 2->3 (+50 %) yes, 10->13 (+30 %)
    # yes, 10->12 (+20 %) no, missing: undecided
    assert as_text(active_joints_worsened(ref, val)) == [
        "no",
        "yes",
        "no",
        "yes",
        "no",
        "yes",
        "yes",
        "no",
        "",
    ]


def test_twofold_increase():
    ref = np.array([10, 10, 0, 0, NA])
    val = np.array([20, 19.9, 0, 1, 30])
    assert as_text(doubled(ref, val)) == ["yes", "no", "no", "yes", ""]


def _rows(*visits):
    rows = []
    for i, v in enumerate(visits):
        rows.append({"subject_id": "s", "visit": ["D1", "M1", "M6"][i], "arm": "a", **v})
    frame = pd.DataFrame(rows)
    frame["systemic_symptoms"] = pd.array(frame["systemic_symptoms"], dtype="boolean")
    return frame


def _flare(*visits, reference="previous"):
    return flare_table(
        _rows(*visits), visits=["D1", "M1", "M6"], baseline="D1", reference=reference
    )


def test_each_flare_criterion_alone():
    cases = {
        "fever_reoccurred": dict(CALM, fever_days=2),
        "systemic_reoccurred": dict(CALM, systemic_symptoms=True),
        "esr_doubled": dict(CALM, esr=20),
        "crp_doubled": dict(CALM, crp=10),
        # 3 of 6 worse by >= 30 % (10->13, 10->15, 0.5->0.65), none better
        "core_worsening": dict(CALM, physician_global=13, patient_global=15, chaq=0.65),
    }
    for criterion, visit in cases.items():
        out = _flare(CALM, visit).iloc[0]
        assert out["visit"] == "M1" and out["reference_visit"] == "D1"
        assert out[criterion] == "yes", criterion
        assert out["flare"] == "yes", criterion
        others = [c for c in cases if c != criterion]
        assert (out[others] == "no").all(), criterion
    quiet = _flare(CALM, CALM).iloc[0]
    assert quiet["flare"] == "no"


def test_fever_that_never_stopped_is_not_a_reoccurrence():
    out = _flare(dict(CALM, fever_days=3), dict(CALM, fever_days=3)).iloc[0]
    assert out["fever_reoccurred"] == "no"


def test_core_worsening_needs_at_most_one_improved():
    # 3 worse (physician, patient, CHAQ) but 2 better (limited 4->2, ESR 10->5): no
    visit = dict(CALM, physician_global=13, patient_global=15, chaq=0.65, limited_joints=2, esr=5)
    assert _flare(CALM, visit).iloc[0]["core_worsening"] == "no"
    # with one better it is a flare
    visit = dict(visit, esr=10)
    assert _flare(CALM, visit).iloc[0]["core_worsening"] == "yes"


def test_core_worsening_with_the_active_joint_rule():
    base = dict(CALM, active_joints=1)
    # physician, patient worse + active joints 1 -> 2 (rule: reaches 2) = 3 worse: flare
    assert (
        _flare(base, dict(base, physician_global=13, patient_global=15, active_joints=2)).iloc[0][
            "core_worsening"
        ]
        == "yes"
    )
    base0 = dict(CALM, active_joints=0)
    # from 0, 1 active joint does not count: only 2 worse: no flare
    out = _flare(base0, dict(base0, physician_global=13, patient_global=15, active_joints=1))
    assert out.iloc[0]["core_worsening"] == "no" and out.iloc[0]["n_worsened_30"] == 2


def test_missing_values_leave_the_flare_undecided_unless_decided_elsewhere():
    # ESR missing now, nothing else: undecided
    out = _flare(CALM, dict(CALM, esr=NA)).iloc[0]
    assert out["esr_doubled"] == "" and out["flare"] == ""
    assert "esr" in out["not_computable"]
    # ESR missing but CRP doubled: flare decided
    out = _flare(CALM, dict(CALM, esr=NA, crp=12)).iloc[0]
    assert out["flare"] == "yes"


def test_previous_and_baseline_references():
    d1 = dict(CALM, crp=40)
    m1 = dict(CALM, crp=5)
    m6 = dict(CALM, crp=12)  # vs M1: 12 >= 10 doubled; vs D1: fell from 40
    prev = _flare(d1, m1, m6)
    assert prev["reference_visit"].tolist() == ["D1", "M1"]
    assert prev["crp_doubled"].tolist() == ["no", "yes"]
    base = _flare(d1, m1, m6, reference="baseline")
    assert base["reference_visit"].tolist() == ["D1", "D1"]
    assert base["crp_doubled"].tolist() == ["no", "no"]
