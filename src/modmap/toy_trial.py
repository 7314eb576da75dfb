"""The clinical side of the toy SJIA trial: planted responses and the tables that encode them.

The anakinra trial (Quartier et al., Ann Rheum Dis 2011) randomised 24 patients 12:12 to anakinra
or placebo for one month (D1 -> M1); placebo patients then switched to open-label anakinra, so M6
is a treated state in both arms (:data:`TREATED_VISITS`). Each toy patient gets a planted clinical
*course*: a :class:`Course` at M1 and one at M6, each relative to D1. The clinical table
(``clinical.tsv``) is drawn so that every response definition computed from it gives exactly the
planted answer, with margins that leave no borderline case:

- The six ACRpedi core criteria (physician_global, patient_global, active_joints, limited_joints,
  chaq, esr) change by an *improvement* ``(D1 - visit) / D1`` drawn inside a band, never near a
  threshold (30, 50, 70, 100 % improvement; 30 % worsening):

  ============  =============================================================================
  profile       core-criterion improvements (ESR listed separately)
  ============  =============================================================================
  ``acr70``     ESR and 4 other criteria 75-92 %, the last one 0-20 %
  ``acr50``     ESR and 4 other criteria 56-66 %, the last one 0-20 %
  ``acr30``     4 criteria 34-46 %, ESR 56-66 %, the last one 0-20 %
  ``partial``   4 criteria 34-46 %, ESR -10 to +15 % (and >= 25 mm/h), the last one 0-20 %
  ``none``      every criterion -15 to +15 %
  ============  =============================================================================

  So ACRpedi 30 holds for every profile but ``none``, ACRpedi 50 for ``acr70``/``acr50``, ACRpedi
  70 for ``acr70``, ACRpedi 100 never, and no criterion ever worsens by 30 %. An ``acr70`` course
  may be *inactive* (3 patients at M6): no active joint and a physician global of 0 (exactly
  100 %, two criteria only), CRP 1-5 mg/l; no other visit has 0 active joints.
- CRP: ``low`` at the visit is 1.0-12.0 mg/l with a decrease >= 60 % (baselines are >= 30
  mg/l); ``high`` is a change of -20 to +35 % (so >= 19.5 mg/l). The CRP and ESR rule (each
  decreased >= 50 % or normal) therefore holds for the ``acr*`` profiles (always ``low``) under any
  normal limit from 6 to 10 mg/l (CRP) and 10 to 20 mm/h (ESR), and fails for ``partial`` and
  ``none`` (ESR stays >= 25 mm/h, decreased <= 15 %). ``CRP < 15 mg/l`` holds exactly when
  ``low``.
- Fever: ``fever_days`` is 0 when afebrile, 2-6 days when febrile at a follow-up visit.

Primary endpoint (modified ACRpedi 30) = ACRpedi 30 + no fever + the CRP/ESR rule: met exactly by
the ``acr*`` profiles. Table 2 at M1 then has the paper's counts (:data:`COURSES`; written by
:func:`responder_counts`): primary 8/12 vs 1/12, ACRpedi 30 11 vs 7, + no fever 11 vs 6,
+ CRP < 15 mg/l 10 vs 3, modified ACRpedi 50 7 vs 0, 70 5 vs 0, 100 0 vs 0. Responders at M6
(the sample sheet's ``responder``): 7 anakinra, 4 placebo; inactive disease at M6: 2 and 1. Lab
values, IP10/TRAIL and the adverse events are drawn alongside; every choice is stated in
``resources/toy/README.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Profile = Literal["acr70", "acr50", "acr30", "partial", "none"]
Arm = Literal["anakinra", "placebo"]

VISITS: tuple[str, ...] = ("D1", "M1", "M6")
FOLLOW_UP: tuple[str, ...] = ("M1", "M6")
#: Visits at which each randomised arm is on anakinra (placebo switched to open label at M1).
TREATED_VISITS: dict[str, tuple[str, ...]] = {"anakinra": ("M1", "M6"), "placebo": ("M6",)}
#: The six ACRpedi core-set criteria, in the order of the clinical table. This list and
#: :data:`DEFINITIONS` are written out here, not imported from :mod:`modmap.clinical`: the
#: generator plants the truth the clinical stage is tested against, so it shares no code with it
#: (tests/test_toy_trial.py checks that the two sets of names agree).
CORE: tuple[str, ...] = (
    "physician_global",
    "patient_global",
    "active_joints",
    "limited_joints",
    "chaq",
    "esr",
)
CLINICAL_COLUMNS: tuple[str, ...] = (
    "subject_id",
    "visit",
    "arm",
    *CORE,
    "crp",
    "fever_days",
    "saa",
    "ferritin",
    "prednisone_mg_kg_day",
    "weight_kg",
    "systemic_symptoms",
    "diary_score",
)
#: Definitions written to ``response_truth.tsv`` and ``clinical_truth.tsv`` (names of the clinical
#: stage, ``modmap.clinical.definitions``): ``modified_acrpedi50/70/100`` add no fever and the
#: CRP/ESR rule (Table 2, footnote dagger); in the toy they equal the plain ones by construction.
#: ``acrpedi30_no_fever_crp``: + CRP < 15 mg/l. ``inactive``: inactive disease (Wallace criteria
#: computable from the table) under prednisone < 0.3 mg/kg/day and < 10 mg/day.
DEFINITIONS: tuple[str, ...] = (
    "primary",
    "systemic",
    "acrpedi30",
    "acrpedi50",
    "acrpedi70",
    "acrpedi100",
    "modified_acrpedi50",
    "modified_acrpedi70",
    "modified_acrpedi100",
    "acrpedi30_no_fever",
    "acrpedi30_no_fever_crp",
    "inactive",
)

#: Improvement bands ``(low, high)`` of ``(D1 - visit) / D1`` (fractions).
BANDS: dict[str, tuple[float, float]] = {
    "acr70": (0.75, 0.92),
    "acr50": (0.56, 0.66),
    "acr30": (0.34, 0.46),
    "esr_pass": (0.56, 0.66),
    "esr_fail": (-0.10, 0.15),
    "slight": (0.0, 0.20),
    "flat": (-0.15, 0.15),
    "crp_high": (-0.20, 0.35),
}
CRP_LOW_RANGE = (1.0, 12.0)  # mg/l at the visit, for a ``low`` course
CRP_INACTIVE_RANGE = (1.0, 5.0)  # mg/l, normal under any limit >= 6 mg/l
#: Patients febrile at D1 per arm (the paper's Table 1: 4 and 5).
FEVER_AT_D1: dict[str, int] = {"anakinra": 4, "placebo": 5}
N_MISSING_CLINICAL = 6  # empty cells among saa, ferritin and diary_score
#: Planted fold change of the serum analytes in treated vs untreated visits (> 1: a rise, as the
#: paper's Figure 3C: IP10 and TRAIL "significantly increased" at M6) and baseline medians.
ANALYTE_FOLD: dict[str, float] = {"IP10": 2.5, "TRAIL": 1.8}
ANALYTE_BASELINE: dict[str, tuple[float, float]] = {"IP10": (250.0, 0.5), "TRAIL": (70.0, 0.35)}
#: Planted expression effect of SOCS3 (SD units): up in untreated patients, healthy when treated.
SOCS3_EFFECT = 2.5
WITHDRAWAL_CENSORED = 2  # of the M6 responders withdrawn from anakinra, flare-free at the end
WITHDRAWAL_END_DAYS = 28


@dataclass(frozen=True)
class Course:
    """The planted state of one follow-up visit relative to D1.

    ``profile`` sets the ACRpedi core-criterion changes (see the module docstring), ``fever``
    whether the patient is febrile (``fever_days`` > 0) and ``crp`` whether CRP is ``low``
    (< 12 mg/l, >= 60 % down) or ``high`` (>= 19.5 mg/l, at most 35 % down). ``inactive``
    (``acr70`` only): inactive disease, i.e. no active joint and a physician global of 0 (two
    criteria at 100 %, so still not ACRpedi 100), CRP 1-5 mg/l, no fever or systemic symptom.
    """

    profile: Profile
    fever: bool = False
    crp: Literal["low", "high"] = "low"
    inactive: bool = False

    def __post_init__(self) -> None:
        if self.inactive and self.profile != "acr70":
            raise ValueError(f"{self}: inactive disease is planted on an acr70 course only")
        if self.profile.startswith("acr") and (self.fever or self.crp != "low"):
            raise ValueError(f"{self}: an ACRpedi profile is planted afebrile with CRP low")
        if self.profile == "none" and self.crp != "high":
            raise ValueError(f"{self}: profile 'none' keeps CRP high")


def _c(
    profile: Profile,
    *,
    fever: bool = False,
    crp: Literal["low", "high"] = "low",
    inactive: bool = False,
) -> Course:
    return Course(profile, fever, crp, inactive)


_HIGH: Literal["high"] = "high"
#: Per arm, the (M1, M6) course of each of its 12 patients (assigned to subjects at random).
COURSES: dict[str, tuple[tuple[Course, Course], ...]] = {
    "anakinra": (
        *((_c("acr70"), _c("acr70", inactive=True)),) * 2,
        *((_c("acr70"), _c("acr70")),) * 2,
        (_c("acr70"), _c("acr50")),
        (_c("acr50"), _c("acr70")),
        (_c("acr50"), _c("acr50")),
        (_c("acr30"), _c("partial", crp=_HIGH)),  # responder at M1, lost by M6
        (_c("partial"), _c("none", fever=True, crp=_HIGH)),
        (_c("partial"), _c("partial", crp=_HIGH)),
        (_c("partial", crp=_HIGH), _c("partial")),
        (_c("none", fever=True, crp=_HIGH), _c("none", fever=True, crp=_HIGH)),
    ),
    "placebo": (
        (_c("acr30"), _c("acr70")),  # the placebo responder at M1
        (_c("partial"), _c("acr50")),
        (_c("partial"), _c("acr70", inactive=True)),
        (_c("partial", crp=_HIGH), _c("acr30")),
        (_c("partial", crp=_HIGH), _c("partial", crp=_HIGH)),
        (_c("partial", crp=_HIGH), _c("none", crp=_HIGH)),
        (_c("partial", fever=True, crp=_HIGH), _c("none", fever=True, crp=_HIGH)),
        (_c("none", crp=_HIGH), _c("partial")),
        (_c("none", fever=True, crp=_HIGH), _c("none", fever=True, crp=_HIGH)),
        (_c("none", crp=_HIGH), _c("none", crp=_HIGH)),
        (_c("none", fever=True, crp=_HIGH), _c("partial", fever=True, crp=_HIGH)),
        (_c("none", crp=_HIGH), _c("none", crp=_HIGH)),
    ),
}

#: Adverse events: (visit at or after onset, term, serious, arm of the patient or None = any).
#: M1 events fall in the double-blind month, M6 events in the open-label phase.
ADVERSE_EVENTS: tuple[tuple[str, str, str, str | None], ...] = (
    *(("M1", "injection site pain", "no", "anakinra"),) * 3,
    *(("M1", "injection site pain", "no", "placebo"),) * 2,
    ("M1", "injection site erythema", "no", "anakinra"),
    ("M1", "upper respiratory tract infection", "no", "anakinra"),
    ("M1", "gastroenteritis", "no", "placebo"),
    *(("M6", "injection site pain", "no", None),) * 2,
    ("M6", "varicella", "no", None),
    ("M6", "bronchitis", "no", None),
    ("M6", "vomiting", "no", None),
    ("M6", "skin lesion", "no", None),
    ("M6", "pneumonia", "yes", None),
    ("M6", "vertebral collapse", "yes", None),
)


def is_treated(arm: str, visit: str) -> bool:
    """Whether a patient of randomised ``arm`` is on anakinra at ``visit`` (D1 never)."""
    return visit in TREATED_VISITS.get(arm, ())


def _definitions(course: Course) -> dict[str, bool]:
    acr30 = course.profile != "none"
    acr50 = course.profile in ("acr70", "acr50")
    crp_esr = course.profile.startswith("acr")  # ESR passes only for these; CRP low there
    no_fever = not course.fever
    acr70 = course.profile == "acr70"
    return {
        "primary": acr30 and no_fever and crp_esr,
        "systemic": no_fever and crp_esr,
        "acrpedi30": acr30,
        "acrpedi50": acr50,
        "acrpedi70": acr70,
        "acrpedi100": False,
        "modified_acrpedi50": acr50 and no_fever and crp_esr,
        "modified_acrpedi70": acr70 and no_fever and crp_esr,
        "modified_acrpedi100": False,
        "acrpedi30_no_fever": acr30 and no_fever,
        "acrpedi30_no_fever_crp": acr30 and no_fever and course.crp == "low",
        "inactive": course.inactive,
    }


# --------------------------------------------------------------------------------------------
# the plan


def plan_courses(subjects: pd.DataFrame, *, rng: np.random.Generator) -> pd.DataFrame:
    """Give every patient a planted (M1, M6) course and a D1 fever status.

    Parameters
    ----------
    subjects
        One row per patient: ``subject_id``, ``arm`` (12 ``anakinra``, 12 ``placebo``).
    rng
        Random stream assigning the courses of :data:`COURSES` within each arm and the D1 fever.

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``arm``, ``course_M1``, ``course_M6`` (:class:`Course`), ``fever_D1``
        (bool: every patient febrile at a follow-up visit, plus random others up to
        :data:`FEVER_AT_D1`), in ``subjects`` order.

    Raises
    ------
    ValueError
        An arm does not have as many patients as :data:`COURSES` has courses for it.
    """
    out = subjects[["subject_id", "arm"]].reset_index(drop=True).copy()
    out["course_M1"] = None
    out["course_M6"] = None
    out["fever_D1"] = False
    for arm, courses in COURSES.items():
        idx = np.flatnonzero(out["arm"].to_numpy() == arm)
        if len(idx) != len(courses):
            raise ValueError(f"arm {arm}: {len(idx)} patients, {len(courses)} planted courses")
        order = rng.permutation(len(courses))
        for i, k in zip(idx, order, strict=True):
            out.at[i, "course_M1"], out.at[i, "course_M6"] = courses[k]
        febrile = [i for i in idx if out.at[i, "course_M1"].fever or out.at[i, "course_M6"].fever]
        others = [i for i in idx if i not in febrile]
        extra = rng.permutation(others)[: FEVER_AT_D1[arm] - len(febrile)]
        out.loc[[*febrile, *extra], "fever_D1"] = True
    return out


def planted_responses(plan: pd.DataFrame) -> pd.DataFrame:
    """Every Table 2 definition at M1 and M6 for every patient, from the planted courses.

    Parameters
    ----------
    plan
        From :func:`plan_courses`.

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``arm``, ``visit`` (M1, M6), ``profile``, ``fever`` (``yes``/``no``),
        ``crp`` (``low``/``high``), then one ``yes``/``no`` column per :data:`DEFINITIONS`; by
        subject then visit. These are the planted answers, never computed from the table.
    """
    rows = []
    for row in plan.itertuples(index=False):
        for visit in FOLLOW_UP:
            course: Course = getattr(row, f"course_{visit}")
            defs = _definitions(course)
            rows.append(
                [
                    row.subject_id,
                    row.arm,
                    visit,
                    course.profile,
                    "yes" if course.fever else "no",
                    course.crp,
                    *("yes" if defs[d] else "no" for d in DEFINITIONS),
                ]
            )
    columns = ["subject_id", "arm", "visit", "profile", "fever", "crp", *DEFINITIONS]
    return pd.DataFrame(rows, columns=columns).sort_values(["subject_id", "visit"], kind="stable")


def responder_counts(responses: pd.DataFrame) -> pd.DataFrame:
    """Responders per definition, visit and arm (``clinical_truth.tsv``).

    Parameters
    ----------
    responses
        From :func:`planted_responses`.

    Returns
    -------
    pandas.DataFrame
        ``definition`` (:data:`DEFINITIONS` order), ``visit`` (M1, M6), ``arm`` (anakinra,
        placebo), ``n_responders``, ``n`` (patients randomised to the arm).
    """
    rows = []
    for definition in DEFINITIONS:
        for visit in FOLLOW_UP:
            for arm in ("anakinra", "placebo"):
                sub = responses[(responses["visit"] == visit) & (responses["arm"] == arm)]
                rows.append(
                    [definition, visit, arm, int((sub[definition] == "yes").sum()), len(sub)]
                )
    return pd.DataFrame(rows, columns=["definition", "visit", "arm", "n_responders", "n"])


# --------------------------------------------------------------------------------------------
# drawing values


def _in_band(
    base: float,
    band: tuple[float, float],
    *,
    step: float,
    upper: float,
    rng: np.random.Generator,
    where: str,
) -> float:
    """A multiple of ``step`` in ``[0, upper]`` whose improvement over ``base`` is in ``band``."""
    lo, hi = band
    kmin = max(0, math.ceil(round(base * (1 - hi) / step, 9)))
    kmax = min(math.floor(round(base * (1 - lo) / step, 9)), math.floor(round(upper / step, 9)))
    if kmin > kmax:  # pragma: no cover - baselines are floored so that every band is reachable
        raise RuntimeError(f"{where}: no value with improvement in {band} from {base}")
    return int(rng.integers(kmin, kmax + 1)) * step


#: Per core criterion: step of its values and its upper limit.
_CORE_SCALE: dict[str, tuple[float, float]] = {
    "physician_global": (1, 100),
    "patient_global": (1, 100),
    "active_joints": (1, 71),
    "limited_joints": (1, 71),
    "chaq": (0.125, 3),
    "esr": (1, 150),
}
#: Lab-value improvement bands per clinical status at a visit: good (an ACRpedi profile),
#: some (partial), flat (none).
_LAB_BANDS: dict[str, dict[str, tuple[float, float]]] = {
    "saa": {"good": (0.75, 0.97), "some": (0.2, 0.5), "flat": (-0.25, 0.2)},
    "ferritin": {"good": (0.5, 0.85), "some": (0.1, 0.4), "flat": (-0.3, 0.2)},
    "diary_score": {"good": (0.8, 1.0), "some": (0.2, 0.5), "flat": (-0.15, 0.15)},
}
_LAB_SCALE: dict[str, tuple[float, float]] = {
    "saa": (1, 3000),
    "ferritin": (1, 6000),
    "diary_score": (0.1, 16),
}


def _baseline(age: int, *, rng: np.random.Generator) -> dict[str, float]:
    def lognormal(median: float, sdlog: float, lo: float, hi: float) -> float:
        return float(np.clip(median * math.exp(sdlog * rng.standard_normal()), lo, hi))

    chaq = float(np.clip(rng.normal(1.6, 0.5), 1.25, 2.875))
    return {
        "physician_global": round(float(np.clip(rng.normal(60, 18), 30, 95))),
        "patient_global": round(float(np.clip(rng.normal(52, 20), 25, 95))),
        "active_joints": round(lognormal(14, 0.55, 10, 45)),
        "limited_joints": round(lognormal(14, 0.55, 10, 45)),
        "chaq": round(chaq / 0.125) * 0.125,
        "esr": round(float(np.clip(rng.normal(52, 20), 30, 110))),
        "crp": round(lognormal(60, 0.6, 30, 250), 1),
        "saa": round(lognormal(300, 0.6, 60, 1200)),
        "ferritin": round(lognormal(120, 1.0, 20, 3500)),
        "diary_score": round(float(rng.uniform(3, 10)), 1),
        "prednisone_mg_kg_day": round(float(np.clip(rng.normal(0.6, 0.25), 0.25, 1.2)), 2),
        "weight_kg": round(float(np.clip(3.5 + 2.6 * age + rng.normal(0, 2.5), 10, 75)), 1),
    }


def _visit_values(
    base: Mapping[str, float], course: Course, *, rng: np.random.Generator, where: str
) -> dict[str, float]:
    bands: dict[str, tuple[float, float]] = {}
    others = [c for c in CORE if c != "esr"]
    if course.inactive:  # active joints and physician global go to 0: not the slight one
        others = [c for c in others if c not in ("active_joints", "physician_global")]
    slight = others[int(rng.integers(len(others)))]
    if course.profile == "none":
        bands = {c: BANDS["flat"] for c in CORE}
    else:
        level = course.profile if course.profile in ("acr70", "acr50") else "acr30"
        bands = {c: BANDS[level] for c in CORE if c != "esr"}
        bands[slight] = BANDS["slight"]
        bands["esr"] = {
            "acr70": BANDS["acr70"],
            "acr50": BANDS["acr50"],
            "acr30": BANDS["esr_pass"],
        }.get(course.profile, BANDS["esr_fail"])
    values = {
        c: _in_band(
            base[c],
            bands[c],
            step=_CORE_SCALE[c][0],
            upper=_CORE_SCALE[c][1],
            rng=rng,
            where=f"{where} {c}",
        )
        for c in CORE
    }
    if course.inactive:
        values["active_joints"] = values["physician_global"] = 0
        lo, hi = CRP_INACTIVE_RANGE
        values["crp"] = int(rng.integers(round(lo * 10), round(hi * 10) + 1)) / 10
    elif course.crp == "low":
        hi = min(CRP_LOW_RANGE[1], 0.4 * base["crp"])
        values["crp"] = int(rng.integers(round(CRP_LOW_RANGE[0] * 10), round(hi * 10) + 1)) / 10
    else:
        values["crp"] = round(
            _in_band(base["crp"], BANDS["crp_high"], step=0.1, upper=500, rng=rng, where=where), 1
        )
    status = {"none": "flat", "partial": "some"}.get(course.profile, "good")
    for lab, per_status in _LAB_BANDS.items():
        step, upper = _LAB_SCALE[lab]
        values[lab] = _in_band(
            base[lab], per_status[status], step=step, upper=upper, rng=rng, where=f"{where} {lab}"
        )
    values["fever_days"] = int(rng.integers(2, 7)) if course.fever else 0
    return values


def make_clinical(
    plan: pd.DataFrame, ages: Mapping[str, int], *, rng: np.random.Generator
) -> pd.DataFrame:
    """Draw the clinical table of the toy trial (``clinical.tsv``) from the planted courses.

    Parameters
    ----------
    plan
        From :func:`plan_courses`.
    ages
        Subject ID -> age in years (weight at D1 follows age: about 3.5 + 2.6 x age kg).
    rng
        Random stream of the clinical values.

    Returns
    -------
    pandas.DataFrame
        One row per patient and visit (D1, M1, M6; by subject then visit), the columns of
        :data:`CLINICAL_COLUMNS` as text: counts, VAS (0-100 mm), ESR (mm/h), SAA (mg/l) and
        ferritin (ng/ml) whole numbers; CHAQ in steps of 0.125 (3 decimals); CRP (mg/l),
        weight (kg) and diary score (0-16) 1 decimal; prednisone (mg/kg/day) 2 decimals;
        ``systemic_symptoms`` ``yes``/``no``. Prednisone is unchanged at M1 and tapered by M6 in
        M6 responders (to 10-40 % of D1 and below 10 mg/day), 75-100 % of D1 otherwise.
        :data:`N_MISSING_CLINICAL` cells of ``saa``, ``ferritin`` and ``diary_score`` are empty;
        no cell that a response definition needs is.
    """
    rows = []
    for row in plan.itertuples(index=False):
        sid = row.subject_id
        base = _baseline(int(ages[sid]), rng=rng)
        d1 = dict(base)
        d1["fever_days"] = int(rng.integers(3, 9)) if row.fever_D1 else 0
        d1["systemic_symptoms"] = "yes" if d1["fever_days"] or rng.random() < 0.35 else "no"
        visits = {"D1": d1}
        for visit in FOLLOW_UP:
            course: Course = getattr(row, f"course_{visit}")
            v = _visit_values(base, course, rng=rng, where=f"{sid} {visit}")
            v["systemic_symptoms"] = "yes" if v["fever_days"] else "no"
            visits[visit] = v
        m1, m6 = visits["M1"], visits["M6"]
        m1["weight_kg"] = round(base["weight_kg"] + float(rng.uniform(0, 0.4)), 1)
        m6["weight_kg"] = round(base["weight_kg"] + float(rng.uniform(0.5, 2.5)), 1)
        m1["prednisone_mg_kg_day"] = base["prednisone_mg_kg_day"]
        if _definitions(row.course_M6)["primary"]:
            dose = base["prednisone_mg_kg_day"] * float(rng.uniform(0.1, 0.4))
            dose = min(dose, 0.25, 9.5 / m6["weight_kg"])
            m6["prednisone_mg_kg_day"] = max(0.01, math.floor(dose * 100) / 100)
        else:
            dose = base["prednisone_mg_kg_day"] * float(rng.uniform(0.75, 1.0))
            m6["prednisone_mg_kg_day"] = round(dose, 2)
        for visit in VISITS:
            rows.append(_format_row(sid, visit, row.arm, visits[visit]))
    table = pd.DataFrame(rows, columns=list(CLINICAL_COLUMNS))
    cells = [(i, c) for i in range(len(table)) for c in ("saa", "ferritin", "diary_score")]
    for k in rng.choice(len(cells), size=N_MISSING_CLINICAL, replace=False):
        i, c = cells[int(k)]
        table.iat[i, table.columns.get_loc(c)] = ""
    return table


def _format_row(sid: str, visit: str, arm: str, v: Mapping[str, float | str]) -> list[str]:
    return [
        sid,
        visit,
        arm,
        f"{v['physician_global']:.0f}",
        f"{v['patient_global']:.0f}",
        f"{v['active_joints']:.0f}",
        f"{v['limited_joints']:.0f}",
        f"{v['chaq']:.3f}",
        f"{v['esr']:.0f}",
        f"{v['crp']:.1f}",
        f"{v['fever_days']:d}",
        f"{v['saa']:.0f}",
        f"{v['ferritin']:.0f}",
        f"{v['prednisone_mg_kg_day']:.2f}",
        f"{v['weight_kg']:.1f}",
        str(v["systemic_symptoms"]),
        f"{v['diary_score']:.1f}",
    ]


def check_margins(clinical: pd.DataFrame, responses: pd.DataFrame) -> None:
    """Raise if a drawn value falls near a threshold or contradicts the planted course.

    A guard run by the generator on the formatted table (the independent check is in
    ``tests/test_toy_trial.py``): every core improvement is at least 3.5 percentage points away
    from 30, 50, 70 and 100 % (and from a 30 % worsening) except the exact 100 % of active
    joints and physician global in an inactive course, CRP at a follow-up visit is < 13 or > 17
    mg/l, ESR and CRP decreases are >= 55 % or <= 40 %, and ``fever_days`` is 0 exactly when
    the course is afebrile.

    Raises
    ------
    RuntimeError
        Naming the subject, visit and value.
    """
    table = clinical.set_index(["subject_id", "visit"])
    for row in responses.itertuples(index=False):
        d1, v = table.loc[(row.subject_id, "D1")], table.loc[(row.subject_id, row.visit)]
        where = f"{row.subject_id} {row.visit}"
        for c in CORE:
            improvement = (float(d1[c]) - float(v[c])) / float(d1[c])
            if row.inactive == "yes" and c in ("active_joints", "physician_global"):
                if float(v[c]) != 0:
                    raise RuntimeError(f"{where}: {c} {v[c]} in an inactive course")
                continue
            for threshold in (0.3, 0.5, 0.7, 1.0, -0.3):
                if abs(improvement - threshold) < 0.035:
                    raise RuntimeError(
                        f"{where}: {c} improvement {improvement:.3f} near {threshold}"
                    )
        for c in ("crp", "esr"):
            decrease = (float(d1[c]) - float(v[c])) / float(d1[c])
            if 0.40 < decrease < 0.549:
                raise RuntimeError(f"{where}: {c} decrease {decrease:.3f} near 50 %")
        if 13 <= float(v["crp"]) <= 17:
            raise RuntimeError(f"{where}: CRP {v['crp']} near 15 mg/l")
        if (int(v["fever_days"]) > 0) != (row.fever == "yes"):
            raise RuntimeError(f"{where}: fever_days {v['fever_days']} against the plan")


# --------------------------------------------------------------------------------------------
# the other tables


def make_adverse_events(plan: pd.DataFrame, *, rng: np.random.Generator) -> pd.DataFrame:
    """Adverse events (``adverse_events.tsv``): :data:`ADVERSE_EVENTS` given to random patients.

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``visit`` (visit at or after onset: M1 = double-blind month, M6 =
        open label), ``term``, ``serious`` (``yes``/``no``); by subject, visit, term. 16 events,
        2 serious. An event restricted to an arm goes to a patient of that arm (a patient may
        have several events).
    """
    rows = []
    for visit, term, serious, arm in ADVERSE_EVENTS:
        pool = plan["subject_id"] if arm is None else plan.loc[plan["arm"] == arm, "subject_id"]
        rows.append([str(rng.choice(pool.to_numpy())), visit, term, serious])
    events = pd.DataFrame(rows, columns=["subject_id", "visit", "term", "serious"])
    return events.sort_values(["subject_id", "visit", "term"], kind="stable").reset_index(drop=True)


def make_followup(plan: pd.DataFrame, *, rng: np.random.Generator) -> pd.DataFrame:
    """Days of follow-up per patient (``followup.tsv``): D1 to the M6 visit, 174-186 days."""
    days = 180 + rng.integers(-6, 7, size=len(plan))
    return pd.DataFrame({"subject_id": plan["subject_id"], "followup_days": days.astype(str)})


def make_analytes(plan: pd.DataFrame, *, rng: np.random.Generator) -> pd.DataFrame:
    """Serum IP10 and TRAIL (pg/ml) at D1, M1 and M6 (``analytes.tsv``, long format).

    Per patient and analyte a log-normal baseline (median and log-SD in
    :data:`ANALYTE_BASELINE`); an untreated visit (D1, placebo M1) is baseline x exp(N(0, 0.15)),
    a treated visit (anakinra M1 and M6, placebo M6) baseline x :data:`ANALYTE_FOLD` x
    exp(N(0, 0.2)), whatever the clinical response. 1 decimal.

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``visit``, ``analyte`` (IP10, TRAIL), ``value`` (text); by subject,
        visit, analyte.
    """
    rows = []
    for row in plan.itertuples(index=False):
        for analyte, (median, sdlog) in ANALYTE_BASELINE.items():
            base = median * math.exp(sdlog * rng.standard_normal())
            for visit in VISITS:
                treated = is_treated(row.arm, visit)
                fold = ANALYTE_FOLD[analyte] if treated else 1.0
                noise = math.exp((0.2 if treated else 0.15) * rng.standard_normal())
                rows.append([row.subject_id, visit, analyte, f"{base * fold * noise:.1f}"])
    return pd.DataFrame(rows, columns=["subject_id", "visit", "analyte", "value"])


def make_withdrawal(responses: pd.DataFrame, *, rng: np.random.Generator) -> pd.DataFrame:
    """A NOMID-style withdrawal sub-study (``withdrawal.tsv``) of the M6 responders.

    Anakinra is stopped after M6 in the 11 M6 responders; the days to the first flare are
    log-normal (median 5 days, log-SD 0.6, 1-21 days); :data:`WITHDRAWAL_CENSORED` random
    patients are still flare-free at day :data:`WITHDRAWAL_END_DAYS` (censored).

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``days_to_flare``, ``flared`` (1 observed, 0 censored); by subject.
    """
    ids = responses.loc[
        (responses["visit"] == "M6") & (responses["primary"] == "yes"), "subject_id"
    ].to_numpy()
    days = np.clip(np.rint(5 * np.exp(0.6 * rng.standard_normal(len(ids)))), 1, 21).astype(int)
    flared = np.ones(len(ids), dtype=int)
    censored = rng.permutation(len(ids))[:WITHDRAWAL_CENSORED]
    days[censored] = WITHDRAWAL_END_DAYS
    flared[censored] = 0
    return pd.DataFrame(
        {"subject_id": ids, "days_to_flare": days.astype(str), "flared": flared.astype(str)}
    )


def paired_truth() -> pd.DataFrame:
    """Planted within-patient direction of IP10, TRAIL (serum) and SOCS3 (expression).

    Returns
    -------
    pandas.DataFrame
        ``name``, ``source`` (``analyte``/``gene``), ``arm``, ``from_visit`` (D1),
        ``to_visit`` (M1, M6), ``direction`` (``up``/``down`` when the patient is treated at
        ``to_visit``: IP10 and TRAIL by :data:`ANALYTE_FOLD`, SOCS3 down; ``none`` otherwise).
    """
    rows = []
    items = [(a, "analyte", "up" if f > 1 else "down") for a, f in ANALYTE_FOLD.items()]
    for name, source, direction in [*items, ("SOCS3", "gene", "down")]:
        for arm in ("anakinra", "placebo"):
            for visit in FOLLOW_UP:
                treated = is_treated(arm, visit)
                rows.append([name, source, arm, "D1", visit, direction if treated else "none"])
    columns = ["name", "source", "arm", "from_visit", "to_visit", "direction"]
    return pd.DataFrame(rows, columns=columns)
