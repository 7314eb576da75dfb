"""End-to-end check of the statistics library on the toy cohort: planted truth is recovered.

Runs the library (not Snakemake) on ``resources/toy/``: comparisons are resolved here from
``config/config.yaml`` by plain equality of the sample-sheet columns, and module membership is the
generator's own ``bridge_truth.tsv`` (unambiguous probe sets), so the check depends only on the
statistics code and the planted truth (``truth.tsv``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from modmap.stats import gene_tests, module_scores

REPO = Path(__file__).resolve().parents[1]
TOY = REPO / "resources" / "toy"

pytestmark = pytest.mark.skipif(not (TOY / "truth.tsv").exists(), reason="toy cohort not built")


def _select(sheet: pd.DataFrame, selector: dict) -> pd.Series:
    keep = pd.Series(True, index=sheet.index)
    for column, value in selector.items():
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        keep &= sheet[column].isin(values)
    return keep


def _design(sheet: pd.DataFrame, comp: dict) -> pd.DataFrame:
    case = sheet[_select(sheet, comp["case"])]
    control = sheet[_select(sheet, comp["control"])]
    by = comp.get("paired_by")
    if by:
        both = sorted(set(case[by]) & set(control[by]))
        case = case[case[by].isin(both)]
        control = control[control[by].isin(both)]
    rows = [
        (sid, role, key if by else "")
        for frame, role in ((case, "case"), (control, "control"))
        for sid, key in zip(
            frame["sample_id"], frame[by] if by else frame["sample_id"], strict=True
        )
    ]
    return pd.DataFrame(rows, columns=["sample_id", "role", "pair"])


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    sheet = pd.read_csv(TOY / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    # responder = the planted primary endpoint at M6 (what the clinical stage derives), whether
    # or not the sheet still carries the column
    planted = pd.read_csv(TOY / "response_truth.tsv", sep="\t", dtype=str).query("visit == 'M6'")
    responder = sheet["subject_id"].map(planted.set_index("subject_id")["primary"]).fillna("")
    sheet = sheet.assign(responder=responder)
    expr = pd.read_csv(TOY / "expression.tsv.gz", sep="\t", index_col="feature_id")
    bridge = pd.read_csv(TOY / "bridge_truth.tsv", sep="\t", dtype=str, keep_default_na=False)
    bridge = bridge[bridge["status"] == "unambiguous"]
    membership = pd.DataFrame(
        {"module_id": bridge["module_id"], "title": "", "feature_id": bridge["target_id"]}
    )
    tables = {
        c["name"]: gene_tests(expr, _design(sheet, c), comparison=c["name"], min_group_size=3)
        for c in config["comparisons"]
    }
    return module_scores(tables, membership, alpha=0.05, threshold_on="p_value")


def test_planted_modules_rank_first(scores):
    truth = pd.read_csv(TOY / "truth.tsv", sep="\t", dtype=str)
    merged = scores.merge(truth, on=["comparison", "module_id"], validate="one_to_one")
    for name, sub in merged.groupby("comparison"):
        for direction, column in (("up", "pct_up"), ("down", "pct_down")):
            planted = sub.loc[sub["direction"] == direction, column]
            others = sub.loc[~sub["direction"].isin([direction, "partial"]), column]
            if planted.empty:
                continue
            assert planted.min() > others.max(), (name, direction)


def test_no_effect_modules_near_five_percent(scores):
    truth = pd.read_csv(TOY / "truth.tsv", sep="\t", dtype=str)
    merged = scores.merge(truth, on=["comparison", "module_id"])
    null = merged[merged["direction"] == "none"]
    called = null["n_up"].sum() + null["n_down"].sum()
    rate = called / null["n_genes"].sum()
    # ~2,900 gene tests at alpha 0.05: the binomial sd of the rate is ~0.4 percentage points.
    assert 0.03 < rate < 0.07
    assert (null["pct_up"] + null["pct_down"]).max() < 35
