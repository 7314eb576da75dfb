"""The toy run (config/config.yaml turns every longitudinal section on) against the toy trial's
planted answers: resources/toy/truth.tsv (module directions), paired_truth.tsv (IP10, TRAIL,
SOCS3 directions per arm), the planted lab falls, and withdrawal.tsv recounted here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REPO

pytestmark = pytest.mark.e2e
TOY = REPO / "resources" / "toy"


def _read(path, **kw):
    return pd.read_csv(path, sep="\t", **kw)


def test_core_signature_is_the_planted_one_and_normalises_in_responders(toy_run):
    truth = _read(TOY / "truth.tsv", dtype=str)
    d1 = {
        c: truth[truth["comparison"] == c].set_index("module_id")["direction"]
        for c in ("anakinra_D1", "placebo_D1")
    }
    planted = {
        m: d for m, d in d1["anakinra_D1"].items() if d != "none" and d1["placebo_D1"].get(m) == d
    }
    kept = set(_read(toy_run / "results/modules/membership.tsv", dtype=str)["module_id"])
    planted = {m: d for m, d in planted.items() if m in kept}
    core = _read(toy_run / "results/modules/core_signature.tsv", dtype=str)
    got = core.drop_duplicates("module_id").set_index("module_id")["direction"].to_dict()
    assert got == planted
    counts = _read(toy_run / "results/modules/signature_counts.tsv").set_index("comparison")
    n = len(planted)
    # planted: the core is back to healthy in M6 responders, unchanged in non-responders and in
    # the untreated placebo arm at M1
    assert counts.loc["responders_M6", "n_normalised"] >= n - 1
    assert counts.loc["nonresponders_M6", "n_still_altered"] == n
    assert counts.loc["placebo_M1", "n_still_altered"] == n


def test_analytes_and_socs3_move_as_planted(toy_run):
    tests = _read(toy_run / "results/analytes/tests.tsv").set_index(["analyte", "group"])
    truth = _read(TOY / "paired_truth.tsv", dtype=str)
    truth = truth[(truth["from_visit"] == "D1") & (truth["to_visit"] == "M6")]
    assert len(truth) == 6
    for row in truth.itertuples(index=False):
        got = tests.loc[(row.name, row.arm)]
        assert got["p_value"] < 0.05, (row.name, row.arm)
        sign = 1 if row.direction == "up" else -1
        assert np.sign(got["mean_difference"]) == sign, (row.name, row.arm)
        assert got["test"] == "paired_t" and got["df"] == got["n_pairs"] - 1
    # figure per analyte, with the p-value drawn from the table
    for name in ("IP10", "TRAIL", "SOCS3"):
        assert (toy_run / f"results/figures/analytes/{name}.png").stat().st_size > 0


def test_labs_fall_in_the_anakinra_arm(toy_run):
    summary = _read(toy_run / "results/labs/summary.tsv").set_index(["variable", "group", "visit"])
    for var in ("saa", "crp", "esr", "ferritin", "diary_score", "prednisone_mg_kg_day"):
        d1, m6 = summary.loc[(var, "anakinra", "D1")], summary.loc[(var, "anakinra", "M6")]
        assert m6["median"] < d1["median"], var
        assert m6["p_value"] < 0.05, var
    # medians recomputed from the clinical table (R type 7 = numpy's default)
    clinical = _read(TOY / "clinical.tsv")
    crp = clinical[(clinical["arm"] == "placebo") & (clinical["visit"] == "M1")]["crp"].dropna()
    got = summary.loc[("crp", "placebo", "M1")]
    assert got["median"] == pytest.approx(np.median(crp))
    assert got["q1"] == pytest.approx(np.quantile(crp, 0.25))


def test_time_to_flare_recounted_from_the_withdrawal_table(toy_run):
    w = _read(TOY / "withdrawal.tsv")
    t, e = w["days_to_flare"].to_numpy(float), w["flared"].to_numpy(bool)
    s, median = 1.0, np.nan
    times = np.unique(t[e])
    for i, x in enumerate(times):  # product-limit; R's median rule at an exact 0.5 plateau
        s *= 1 - ((t == x) & e).sum() / (t >= x).sum()
        if s <= 0.5 + 1e-12:
            median = (x + times[i + 1]) / 2 if abs(s - 0.5) < 1e-12 and i + 1 < len(times) else x
            break
    got = _read(toy_run / "results/survival/median.tsv").iloc[0]
    assert (got["n_subjects"], got["n_flared"]) == (len(w), int(e.sum()))
    assert got["median_days"] == median


def test_transcript_set_recounted_from_the_gene_tables(toy_run):
    changed = {}
    for comp in ("anakinra_M1", "placebo_M1"):
        g = _read(toy_run / f"results/genes/{comp}.tsv")
        changed[comp] = set(g.loc[(g["p_value"] < 0.05) & (g["direction"] != "none"), "feature_id"])
    got = _read(toy_run / "results/transcripts/sets/anakinra_not_placebo_M1.tsv")
    assert set(got["feature_id"]) == changed["anakinra_M1"] - changed["placebo_M1"]
    sets = _read(toy_run / "results/transcripts/sets.tsv").iloc[0]
    assert sets["n_features"] == len(got)
