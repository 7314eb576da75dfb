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
from modmap.plots.heatmap import aggregate_columns, cluster_rows, top_changed_genes

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


def test_many_samples_are_drawn_as_group_medians_of_consecutive_runs():
    samples, comp, expr, memb, ann, genes = cohort(30, nan=True)
    cols = heatmap_columns(samples, comp, reference={"group": "healthy"}, comparisons=["c1", "c2"])
    # 20 columns: 9 reference, 6 c1, 5 c2 -> k = ceil(20 / (8 - 3)) = 4 samples per column
    fig = plot_module_heatmap(
        expr, cols, memb, ann, genes, module="M3.1", max_columns=8, threshold_on="p_value"
    )
    image = next(im for ax in fig.axes for im in ax.images if im.get_gid() == "heatmap")
    values = np.ma.filled(image.get_array().astype(float), np.nan)
    assert values.shape == (30, 3 + 2 + 2)
    rows = [t.get_text() for t in image.axes.get_yticklabels()]
    runs = [list(range(0, 4)), [4, 5, 6, 7], [8], [9, 10, 11, 12], [13, 14], [15, 16, 17, 18], [19]]
    ids = cols["sample_id"].tolist()
    for i, gene in enumerate(rows):
        raw = expr.loc[gene, ids].to_numpy(float)
        norm = raw - np.nanmedian(raw[:9])  # normalised on every reference sample first
        want = [np.nanmedian(norm[r]) if np.isfinite(norm[r]).any() else np.nan for r in runs]
        np.testing.assert_allclose(values[i], want, atol=1e-12)
    assert any("20 samples as 7 columns" in t.get_text() for t in fig.texts)


def test_aggregate_columns_leaves_small_heatmaps_alone():
    values = pd.DataFrame(np.arange(6.0).reshape(2, 3))
    cols = pd.DataFrame({"sample_id": ["a", "b", "c"], "group": "reference", "label": "R"})
    out, shown, k = aggregate_columns(values, cols, max_columns=3)
    assert k == 1 and out is values and shown is cols


def overlapping_cohort(n_genes: int = 12):
    """The cohort plus comparison ``all`` (every patient) and ``mixed`` (c2_0, c2_1, healthy_0)."""
    samples, comp, expr, memb, ann, genes = cohort(n_genes, nan=True)
    patients = [s for s in samples["sample_id"] if not s.startswith("healthy")]
    extra = [{"comparison": "all", "sample_id": s, "role": "case", "pair": ""} for s in patients]
    extra += [
        {"comparison": "mixed", "sample_id": s, "role": "case", "pair": ""}
        for s in ("c2_0", "c2_1", "healthy_0")
    ]
    comp = pd.concat([comp, pd.DataFrame(extra)], ignore_index=True)
    genes = {**genes, "all": genes["c1"], "mixed": genes["c2"]}
    return samples, comp, expr, memb, ann, genes


def drawn(fig):
    image = next(im for ax in fig.axes for im in ax.images if im.get_gid() == "heatmap")
    bar = next(im for ax in fig.axes for im in ax.images if im.get_gid() == "groups")
    rows = [t.get_text() for t in image.axes.get_yticklabels()]
    values = np.ma.filled(image.get_array().astype(float), np.nan)
    return values, rows, np.asarray(bar.get_array()).ravel(), image


def test_each_sample_is_drawn_once_in_the_first_group_that_lists_it():
    samples, comp, expr, memb, ann, genes = overlapping_cohort()
    # c1, then "all" (c1 + c2: only c2 is new), then "mixed" (all shown before: no group)
    cols = heatmap_columns(
        samples, comp, reference={"group": "healthy"}, comparisons=["c1", "all", "mixed"]
    )
    healthy = [f"healthy_{i}" for i in range(9)]
    c1, c2 = [f"c1_{i}" for i in range(6)], [f"c2_{i}" for i in range(5)]
    assert cols["sample_id"].tolist() == healthy + c1 + c2
    assert cols["group"].tolist() == ["reference"] * 9 + ["c1"] * 6 + ["all"] * 5
    fig = plot_module_heatmap(expr, cols, memb, ann, genes, module="M3.1", threshold_on="p_value")
    values, rows, codes, _ = drawn(fig)
    assert values.shape == (12, 20)  # 20 distinct samples, not 9 + 6 + 11 + 3
    assert codes.tolist() == [0] * 9 + [1] * 6 + [2] * 5
    order = healthy + c1 + c2
    for i, gene in enumerate(rows):
        raw = expr.loc[gene, order].to_numpy(float)
        np.testing.assert_allclose(values[i], raw - np.nanmedian(raw[:9]), atol=1e-12)
    legend = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    assert legend == ["Reference (healthy)", "c1", "all"]


def test_aggregated_bins_are_medians_of_each_sample_once_and_the_width_is_capped():
    samples, comp, expr, memb, ann, genes = overlapping_cohort(10)
    cols = heatmap_columns(samples, comp, reference={"group": "healthy"}, comparisons=["all", "c1"])
    # 20 distinct samples in 2 groups (reference 9, all 11; c1 has nothing new)
    # max_columns 10 -> k = ceil(20 / (10 - 2)) = 3 samples per column
    fig = plot_module_heatmap(
        expr, cols, memb, ann, genes, module="M3.1", max_columns=10, threshold_on="p_value"
    )
    values, rows, codes, image = drawn(fig)
    runs = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11], [12, 13, 14], [15, 16, 17], [18, 19]]
    assert values.shape == (10, len(runs)) and codes.tolist() == [0, 0, 0, 1, 1, 1, 1]
    order = [f"healthy_{i}" for i in range(9)] + [f"c1_{i}" for i in range(6)]
    order += [f"c2_{i}" for i in range(5)]
    for i, gene in enumerate(rows):
        raw = expr.loc[gene, order].to_numpy(float)
        norm = raw - np.nanmedian(raw[:9])
        want = [np.nanmedian(norm[r]) if np.isfinite(norm[r]).any() else np.nan for r in runs]
        np.testing.assert_allclose(values[i], want, atol=1e-12)
    assert any("20 samples as 7 columns" in t.get_text() for t in fig.texts)


@pytest.mark.parametrize("n_cases", [150, 2000])
def test_image_width_is_capped_whatever_the_number_of_columns(n_cases):
    from modmap.plots.heatmap import HeatmapData, plot_heatmap

    n_ref = 50
    cols = pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(n_ref + n_cases)],
            "group": ["reference"] * n_ref + ["c"] * n_cases,
            "label": ["Reference"] * n_ref + ["c"] * n_cases,
        }
    )
    values = pd.DataFrame(np.random.default_rng(1).normal(size=(5, len(cols))))
    fig = plot_heatmap(HeatmapData(values, cols, list("abcde"), None, "t", "scale"))
    fig.draw_without_rendering()
    image = next(im for ax in fig.axes for im in ax.images if im.get_gid() == "heatmap")
    # 6 in of columns + 2.6 in of dendrogram, labels, colour bar + 1 in margin (plot_heatmap)
    assert fig.get_figwidth() <= 9.6 + 1e-9
    assert image.axes.get_position().width * fig.get_figwidth() < 8.0
    # the gene labels sit right of the image, less than 1 in from its right edge
    box = image.axes.get_window_extent()
    for label in image.axes.get_yticklabels():
        extent = label.get_window_extent()
        assert 0 <= (extent.x0 - box.x1) / fig.dpi < 1.0


def test_heatmap_layout_counts_what_is_drawn():
    from modmap.design import heatmap_layout

    samples, comp, *_ = overlapping_cohort()
    layout = heatmap_layout(
        samples,
        comp,
        reference={"group": "healthy"},
        comparisons=["c1", "all", "mixed"],
        max_columns=200,
    )
    # by hand: 9 reference + 6 c1 + 5 c2 distinct; "all" repeats c1's 6, "mixed" repeats 3
    assert layout == {
        "samples": 20,
        "reference": 9,
        "columns": 20,
        "per_column": 1,
        "repeated": 6 + 3,
        "empty": 1,
    }
    capped = heatmap_layout(
        samples, comp, reference={"group": "healthy"}, comparisons=["all", "c1"], max_columns=10
    )
    assert (capped["columns"], capped["per_column"], capped["empty"]) == (7, 3, 1)
