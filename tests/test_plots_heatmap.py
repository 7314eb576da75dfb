"""Module heatmaps: rows, normalisation to the reference group, clustering, gene selection."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from scipy.cluster.hierarchy import leaves_list, linkage

from modmap.design import heatmap_columns
from modmap.errors import InputError
from modmap.plots import plot_module_heatmap
from modmap.plots.heatmap import cluster_rows, top_changed_genes

GROUPS = {"healthy": 9, "c1": 6, "c2": 5}


def cohort(n_genes: int = 30, seed: int = 0, nan: bool = False):
    rng = np.random.default_rng(seed)
    samples, comp = [], []
    for g, n in GROUPS.items():
        for i in range(n):
            sid = f"{g}_{i}"
            samples.append({"sample_id": sid, "group": "healthy" if g == "healthy" else "patient"})
            if g != "healthy":
                comp.append({"comparison": g, "sample_id": sid, "role": "case", "pair": ""})
    samples = pd.DataFrame(samples)
    feats = [f"ILMN_{i:04d}" for i in range(n_genes)]
    expr = pd.DataFrame(
        rng.normal(8, 1, (n_genes, len(samples))),
        index=pd.Index(feats, name="feature_id"),
        columns=samples["sample_id"],
    )
    if nan:
        expr.iloc[2, 1] = np.nan
        expr.iloc[5, 12] = np.nan
    membership = pd.DataFrame({"module_id": "M3.1", "title": "Interferon", "feature_id": feats})
    other = pd.DataFrame({"module_id": "M1.1", "title": "x", "feature_id": ["ILMN_9999"]})
    annotation = pd.DataFrame(
        {"module_id": ["M3.1", "M1.1", "M2.9"], "title": ["Interferon", "x", "gone"]}
    )
    genes = {
        c: pd.DataFrame({"feature_id": feats, "p_value": rng.uniform(size=n_genes)})
        for c in ("c1", "c2")
    }
    return samples, pd.DataFrame(comp), expr, pd.concat([membership, other]), annotation, genes


def draw(n_genes=30, *, normalisation="median", max_genes=50, nan=False):
    samples, comp, expr, memb, ann, genes = cohort(n_genes, nan=nan)
    cols = heatmap_columns(samples, comp, reference={"group": "healthy"}, comparisons=["c1", "c2"])
    fig = plot_module_heatmap(
        expr,
        cols,
        memb,
        ann,
        genes,
        module="M3.1",
        normalisation=normalisation,
        max_genes=max_genes,
        threshold_on="p_value",
    )
    image = next(im for ax in fig.axes for im in ax.images if im.get_gid() == "heatmap")
    ax = image.axes
    rows = [t.get_text() for t in ax.get_yticklabels()]
    return fig, np.ma.filled(image.get_array().astype(float), np.nan), rows, cols, expr, genes


def test_columns_are_reference_then_cases_in_order():
    samples, comp, *_ = cohort()
    cols = heatmap_columns(samples, comp, reference={"group": "healthy"}, comparisons=["c2", "c1"])
    assert list(cols["sample_id"]) == (
        [f"healthy_{i}" for i in range(9)]
        + [f"c2_{i}" for i in range(5)]
        + [f"c1_{i}" for i in range(6)]
    )


def test_rows_are_all_genes_and_reference_median_is_zero():
    fig, values, rows, cols, expr, _ = draw(30, nan=True)
    assert sorted(rows) == [f"ILMN_{i:04d}" for i in range(30)]
    assert values.shape == (30, 20)
    ref = (cols["group"] == "reference").to_numpy()
    assert np.allclose(np.nanmedian(values[:, ref], axis=1), 0.0, atol=1e-12)
    # and each value is the raw value minus the healthy median (textbook definition)
    for i, gene in enumerate(rows):
        raw = expr.loc[gene, cols["sample_id"]].to_numpy(float)
        want = raw - np.nanmedian(raw[:9])
        np.testing.assert_allclose(values[i], want, atol=1e-12)
    assert any("30 genes" in t.get_text() for t in fig.texts)


def test_zscore_reference_mean_zero_sd_one():
    _, values, rows, cols, expr, _ = draw(20, normalisation="zscore")
    ref = (cols["group"] == "reference").to_numpy()
    np.testing.assert_allclose(values[:, ref].mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(values[:, ref].std(axis=1, ddof=1), 1.0, atol=1e-12)


def test_top_max_genes_by_smallest_p_and_title_says_so():
    fig, values, rows, cols, expr, genes = draw(70, max_genes=50)
    assert len(rows) == 50
    best = np.minimum(genes["c1"]["p_value"].to_numpy(), genes["c2"]["p_value"].to_numpy())
    want = {f"ILMN_{i:04d}" for i in np.argsort(best)[:50]}
    assert set(rows) == want
    title = " ".join(t.get_text() for t in fig.texts)
    assert "top 50 of 70" in title


def test_rows_follow_average_linkage_on_one_minus_pearson():
    _, values, rows, cols, expr, _ = draw(25)
    norm = expr.loc[sorted(rows), cols["sample_id"]].to_numpy(float)
    norm = norm - np.median(norm[:, :9], axis=1, keepdims=True)
    # textbook: d(i, j) = 1 - r(i, j); scipy's own correlation metric is exactly 1 - Pearson r
    z = linkage(norm, method="average", metric="correlation")
    assert rows == [sorted(rows)[i] for i in leaves_list(z)]


def test_cluster_rows_handles_constant_gene():
    df = pd.DataFrame([[1.0, 2, 3, 4], [2.0, 4, 6, 8], [5.0, 5, 5, 5]])
    order, z = cluster_rows(df)
    assert sorted(order) == [0, 1, 2] and z is not None
    assert z[0, 2] == pytest.approx(0.0)  # the two correlated rows join first, at distance 0


def test_top_changed_untested_last():
    genes = {"c": pd.DataFrame({"feature_id": ["a", "b", "c"], "p_value": [np.nan, 0.5, 0.1]})}
    assert top_changed_genes(["a", "b", "c"], genes, max_genes=2, column="p_value") == ["b", "c"]


def test_dropped_module_is_an_input_error():
    samples, comp, expr, memb, ann, genes = cohort()
    cols = heatmap_columns(samples, comp, reference={"group": "healthy"}, comparisons=["c1"])
    with pytest.raises(InputError, match="dropped"):
        plot_module_heatmap(expr, cols, memb, ann, genes, module="M2.9", threshold_on="p_value")


def test_reference_matching_nothing_is_an_input_error():
    samples, comp, *_ = cohort()
    with pytest.raises(InputError, match="'control' is not a value of column 'group'"):
        heatmap_columns(samples, comp, reference={"group": "control"}, comparisons=["c1"])
    with pytest.raises(InputError, match="matches no sample"):
        heatmap_columns(
            samples, comp, reference={"group": "healthy", "sample_id": "c1_0"}, comparisons=["c1"]
        )


def test_rows_are_labelled_by_symbol_and_shared_symbols_keep_the_probe():
    samples, comp, expr, memb, ann, genes = cohort(4)
    feats = [f"ILMN_{i:04d}" for i in range(4)]
    memb = memb.assign(symbol="")
    memb.loc[memb["feature_id"].isin(feats), "symbol"] = ["GENEC", "GENEC", "", "STAT1"]
    cols = heatmap_columns(samples, comp, reference={"group": "healthy"}, comparisons=["c1"])
    fig = plot_module_heatmap(expr, cols, memb, ann, genes, module="M3.1", threshold_on="p_value")
    image = next(im for ax in fig.axes for im in ax.images if im.get_gid() == "heatmap")
    rows = {t.get_text() for t in image.axes.get_yticklabels()}
    assert rows == {"GENEC (ILMN_0000)", "GENEC (ILMN_0001)", "ILMN_0002", "STAT1"}


def test_heatmap_draws_into_a_subfigure():
    from matplotlib.figure import Figure

    samples, comp, expr, memb, ann, genes = cohort(12)
    cols = heatmap_columns(samples, comp, reference={"group": "healthy"}, comparisons=["c1", "c2"])
    outer = Figure(figsize=(12, 6))
    left, right = outer.subfigures(1, 2)
    fig = plot_module_heatmap(
        expr, cols, memb, ann, genes, module="M3.1", fig=right, threshold_on="p_value"
    )
    assert fig is outer
    images = [im for a in right.axes for im in a.images if im.get_gid() == "heatmap"]
    assert len(images) == 1 and images[0].get_array().shape == (12, len(cols))
    assert left.axes == []
