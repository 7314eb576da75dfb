"""The toy run's Table 1 demographic rows and Table 3 periods, against the toy's planted files.

Table 1's sex and age rows are recomputed here from the toy sample sheet (config/samples.tsv,
read with the csv module; mean and sample SD with ``statistics``); Table 3's periods are the
planted adverse events (resources/toy/adverse_events.tsv) counted by hand below.
"""

from __future__ import annotations

import csv
import statistics

import pandas as pd
import pytest
from conftest import load_config

pytestmark = pytest.mark.e2e


def _rows(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_table1_age_and_sex_from_the_sample_sheet(toy_run):
    config = load_config(toy_run)["clinical"]
    assert config["table1_samples"]["visit_column"] == "timepoint"
    arm = {
        r["subject_id"]: r["arm"]
        for r in _rows(toy_run / config["path"])
        if r["visit"] == config["baseline"]
    }
    # each subject's D1 sample; a subject without one (SJIA02) takes its other samples' value
    sheet = [r for r in _rows(toy_run / "config" / "samples.tsv") if r["subject_id"] in arm]
    value = {}
    for r in sorted(sheet, key=lambda r: r["timepoint"] != "D1"):
        value.setdefault(r["subject_id"], (float(r["age"]), r["sex"]))
    assert "SJIA02" in value and len(value) == len(arm) == 24
    table = pd.read_csv(
        toy_run / "results" / "clinical" / "table1.tsv", sep="\t", dtype=str, keep_default_na=False
    )
    assert table["variable"].tolist()[:4] == ["subjects", "sex", "age", "physician_global"]
    table = table.set_index("variable")
    for group in ("anakinra", "placebo", "overall"):
        members = [s for s in arm if group == "overall" or arm[s] == group]
        ages = [value[s][0] for s in members]
        female = sum(value[s][1] == "F" for s in members)
        mean, sd = statistics.mean(ages), statistics.stdev(ages)
        assert table.loc["age", group] == f"{mean:.1f} ({sd:.1f})", group
        assert table.loc["sex", group] == f"{female} ({100 * female / len(members):.1f})", group
        assert table.loc["age", f"{group}_n"] == table.loc["sex", f"{group}_n"] == str(len(ages))
    assert table.loc["sex", "label"] == "Female"


# The toy's adverse events (resources/toy/adverse_events.tsv), by hand. Visit M1 = onset in the
# double-blind month, M6 = open label. Arms from the sheet: anakinra SJIA02, 08, 11, 16, 20;
# placebo SJIA01, 04, 14, 17, 18.
#   double blind, anakinra: SJIA02 injection site pain x2, SJIA16 erythema + URTI, SJIA20 pain
#   double blind, placebo:  SJIA04 gastroenteritis, SJIA17 pain, SJIA18 pain
#   open label, anakinra:   SJIA02 skin lesion, SJIA08 pneumonia (serious), SJIA11 vomiting
#   open label, placebo:    SJIA01 pain, SJIA04 vertebral collapse (serious), SJIA14 varicella,
#                           SJIA17 bronchitis, SJIA18 pain
HAND = {  # (period, group, item): (events, patients)
    ("double_blind", "anakinra", "any"): (5, 3),
    ("double_blind", "placebo", "any"): (3, 3),
    ("double_blind", "overall", "any"): (8, 6),
    ("double_blind", "overall", "serious"): (0, 0),
    ("double_blind", "anakinra", "term: injection site pain"): (3, 2),
    ("double_blind", "placebo", "term: injection site pain"): (2, 2),
    ("open_label", "anakinra", "any"): (3, 3),
    ("open_label", "placebo", "any"): (5, 5),
    ("open_label", "overall", "any"): (8, 8),
    ("open_label", "anakinra", "serious"): (1, 1),
    ("open_label", "placebo", "serious"): (1, 1),
    ("open_label", "overall", "term: injection site pain"): (2, 2),
    ("all", "overall", "any"): (16, 10),
    ("all", "overall", "serious"): (2, 2),
}


def test_table3_by_period_counts_the_planted_events(toy_run):
    assert load_config(toy_run)["clinical"]["double_blind_until"] == "M1"
    table = pd.read_csv(toy_run / "results" / "clinical" / "table3.tsv", sep="\t")
    assert table["period"].unique().tolist() == ["all", "double_blind", "open_label"]
    indexed = table.set_index(["period", "group", "item"])
    for key, (events, patients) in HAND.items():
        assert (indexed.loc[key, "events"], indexed.loc[key, "patients"]) == (events, patients), key
    # every toy subject is seen at M6, so all 12 + 12 are followed into the open label
    for period in ("double_blind", "open_label"):
        rows = table[table["period"] == period]
        assert rows.loc[rows["item"] == "any", "n_subjects"].tolist() == [12, 12, 24], period
        assert rows["patient_years"].isna().all()
    table = indexed
    assert table.loc[("all", "overall", "any"), "patient_years"] == pytest.approx(
        sum(float(r["followup_days"]) for r in _rows(toy_run / "resources/toy/followup.tsv"))
        / 365.25
    )
