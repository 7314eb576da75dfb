"""The whole pipeline on the toy cohort, checked against the generator's planted truth.

The truth tables (resources/toy/truth.tsv, bridge_truth.tsv, modules_truth.tsv) are written by the
generator from its own construction, never from the pipeline's output.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import REPO, load_config

pytestmark = [pytest.mark.e2e, pytest.mark.floor]

TOY = REPO / "resources" / "toy"


def _tsv(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", keep_default_na=False, na_values=[""])


def test_every_contract_output_exists(toy_run):
    config = load_config(toy_run)
    names = [c["name"] for c in config["comparisons"]]
    expected = [
        "validated/expression.arrow",
        "validated/comparisons.tsv",
        "bridge/bridge.tsv",
        "bridge/summary.tsv",
        "modules/membership.tsv",
        "modules/dropped.tsv",
        "modules/scores.tsv",
        "figures/module_map.pdf",
        "figures/module_map.png",
        "figures/module_map.svg",
        "figures/module_dots.pdf",
        "figures/module_dots.png",
        "report.html",
        *(f"genes/{n}.tsv" for n in names),
        *(
            f"figures/heatmap_{m}.{ext}"
            for m in config["heatmaps"]["modules"]
            for ext in ("pdf", "png")
        ),
    ]
    missing = [p for p in expected if not (toy_run / "results" / p).is_file()]
    assert missing == []


def test_bridge_reproduces_the_generators_truth(toy_run):
    truth = _tsv(TOY / "bridge_truth.tsv")
    summary = _tsv(toy_run / "results" / "bridge" / "summary.tsv").set_index("status")["count"]
    for status, count in truth["status"].value_counts().items():
        assert summary[status] == count, status
    assert summary["source_total"] == len(truth)
    assert summary["kept"] == (truth["status"] == "unambiguous").sum()
    modules = _tsv(TOY / "modules_truth.tsv")
    kept = set(_tsv(toy_run / "results" / "modules" / "membership.tsv")["module_id"])
    dropped = set(_tsv(toy_run / "results" / "modules" / "dropped.tsv")["module_id"])
    assert kept == set(modules.loc[modules["kept"].astype(str).str.lower() == "true", "module_id"])
    assert dropped == set(modules["module_id"]) - kept


def test_gene_tables_cover_every_feature_with_exact_p_values_without_ties(toy_run):
    genes = _tsv(toy_run / "results" / "genes" / "anakinra_D1.tsv")
    assert len(genes) == 3000
    tested = genes[genes["method"] != "not_tested"]
    assert set(tested["method"]) == {"exact", "asymptotic"}  # ties from 2-decimal rounding
    assert (tested["n_case"] == 11).sum() > 2900 and (tested["n_control"] <= 21).all()
    assert ((tested["p_value"] > 0) & (tested["p_value"] <= 1)).all()


def test_planted_module_directions_are_recovered(toy_run):
    truth = _tsv(TOY / "truth.tsv")
    scores = _tsv(toy_run / "results" / "modules" / "scores.tsv")
    merged = scores.merge(truth, on=["comparison", "module_id"], validate="one_to_one")
    assert len(merged) == len(scores)
    for comparison, group in merged.groupby("comparison"):
        for direction, column in (("up", "pct_up"), ("down", "pct_down")):
            planted = group[group["direction"] == direction]
            others = group[~group["direction"].isin([direction, "partial"])]
            if len(planted) and len(others):
                assert planted[column].min() > others[column].max(), (comparison, direction)


def test_modules_without_planted_effect_stay_near_chance(toy_run):
    truth = _tsv(TOY / "truth.tsv")
    scores = _tsv(toy_run / "results" / "modules" / "scores.tsv")
    merged = scores.merge(truth, on=["comparison", "module_id"])
    null = merged[merged["direction"] == "none"]
    changed = (null["n_up"] + null["n_down"]).sum() / null["n_genes"].sum()
    # Two-sided p < 0.05 flags 5% of genes on average under the null; modules share a latent
    # factor, so single modules scatter, but pooled over all null modules we stay near 5%.
    assert 0.02 <= changed <= 0.10, changed


def test_scores_count_significant_genes_of_the_gene_tables(toy_run):
    """pct_up recomputed by hand from a gene table and the membership."""
    config = load_config(toy_run)
    alpha = config["statistics"]["alpha"]
    members = _tsv(toy_run / "results" / "modules" / "membership.tsv")
    genes = _tsv(toy_run / "results" / "genes" / "placebo_M6.tsv").set_index("feature_id")
    scores = _tsv(toy_run / "results" / "modules" / "scores.tsv")
    scores = scores[scores["comparison"] == "placebo_M6"].set_index("module_id")
    for module, group in members.groupby("module_id"):
        rows = genes.loc[group["feature_id"]]
        rows = rows[rows["method"] != "not_tested"]
        up = ((rows["p_value"] < alpha) & (rows["direction"] == "up")).sum()
        down = ((rows["p_value"] < alpha) & (rows["direction"] == "down")).sum()
        assert scores.loc[module, "n_genes"] == len(rows)
        assert scores.loc[module, "n_up"] == up and scores.loc[module, "n_down"] == down
        assert scores.loc[module, "pct_up"] == pytest.approx(100 * up / len(rows))
        assert scores.loc[module, "pct_net"] == pytest.approx(100 * (up - down) / len(rows))


def test_report_is_self_contained(toy_run):
    html = (toy_run / "results" / "report.html").read_text(errors="replace")
    assert len(html) > 100_000
    assert "module_map" in html
    # Captions are filled with what the run used: every comparison label and the threshold.
    config = load_config(toy_run)
    for comparison in config["comparisons"]:
        assert comparison["label"] in html, comparison["label"]
    assert f"below {config['statistics']['alpha']}" in html
    # The heatmap caption counts what is drawn, each sample once: counted here from the sheet
    # (the toy's heatmap comparisons are the six arm x visit groups, disjoint, all patients).
    sheet = pd.read_csv(toy_run / "config" / "samples.tsv", sep="\t", dtype=str)
    healthy = int((sheet["group"] == "healthy").sum())
    assert f"Samples: {len(sheet)}, each drawn once: the reference group ({healthy})" in html
    assert "One column per sample, not aggregated" in html
    # Offline: no script or stylesheet is fetched from the network.
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", html)


def test_module_map_of_the_toy_run_shows_the_planted_story(toy_run):
    """The map drawn from the run's own tables, read from the figure objects: planted-up spots
    red, planted-down spots blue, dropped modules hatched, the core outline exactly the modules
    changed (>= 15 %) the same way in both arms at D1, counted here from scores.tsv by hand."""
    import matplotlib

    matplotlib.use("Agg")
    from test_plots_module_map import patches

    from modmap.plots import plot_module_map

    config = load_config(toy_run)
    opts = config["module_map"]
    scores = _tsv(toy_run / "results" / "modules" / "scores.tsv")
    annotation = pd.read_csv(
        toy_run / "results" / "modules" / "annotation.tsv", sep="\t", dtype=str
    )
    comparisons = [c["name"] for c in config["comparisons"]]
    fig = plot_module_map(
        scores,
        annotation,
        comparisons=comparisons,
        value=opts["value"],
        min_pct=opts["min_pct"],
        changed_pct=opts["changed_pct"],
        core_comparisons=opts["core_signature"],
    )
    spots = {key: p.facecolor for key, p in patches(fig, "spots", annotation).items()}
    untested = set(patches(fig, "untested", annotation))
    core = {module for _, module in patches(fig, "core", annotation)}
    truth = _tsv(TOY / "truth.tsv")
    checked = {"up": 0, "down": 0}
    for row in truth.itertuples():
        if row.direction in checked:
            r, _, b, _ = spots[(row.comparison, row.module_id)]
            assert (r > b + 0.2) if row.direction == "up" else (b > r + 0.2), row
            checked[row.direction] += 1
    assert checked["up"] >= 20 and checked["down"] >= 20, checked
    dropped = set(_tsv(toy_run / "results" / "modules" / "dropped.tsv")["module_id"])
    assert dropped == {"M2.9", "M3.6"}  # resources/toy/README.md
    assert untested == {(c, m) for c in comparisons for m in dropped}
    # core signature by hand: dominant % >= 15 in both D1 comparisons, same direction
    want = None
    for comp in opts["core_signature"]:
        s = scores[scores["comparison"] == comp].set_index("module_id")
        up = s.index[(s["pct_up"] > s["pct_down"]) & (s["pct_up"] >= 15)]
        down = s.index[(s["pct_down"] > s["pct_up"]) & (s["pct_down"] >= 15)]
        signed = {(m, "up") for m in up} | {(m, "down") for m in down}
        want = signed if want is None else want & signed
    assert core == {m for m, _ in want} and len(core) >= 10


def test_toy_clinical_stage_derives_the_planted_responders_and_table2(toy_run):
    """The toy's derived responders are the generator's planted ones (response_truth.tsv), and
    Table 2 at M1 counts what the generator planted per arm (clinical_truth.tsv)."""
    res, toy = toy_run / "results", toy_run / "resources" / "toy"
    truth = pd.read_csv(toy / "response_truth.tsv", sep="\t", dtype=str)
    planted = truth[truth["visit"] == "M6"].set_index("subject_id")["primary"].to_dict()
    derived = pd.read_csv(res / "clinical" / "responders.tsv", sep="\t", dtype=str)
    assert dict(zip(derived["subject_id"], derived["responder"], strict=True)) == planted
    sheet = pd.read_csv(res / "validated" / "samples.tsv", sep="\t", dtype=str).fillna("")
    patients = sheet[sheet["group"] == "patient"]
    assert (patients["responder"] == patients["subject_id"].map(planted)).all()
    assert (sheet.loc[sheet["group"] == "healthy", "responder"] == "").all()

    counts = pd.read_csv(toy / "clinical_truth.tsv", sep="\t")
    counts = counts[counts["visit"] == "M1"].set_index(["definition", "arm"])["n_responders"]
    table2 = pd.read_csv(res / "clinical" / "table2.tsv", sep="\t")
    rows = table2[table2["section"] == "response"].set_index("item")
    checked = 0
    for item, row in rows.iterrows():
        definition = item if (item, "anakinra") in counts.index else item.replace("modified_", "")
        if (definition, "anakinra") not in counts.index:
            continue
        assert row["anakinra_count"] == counts[(definition, "anakinra")], item
        assert row["placebo_count"] == counts[(definition, "placebo")], item
        checked += 1
    assert checked >= 6
    assert (rows.loc["primary", "anakinra_count"], rows.loc["primary", "placebo_count"]) == (8, 1)
