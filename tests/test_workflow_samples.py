"""Per-sample fingerprints, distance to health and module enrichment on the toy run.

Checked against what the toy generator planted (resources/toy/truth.tsv and the sample states of
resources/toy/README.md), never against an earlier output: patients at D1 are further from health
than the healthy controls, anakinra responders come back towards health by M6, planted up/down
modules have the planted sign in the D1 patients' fingerprints, and the planted modules (and only
they) are enriched in the D1 comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REPO

pytestmark = pytest.mark.e2e

TOY = REPO / "resources" / "toy"


def _tsv(path) -> pd.DataFrame:
    return pd.read_csv(
        path, sep="\t", dtype={"sample_id": str}, keep_default_na=False, na_values=[""]
    )


def _sheet(run) -> pd.DataFrame:
    return pd.read_csv(
        run / "results" / "validated" / "samples.tsv", sep="\t", dtype=str, keep_default_na=False
    )


def test_outputs_cover_every_sample_and_kept_module(toy_run):
    results = toy_run / "results"
    for name in ("fingerprints", "distance_to_health"):
        for ext in ("pdf", "png"):
            assert (results / "figures" / f"{name}.{ext}").stat().st_size > 1000
    sheet = _sheet(toy_run)
    fp = _tsv(results / "modules" / "samples.tsv")
    kept = pd.unique(_tsv(results / "modules" / "membership.tsv")["module_id"])
    assert list(fp.columns) == [
        "sample_id", "module_id", "n_genes", "n_up", "n_down", "pct_up", "pct_down", "net"
    ]  # fmt: skip
    assert len(fp) == len(sheet) * len(kept)
    assert list(pd.unique(fp["sample_id"])) == sheet["sample_id"].tolist()
    assert list(pd.unique(fp["module_id"])) == list(kept)
    np.testing.assert_allclose(fp["net"], fp["pct_up"] - fp["pct_down"])
    np.testing.assert_allclose(fp["pct_up"], 100 * fp["n_up"] / fp["n_genes"])
    report = (results / "report.html").read_text(encoding="utf-8")
    assert "6. Per-sample fingerprints" in report and "7. Module enrichment" in report


def test_distance_to_health_follows_the_planted_course(toy_run):
    sheet = _sheet(toy_run)
    d = sheet.merge(_tsv(toy_run / "results" / "samples" / "distance.tsv"), on="sample_id")
    healthy = d.loc[d["group"] == "healthy", "distance"]
    d1 = d.loc[(d["group"] == "patient") & (d["timepoint"] == "D1"), "distance"]
    # every D1 patient carries the planted inflammatory state: all beyond the healthy range
    assert d1.min() > healthy.max()
    # anakinra responders normalise: each one's M6 distance is below its D1 distance, and the
    # responders' M6 median is nearer to health than their D1 median by at least a third
    resp = d[(d["arm"] == "anakinra") & (d["responder"] == "yes")]
    wide = resp.pivot(index="subject_id", columns="timepoint", values="distance").dropna(
        subset=["D1", "M6"]
    )
    assert len(wide) >= 4
    assert (wide["M6"] < wide["D1"]).all()
    gap = wide["D1"].median() - healthy.median()
    assert wide["M6"].median() - healthy.median() < 2 / 3 * gap


def test_fingerprints_of_d1_patients_show_the_planted_modules(toy_run):
    sheet = _sheet(toy_run)
    fp = _tsv(toy_run / "results" / "modules" / "samples.tsv").merge(sheet, on="sample_id")
    truth = _tsv(TOY / "truth.tsv")
    truth = truth[truth["comparison"] == "anakinra_D1"].set_index("module_id")["direction"]
    d1 = fp[(fp["group"] == "patient") & (fp["timepoint"] == "D1")]
    healthy = fp[fp["group"] == "healthy"]
    mean_d1 = d1.groupby("module_id")["net"].mean()
    mean_h = healthy.groupby("module_id")["net"].mean()
    planted = {"up": 1, "down": -1}
    checked = 0
    for module, direction in truth.items():
        if direction in planted and module in mean_d1.index:
            assert planted[direction] * (mean_d1[module] - mean_h[module]) > 20, module
            checked += 1
        elif direction == "none" and module in mean_d1.index:
            assert abs(mean_d1[module] - mean_h[module]) < 15, module
    assert checked >= 8


def test_enrichment_finds_the_planted_modules_and_rings_them(toy_run):
    e = _tsv(toy_run / "results" / "modules" / "enrichment.tsv")
    truth = _tsv(TOY / "truth.tsv")
    merged = e.merge(truth, on=["comparison", "module_id"], suffixes=("", "_truth"))
    d1 = merged[merged["comparison"] == "anakinra_D1"]
    planted = d1[d1["direction_truth"].isin(["up", "down"])]
    null = d1[d1["direction_truth"] == "none"]
    assert len(planted) >= 8 and len(null) >= 8
    assert (planted["q_cerno"] < 0.05).all() and (planted["q_utest"] < 0.05).all()
    assert (planted["direction"] == planted["direction_truth"]).all()
    # planted modules rank above chance, and above the typical unplanted module
    assert (planted["auc"] > 0.5).all()
    assert planted["auc"].min() > null["auc"].median()
    assert (null["q_cerno"] < 0.05).mean() <= 0.2
    # every comparison of the config is there, each with its whole ranked list
    genes = _tsv(toy_run / "results" / "genes" / "anakinra_D1.tsv")
    assert (d1["n_ranked"] == genes["p_value"].notna().sum()).all()
