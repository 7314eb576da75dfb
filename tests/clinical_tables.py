"""A planted clinical table for the workflow tests of the clinical stage (tests/test_workflow_*).

Every patient of the toy sheet gets a D1 row (``BASE``), an M1 row whose state plants the paper's
Table 2 counts (12 vs 12 patients: primary endpoint 8 vs 1, ACRpedi 30 11 vs 7, ...) and an M6
row that is an ACRpedi 70 responder exactly when the sheet's typed ``responder`` is ``yes``.
The improvements are worked out by hand in the comments of ``STATES``.
"""

from __future__ import annotations

import pandas as pd

BASE = dict(
    physician_global=60,
    patient_global=50,
    active_joints=10,
    limited_joints=10,
    chaq=1.5,
    esr=50,
    crp=80,
    fever_days=3,
    systemic_symptoms="yes",
    prednisone_mg_kg_day=0.5,
    weight_kg=30,
    saa=300,
)


def _visit(physician, patient, joints, chaq, *, esr, crp, fever_days=0) -> dict:
    """A visit's values: physician and patient VAS (mm), active = limited joints, CHAQ, ESR
    (mm/h), CRP (mg/l), days of fever."""
    return dict(
        physician_global=physician,
        patient_global=patient,
        active_joints=joints,
        limited_joints=joints,
        chaq=chaq,
        esr=esr,
        crp=crp,
        fever_days=fever_days,
    )


# The ACRpedi 30 level below: physician 36/60 = 40 %, patient 30/50 = 40 %, joints 6/10 = 40 %,
# CHAQ 0.9/1.5 = 40 % better.
_ACR30 = (36, 30, 6, 0.9)
# Visit profiles. Improvement of each core criterion from BASE, by hand:
STATES = {
    # 75-80 % on all six (physician 45/60, patient 37.5/50, joints 8/10, CHAQ 1.125/1.5,
    # ESR 38/50 = 76 %); CRP 5 (normal): ACRpedi 70 and systemic -> primary, modified 50/70.
    "acr70_sys": _visit(15, 12.5, 2, 0.375, esr=12, crp=5),
    # 55-60 %: ACRpedi 50, not 70; CRP 10 (87.5 % down), ESR 22 (56 %): systemic.
    "acr50_sys": _visit(27, 22, 4, 0.6, esr=22, crp=10),
    # 40 %: ACRpedi 30 only; ESR 25 (exactly 50 % down: met), CRP 12: systemic.
    "acr30_sys": _visit(*_ACR30, esr=25, crp=12),
    # ACRpedi 30 (ESR 35 = 30 % exactly), no fever, CRP 10 < 15 but ESR neither halved nor normal.
    "acr30_crp_low": _visit(*_ACR30, esr=35, crp=10),
    # ACRpedi 30, no fever, CRP 50 (37.5 % down, not < 15).
    "acr30_crp_high": _visit(*_ACR30, esr=35, crp=50),
    # ACRpedi 30 with fever.
    "acr30_fever": _visit(*_ACR30, esr=35, crp=50, fever_days=2),
    "none": {},
}
# M1 states per arm (Table 2 of the paper): anakinra / placebo.
ANAKINRA_M1 = (
    ["acr70_sys"] * 5
    + ["acr50_sys"] * 2
    + ["acr30_sys"]
    + ["acr30_crp_low"] * 2
    + ["acr30_crp_high", "none"]
)
PLACEBO_M1 = (
    ["acr30_sys"] + ["acr30_crp_low"] * 2 + ["acr30_crp_high"] * 3 + ["acr30_fever"] + ["none"] * 5
)


def clinical_table(sheet: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The planted clinical table (D1, M1, M6 per patient of ``sheet``, in sheet order) and the
    typed responder of each subject (``sheet`` needs ``subject_id``, ``group``, ``arm``,
    ``responder``)."""
    patients = sheet[sheet["group"] == "patient"].drop_duplicates("subject_id")
    typed = dict(zip(patients["subject_id"], patients["responder"], strict=True))
    m1 = {"anakinra": iter(ANAKINRA_M1), "placebo": iter(PLACEBO_M1)}
    rows = []
    for subject, arm in zip(patients["subject_id"], patients["arm"], strict=True):
        rows.append({"subject_id": subject, "visit": "D1", "arm": arm, **BASE})
        rows.append(
            {"subject_id": subject, "visit": "M1", "arm": arm, **BASE, **STATES[next(m1[arm])]}
        )
        m6 = "acr70_sys" if typed[subject] == "yes" else "none"
        rows.append({"subject_id": subject, "visit": "M6", "arm": arm, **BASE, **STATES[m6]})
    return pd.DataFrame(rows), typed
