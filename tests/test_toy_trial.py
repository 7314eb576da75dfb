"""The toy trial's clinical side (resources/toy): the tables encode the planted answers.

Oracles: the trial's response definitions (Quartier et al. 2011, Methods and Table 2 footnotes)
recomputed here from clinical.tsv with a few lines of pandas, never with the generator's code;
the paper's Table 2 counts at M1 written out; scipy's paired t-test for the planted falls and rises
(SOCS3 from the expression matrix, IP10/TRAIL from analytes.tsv).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, ttest_rel

from modmap import toy

REPO = Path(__file__).resolve().parents[1]
TOY = REPO / "resources" / "toy"
CORE = ["physician_global", "patient_global", "active_joints", "limited_joints", "chaq", "esr"]
NUMERIC = [*CORE, "crp", "fever_days", "saa", "ferritin", "prednisone_mg_kg_day", "weight_kg"]
NUMERIC += ["diary_score"]


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(TOY / name, sep="\t", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def clinical() -> pd.DataFrame:
    table = _read("clinical.tsv")
    for c in NUMERIC:
        table[c] = pd.to_numeric(table[c].replace("", np.nan))
    return table


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return _read("response_truth.tsv").set_index(["subject_id", "visit"])


def _responses(clinical: pd.DataFrame, *, crp_normal: float, esr_normal: float) -> pd.DataFrame:
    """The trial's definitions at each follow-up visit vs D1, written from the paper."""
    by = clinical.set_index(["subject_id", "visit"])
    rows = []
    for (subject, visit), v in by.iterrows():
        if visit == "D1":
            continue
        d1 = by.loc[(subject, "D1")]
        change = [(d1[c] - v[c]) / d1[c] for c in CORE]  # improvement, fraction of D1
        worse = sum(x <= -0.30 for x in change)
        acr = {p: sum(x >= p / 100 for x in change) >= 3 and worse <= 1 for p in (30, 50, 70, 100)}
        no_fever = v["fever_days"] == 0
        crp_ok = v["crp"] <= d1["crp"] / 2 or v["crp"] < crp_normal
        esr_ok = v["esr"] <= d1["esr"] / 2 or v["esr"] < esr_normal
        systemic = no_fever and crp_ok and esr_ok
        # inactive disease (Wallace, what the table has) under prednisone < 0.3 mg/kg, < 10 mg
        inactive = (
            v["active_joints"] == 0
            and no_fever
            and v["systemic_symptoms"] == "no"
            and (v["crp"] <= crp_normal or v["esr"] <= esr_normal)
            and v["physician_global"] == 0
            and v["prednisone_mg_kg_day"] < 0.3
            and v["prednisone_mg_kg_day"] * v["weight_kg"] < 10
        )
        rows.append(
            {
                "subject_id": subject,
                "visit": visit,
                "arm": v["arm"],
                "primary": acr[30] and systemic,
                "systemic": systemic,
                **{f"acrpedi{p}": acr[p] for p in (30, 50, 70, 100)},
                **{f"modified_acrpedi{p}": acr[p] and systemic for p in (50, 70, 100)},
                "acrpedi30_no_fever": acr[30] and no_fever,
                "acrpedi30_no_fever_crp": acr[30] and no_fever and v["crp"] < 15,
                "inactive": inactive,
            }
        )
    return pd.DataFrame(rows).set_index(["subject_id", "visit"])


@pytest.fixture(scope="module")
def derived(clinical) -> pd.DataFrame:
    return _responses(clinical, crp_normal=10, esr_normal=20)


def test_generator_names_the_clinical_stages_definitions_and_core_set():
    # the generator writes its lists out (no code shared with the stage it plants truth for);
    # a definition added to or dropped from one side must not go unnoticed by the truth tables
    from modmap import toy_trial
    from modmap.clinical.columns import CORE as STAGE_CORE
    from modmap.clinical.definitions import DEFINITIONS

    assert toy_trial.DEFINITIONS == DEFINITIONS
    assert list(toy_trial.CORE) == list(STAGE_CORE) == CORE


def test_clinical_table_shape(clinical):
    assert list(clinical.columns) == [
        "subject_id", "visit", "arm", *CORE, "crp", "fever_days", "saa", "ferritin",
        "prednisone_mg_kg_day", "weight_kg", "systemic_symptoms", "diary_score",
    ]  # fmt: skip
    assert len(clinical) == 72 and not clinical.duplicated(["subject_id", "visit"]).any()
    visits = clinical.groupby("subject_id")["visit"].apply(tuple)
    assert len(visits) == 24 and (visits == ("D1", "M1", "M6")).all()
    samples = _read("samples.tsv").query("group == 'patient'").drop_duplicates("subject_id")
    arms = samples.set_index("subject_id")["arm"]
    assert (clinical["arm"] == clinical["subject_id"].map(arms)).all()
    # a few missing cells, never where a response definition needs a value
    missing = clinical[NUMERIC].isna()
    assert 1 <= missing.to_numpy().sum() <= 10
    assert not missing[[*CORE, "crp", "fever_days"]].any().any()
    assert not missing[["prednisone_mg_kg_day", "weight_kg"]].any().any()
    # ranges and units of the contract
    assert clinical[["physician_global", "patient_global"]].stack().between(0, 100).all()
    assert clinical["chaq"].between(0, 3).all() and clinical["fever_days"].between(0, 8).all()
    assert (clinical[["active_joints", "limited_joints", "esr"]] % 1 == 0).all().all()
    assert (clinical[[*CORE, "crp"]] >= 0).all().all()
    d1 = clinical[clinical["visit"] == "D1"]
    assert (d1[CORE] > 0).all().all()  # no zero baseline: every improvement is defined
    assert clinical["systemic_symptoms"].isin(["yes", "no"]).all()
    followup = clinical[clinical["visit"] != "D1"]
    assert ((followup["fever_days"] > 0) == (followup["systemic_symptoms"] == "yes")).all()


def test_table2_at_m1_has_the_papers_counts(derived):
    """Quartier 2011 Table 2 (12 vs 12 patients), recomputed from clinical.tsv."""
    paper = {
        "primary": (8, 1), "systemic": (8, 1), "acrpedi30": (11, 7),
        "acrpedi30_no_fever": (11, 6), "acrpedi30_no_fever_crp": (10, 3),
        "modified_acrpedi50": (7, 0), "modified_acrpedi70": (5, 0), "modified_acrpedi100": (0, 0),
    }  # fmt: skip
    m1 = derived.xs("M1", level="visit")
    counts = {d: tuple(int(m1.loc[m1["arm"] == a, d].sum()) for a in ("anakinra", "placebo"))
              for d in paper}  # fmt: skip
    assert counts == paper
    assert m1.groupby("arm").size().to_dict() == {"anakinra": 12, "placebo": 12}
    # ... so the primary endpoint gives the paper's uncorrected chi-square p = 0.003
    p = chi2_contingency([[8, 4], [1, 11]], correction=False).pvalue
    assert round(p, 3) == 0.003


def test_clinical_truth_file_matches_the_table(derived):
    truth = _read("clinical_truth.tsv")
    assert list(truth.columns) == ["definition", "visit", "arm", "n_responders", "n"]
    assert len(truth) == 12 * 2 * 2
    for row in truth.itertuples():
        sub = derived.xs(row.visit, level="visit")
        sub = sub[sub["arm"] == row.arm]
        assert int(sub[row.definition].sum()) == int(row.n_responders), row
        assert len(sub) == int(row.n), row


def test_every_subject_gets_its_planted_response(derived, planted):
    definitions = [c for c in planted.columns if c not in ("arm", "profile", "fever", "crp")]
    assert len(definitions) == 12
    want = planted[definitions] == "yes"
    assert want.sort_index().equals(derived[definitions].sort_index())
    # the modified ACRpedi 50/70 (+ no fever, CRP/ESR) equal the plain ones in the toy
    for p in (50, 70, 100):
        assert (derived[f"acrpedi{p}"] == derived[f"modified_acrpedi{p}"]).all()
    # inactive disease: a few M6 responders, nobody at M1
    inactive = derived.loc[derived["inactive"]]
    assert set(inactive.index.get_level_values("visit")) == {"M6"} and 2 <= len(inactive) <= 4
    assert derived.loc[inactive.index, "primary"].all()


def test_responders_do_not_depend_on_the_normal_limits(clinical, derived):
    """No borderline case: the paper's lab normals (CRP <= 6, ESR <= 10) give the same answers."""
    strict = _responses(clinical, crp_normal=6, esr_normal=10)
    assert strict.sort_index().equals(derived.sort_index())


def test_no_value_sits_near_a_threshold(clinical):
    by = clinical.set_index(["subject_id", "visit"])
    for (subject, visit), v in by.iterrows():
        if visit == "D1":
            continue
        d1 = by.loc[(subject, "D1")]
        change = {c: (d1[c] - v[c]) / d1[c] for c in CORE}
        # exactly 100 % only for active joints and physician global (inactive disease): 2 < 3
        full = [c for c, x in change.items() if x == 1.0]
        assert set(full) <= {"active_joints", "physician_global"}, (subject, visit)
        for c, x in change.items():
            if c not in full:
                assert min(abs(x - t) for t in (0.3, 0.5, 0.7, 1.0, -0.3)) > 0.03, (subject, visit)
        for c in ("crp", "esr"):
            assert not 0.4 < (d1[c] - v[c]) / d1[c] < 0.55, (subject, visit, c)
        assert not 12.5 < v["crp"] < 17.5, (subject, visit)
        assert not 5.5 < v["crp"] < 10.5 or v["active_joints"] > 0, (subject, visit)


def test_sample_sheet_responders_are_the_m6_primary_endpoint(derived):
    """The M6 responders (primary endpoint at M6 vs D1) are the sample sheet's, if it has them."""
    m6 = derived.xs("M6", level="visit")
    yes = sorted(m6.index[m6["primary"]])
    assert len(yes) == 11
    assert m6.loc[yes, "arm"].value_counts().to_dict() == {"anakinra": 7, "placebo": 4}
    sheet = _read("samples.tsv").query("group == 'patient'")
    if toy.RESPONDER_COLUMN:
        got = sorted(sheet.loc[sheet["responder"] == "yes", "subject_id"].unique())
        assert got == yes
    else:
        assert "responder" not in sheet.columns
    # one anakinra responder at M1 has lost the response at M6
    m1 = derived.xs("M1", level="visit")
    lost = m1.index[m1["primary"] & (m1["arm"] == "anakinra") & ~m6.loc[m1.index, "primary"]]
    assert len(lost) == 1


def test_labs_fall_in_responders(clinical, derived):
    """SAA, CRP, ESR, ferritin, diary score and prednisone: down at M6 in every M6 responder,
    and further down than in non-responders (median relative change)."""
    by = clinical.set_index(["subject_id", "visit"])
    m6 = derived.xs("M6", level="visit")["primary"]
    labs = ["saa", "crp", "esr", "ferritin", "diary_score", "prednisone_mg_kg_day"]
    change = pd.DataFrame(
        {
            lab: (by[lab].xs("M6", level="visit") - by[lab].xs("D1", level="visit"))
            / by[lab].xs("D1", level="visit")
            for lab in labs
        }  # fmt: skip
    )
    responders, others = change[m6], change[~m6]
    for lab in labs:
        r = responders[lab].dropna()
        assert len(r) >= 9 and (r < 0).all(), lab
        assert r.median() < -0.5 and r.median() < others[lab].median() - 0.3, lab
    # inactive disease is possible for them: prednisone < 0.3 mg/kg/day and < 10 mg/day
    dose = by.xs("M6", level="visit").loc[m6[m6].index]
    assert (dose["prednisone_mg_kg_day"] < 0.3).all()
    assert (dose["prednisone_mg_kg_day"] * dose["weight_kg"] < 10).all()


def _paired(wide: pd.DataFrame, arm: str, visit: str, arms: pd.Series) -> np.ndarray:
    sub = wide[wide.index.map(arms) == arm][["D1", visit]].dropna()
    return (sub[visit] - sub["D1"]).to_numpy()


@pytest.fixture(scope="module")
def arms() -> pd.Series:
    return _read("clinical.tsv").drop_duplicates("subject_id").set_index("subject_id")["arm"]


def test_socs3_falls_when_treated(arms):
    """SOCS3 (expression, log2): down from D1 in treated patients, by scipy's paired t-test."""
    ilmn = _read("platform_illumina.tsv")
    probe = ilmn.loc[ilmn["Symbol"] == "SOCS3", "ID"]
    assert len(probe) == 1
    expr = pd.read_csv(TOY / "expression.tsv.gz", sep="\t", index_col="feature_id")
    sheet = _read("samples.tsv").query("group == 'patient'")
    values = sheet.assign(x=expr.loc[probe.item(), sheet["sample_id"]].to_numpy())
    wide = values.pivot(index="subject_id", columns="timepoint", values="x")
    truth = _read("paired_truth.tsv").query("name == 'SOCS3'")
    assert truth["direction"].tolist() == ["down", "down", "none", "down"]
    for row in truth.itertuples():
        diff = _paired(wide, row.arm, row.to_visit, arms)
        p = ttest_rel(diff, np.zeros_like(diff)).pvalue
        if row.direction == "down":
            assert len(diff) >= 9 and (diff < 0).mean() >= 0.8 and p < 0.01, row
        else:
            assert p > 0.05, row
    anakinra_m6 = _paired(wide, "anakinra", "M6", arms)
    assert ttest_rel(anakinra_m6, np.zeros_like(anakinra_m6)).pvalue < 0.001


def test_ip10_and_trail_follow_the_planted_direction(arms):
    """Serum IP10/TRAIL (pg/ml, analytes.tsv): paired t-test D1 vs follow-up per arm. Planted to
    rise when treated, as the paper's Figure 3C ("significantly increased ... at M6")."""
    analytes = _read("analytes.tsv")
    assert list(analytes.columns) == ["subject_id", "visit", "analyte", "value"]
    analytes["value"] = analytes["value"].astype(float)
    assert (analytes["value"] > 0).all() and set(analytes["analyte"]) == {"IP10", "TRAIL"}
    assert len(analytes) == 24 * 3 * 2
    truth = _read("paired_truth.tsv").query("source == 'analyte'")
    assert set(truth.loc[truth["to_visit"] == "M6", "direction"]) == {"up"}
    for row in truth.itertuples():
        wide = analytes[analytes["analyte"] == row.name].pivot(
            index="subject_id", columns="visit", values="value"
        )
        diff = _paired(wide, row.arm, row.to_visit, arms)
        p = ttest_rel(diff, np.zeros_like(diff)).pvalue
        assert len(diff) == 12
        if row.direction == "none":
            assert p > 0.05, row
        else:
            sign = 1 if row.direction == "up" else -1
            assert (sign * diff > 0).mean() >= 0.9 and p < 0.01, row


def test_adverse_events_followup_and_withdrawal(derived):
    patients = set(_read("clinical.tsv")["subject_id"])
    events = _read("adverse_events.tsv")
    assert list(events.columns) == ["subject_id", "visit", "term", "serious"]
    assert set(events["subject_id"]) <= patients and events["visit"].isin(["M1", "M6"]).all()
    assert 8 <= len(events) <= 20 and (events["serious"] == "yes").sum() in (1, 2)
    assert events["serious"].isin(["yes", "no"]).all()
    followup = _read("followup.tsv")
    assert list(followup.columns) == ["subject_id", "followup_days"]
    assert set(followup["subject_id"]) == patients and len(followup) == 24
    assert followup["followup_days"].astype(int).between(150, 200).all()
    withdrawal = _read("withdrawal.tsv")
    assert list(withdrawal.columns) == ["subject_id", "days_to_flare", "flared"]
    m6 = derived.xs("M6", level="visit")
    assert sorted(withdrawal["subject_id"]) == sorted(m6.index[m6["primary"]])
    assert withdrawal["flared"].isin(["0", "1"]).all() and (withdrawal["flared"] == "0").sum() >= 1
    days = withdrawal["days_to_flare"].astype(int)
    assert (days > 0).all()
    assert (days[withdrawal["flared"] == "0"] >= days[withdrawal["flared"] == "1"].max()).all()


def test_responder_column_switch(tmp_path):
    """--no-responder-column drops only the column: every other file, truth.tsv too, is equal."""
    args = [
        "--annotation",
        str(REPO / "resources" / "annotation" / "refseq_entrez_symbol.tsv.gz"),
        "--config",
        str(REPO / "config" / "config.yaml"),
    ]
    toy.main(["--outdir", str(tmp_path / "with"), "--responder-column", *args])
    toy.main(["--outdir", str(tmp_path / "without"), "--no-responder-column", *args])
    names = sorted(p.name for p in (tmp_path / "with").iterdir())
    for name in names:
        a, b = (tmp_path / d / name for d in ("with", "without"))
        if name != "samples.tsv":
            assert a.read_bytes() == b.read_bytes(), name
    with_col = pd.read_csv(tmp_path / "with" / "samples.tsv", sep="\t", dtype=str)
    without = pd.read_csv(tmp_path / "without" / "samples.tsv", sep="\t", dtype=str)
    assert with_col.drop(columns="responder").equals(without)
