"""The clinical stage run by Snakemake on a planted clinical table (tests/clinical_tables.py),
checked by hand.

The table plants, at M1, the paper's Table 2 counts (12 vs 12 patients): primary endpoint 8 vs 1,
ACRpedi 30 11 vs 7, ACRpedi 30 and no fever 11 vs 6, ... and at M6 the toy's typed responders
(primary endpoint met = the typed "yes"). The typed column is removed from the sample sheet, so
the responder comparisons of the toy config select on the derived column.
"""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest
from clinical_tables import ANAKINRA_M1, PLACEBO_M1, clinical_table
from conftest import load_config, run_snakemake, write_config
from scipy.stats import mannwhitneyu

pytestmark = pytest.mark.e2e

# Expected Table 2 (counts from the planted states; p-values printed in the paper).
EXPECTED = {
    "primary": (8, 1, "chisq", 0.003),
    "systemic": (8, 1, "chisq", 0.003),
    "acrpedi30": (11, 7, "chisq", 0.059),
    "acrpedi30_no_fever": (11, 6, "chisq", 0.025),
    "acrpedi30_no_fever_crp": (10, 3, "chisq", 0.004),
    "modified_acrpedi50": (7, 0, "fisher", 0.005),
    "modified_acrpedi70": (5, 0, "fisher", 0.037),  # the paper prints 0.038 (docs/clinical.md)
    "modified_acrpedi100": (0, 0, "fisher", 1.0),
}


def test_clinical_stage_end_to_end(workdir):
    sheet = pd.read_csv(
        workdir / "config" / "samples.tsv", sep="\t", dtype=str, keep_default_na=False
    )
    # The planted M6 responders of the toy (resources/toy/response_truth.tsv), typed as a column
    # here so that the test's own clinical table encodes them; the sheet given to the workflow
    # has no such column (the stage derives it).
    truth = pd.read_csv(workdir / "resources" / "toy" / "response_truth.tsv", sep="\t", dtype=str)
    planted = truth[truth["visit"] == "M6"].set_index("subject_id")["primary"]
    sheet["responder"] = sheet["subject_id"].map(planted).fillna("")
    clinical, typed = clinical_table(sheet)
    assert len(clinical) == 72 and sorted(clinical["arm"].value_counts()) == [36, 36]
    # Missing values that do not change the answer: an ACRpedi-70 patient without patient global
    # at M1 (5 known improved, none worsened: decided yes), a "none" placebo patient without ESR
    # at M1 (fever decides the primary endpoint: no).
    first_acr70 = clinical.index[(clinical["visit"] == "M1") & (clinical["crp"] == 5)][0]
    clinical.loc[first_acr70, "patient_global"] = np.nan
    placebo_none = clinical.index[
        (clinical["visit"] == "M1") & (clinical["arm"] == "placebo") & (clinical["crp"] == 80)
    ][0]
    clinical.loc[placebo_none, "esr"] = np.nan
    clinical.to_csv(workdir / "config" / "clinical.tsv", sep="\t", index=False)
    sheet.drop(columns="responder").to_csv(
        workdir / "config" / "samples.tsv", sep="\t", index=False
    )
    subjects = clinical.drop_duplicates("subject_id")
    events = pd.DataFrame(
        {
            "subject_id": [subjects["subject_id"].iloc[0]] * 2 + [subjects["subject_id"].iloc[1]],
            "visit": ["M1", "M6", "M1"],
            "term": ["pain at injection site", "infection", "pain at injection site"],
            "serious": ["no", "yes", "no"],
        }
    )
    events.to_csv(workdir / "config" / "adverse_events.tsv", sep="\t", index=False)
    followup = pd.DataFrame({"subject_id": subjects["subject_id"], "followup_days": 365.25 / 2})
    followup.to_csv(workdir / "config" / "followup.tsv", sep="\t", index=False)
    config = load_config(workdir)
    config["clinical"] = {
        "path": "config/clinical.tsv",
        "adverse_events": "config/adverse_events.tsv",
        "followup": "config/followup.tsv",
        "visits": ["D1", "M1", "M6"],
        "baseline": "D1",
        "arms": ["anakinra", "placebo"],
        "responder": {"definition": "primary", "visit": "M6", "column": "responder"},
    }
    # The report's pages come from one job (rule report_tables) that reads every stage's tables:
    # the longitudinal sections, not checked here, are off to keep that job's inputs few.
    for name in ("signature", "analytes", "labs", "survival", "transcripts"):
        config.pop(name, None)
    write_config(workdir, config)
    targets = [
        "results/validated/samples.tsv",
        "results/validated/comparisons.tsv",
        *(
            f"results/clinical/{n}.tsv"
            for n in ("response", "flares", "responders", "table1", "table2", "table3")
        ),
        *(
            f"results/report/clinical_{n}.html"
            for n in ("responders", "table1", "table2", "table3")
        ),
    ]
    run_snakemake(workdir, *targets, check=True)
    res = workdir / "results"

    def tsv(name):
        return pd.read_csv(res / name, sep="\t", dtype=str, keep_default_na=False)

    # Responders: the derived column equals the typed one, on every sample of the subject.
    responders = tsv("clinical/responders.tsv")
    assert dict(zip(responders["subject_id"], responders["responder"], strict=True)) == typed
    validated = tsv("validated/samples.tsv")
    expected = [typed.get(s, "") for s in validated["subject_id"]]
    assert validated["responder"].tolist() == expected
    comparisons = tsv("validated/comparisons.tsv")
    cases = comparisons[
        (comparisons["comparison"] == "responders_M6") & (comparisons["role"] == "case")
    ]["sample_id"]
    # the config's responder comparison, applied by hand to the typed column
    selector = next(c for c in config["comparisons"] if c["name"] == "responders_M6")["case"]
    assert selector["responder"] == "yes"
    hand = sheet
    for column, value in selector.items():
        hand = hand[hand[column] == value]
    assert len(hand) >= 3 and sorted(cases) == sorted(hand["sample_id"])

    # response.tsv: the decided-despite-missing rows.
    response = tsv("clinical/response.tsv")
    m1 = response[response["visit"] == "M1"].set_index("subject_id")
    s = clinical.loc[first_acr70, "subject_id"]
    assert m1.loc[s, "acrpedi70"] == "yes" and m1.loc[s, "n_core_missing"] == "1"
    assert m1.loc[s, "not_computable"] == "patient_global"
    s = clinical.loc[placebo_none, "subject_id"]
    assert m1.loc[s, "esr_ok"] == "" and m1.loc[s, "primary"] == "no"
    assert m1.loc[s, "acrpedi30"] == "no"  # 0 improved of 5 known: cannot reach 3

    # Table 2: the paper's counts and p-values.
    table2 = pd.read_csv(res / "clinical" / "table2.tsv", sep="\t")
    rows = table2[table2["section"] == "response"].set_index("item")
    for name, (a, p, test, pval) in EXPECTED.items():
        row = rows.loc[name]
        assert (row["anakinra_count"], row["placebo_count"]) == (a, p), name
        assert (row["anakinra_n"], row["placebo_n"]) == (12, 12), name
        assert row["test"] == test, name
        assert round(row["p_value"], 3) == pval, name
    # Relative change of CRP from D1 to M1, by hand, and Mann-Whitney as R (scipy, continuity
    # corrected normal approximation since the values tie).
    crp = {
        "acr70_sys": 5,
        "acr50_sys": 10,
        "acr30_sys": 12,
        "acr30_crp_low": 10,
        "acr30_crp_high": 50,
        "acr30_fever": 50,
        "none": 80,
    }
    change = {
        arm: np.array([(crp[s] - 80) / 80 * 100 for s in states])
        for arm, states in (("anakinra", ANAKINRA_M1), ("placebo", PLACEBO_M1))
    }
    row = table2[(table2["section"] == "relative_change") & (table2["item"] == "crp")].iloc[0]
    assert row["anakinra_mean_change"] == pytest.approx(change["anakinra"].mean())
    assert row["placebo_mean_change"] == pytest.approx(change["placebo"].mean())
    oracle = mannwhitneyu(change["anakinra"], change["placebo"], method="asymptotic")
    assert row["p_value"] == pytest.approx(oracle.pvalue, rel=1e-10)
    assert row["statistic"] == oracle.statistic

    # Table 1: 12 + 12 patients, CRP 80 (SD 0) in every group.
    table1 = tsv("clinical/table1.tsv").set_index("variable")
    assert table1.loc["subjects", ["anakinra", "placebo", "overall"]].tolist() == ["12", "12", "24"]
    assert table1.loc["crp", "overall"] == "80.0 (0.0)"

    # Table 3: 3 events in the first two subjects, half a patient-year each.
    table3 = pd.read_csv(res / "clinical" / "table3.tsv", sep="\t").set_index(["group", "item"])
    overall = table3.loc[("overall", "any")]
    assert (overall["events"], overall["patients"]) == (3, 2)
    assert overall["patient_years"] == pytest.approx(12.0)
    assert overall["rate_per_patient_year"] == pytest.approx(3 / 12)
    assert table3.loc[("overall", "serious"), "events"] == 1
    page = (res / "report" / "clinical_table2.html").read_text()
    assert "0.003" in page and "Modified ACRpedi 70 responders" in page
    # The report shows the clinical section with the responder definition used.
    run_snakemake(workdir, *targets, "--report", "results/clinical_report.zip", check=True)
    with zipfile.ZipFile(res / "clinical_report.zip") as report:
        text = "\n".join(
            report.read(n).decode("utf-8", "replace")
            for n in report.namelist()
            if n.endswith((".js", ".html"))
        )
    assert "4. Clinical response" in text
    assert "the definition <strong>primary</strong> holds at M6 against D1" in text


def test_typed_and_derived_responder_column_is_an_error_before_anything_runs(workdir):
    sheet_path = workdir / "config" / "samples.tsv"
    sheet = pd.read_csv(sheet_path, sep="\t", dtype=str, keep_default_na=False)
    sheet["responder"] = "no"  # a hand-typed column beside the derived one
    sheet_path.unlink()  # a symlink into resources/toy: write a file of its own
    sheet.to_csv(sheet_path, sep="\t", index=False)
    proc = run_snakemake(workdir, "-n")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "config/samples.tsv: the sample sheet has a column 'responder'" in out
    assert "remove the column 'responder' from the sample sheet" in out


def test_without_a_clinical_section_no_clinical_job_is_planned(workdir):
    config = load_config(workdir)
    del config["clinical"]
    # without the clinical stage there is no responder column: drop what selects on it
    config["comparisons"] = [c for c in config["comparisons"] if "responder" not in c["case"]]
    config["signature"]["follow"] = [c["name"] for c in config["comparisons"][:2]]
    config["fingerprints"]["colour_by"] = None
    write_config(workdir, config)
    proc = run_snakemake(workdir, "-n", check=True)
    out = proc.stdout + proc.stderr
    assert "gene_tests" in out  # the plan is listed
    assert "clinical_response" not in out and "results/clinical/" not in out


def test_a_table1_row_naming_no_sample_sheet_column_stops_the_run_before_any_job(workdir):
    config = load_config(workdir)
    config["clinical"]["table1_samples"]["rows"][1]["column"] = "age_years"
    write_config(workdir, config)
    proc = run_snakemake(workdir, "-n")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert (
        "config clinical.table1_samples.rows[1].column: column 'age_years' is not in the sample "
        "sheet config/samples.tsv"
    ) in out, out[-3000:]
    assert not (workdir / "results").exists()
