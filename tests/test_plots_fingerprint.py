"""Fingerprint grid, distance figure and the enrichment rings, checked from the figure objects."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.plots import plot_module_dots
from modmap.plots.fingerprint import fingerprint_columns, plot_distance, plot_fingerprints

SHEET = pd.DataFrame(
    {
        "sample_id": ["h1", "p1_M6", "a1_D1", "p1_D1", "h2", "a1_M6", "a2_D1", "a2_M6", "p1_M1"],
        "subject_id": ["h1", "p1", "a1", "p1", "h2", "a1", "a2", "a2", "p1"],
        "group": ["healthy", *["patient"] * 3, "healthy", *["patient"] * 4],
        "arm": [
            "",
            "placebo",
            "anakinra",
            "placebo",
            "",
            "anakinra",
            "anakinra",
            "anakinra",
            "placebo",
        ],
        "timepoint": ["", "M6", "D1", "D1", "", "M6", "D1", "M6", "M1"],
        "responder": ["", "no", "yes", "no", "", "yes", "", "", "no"],
    }
)
REF = ["h1", "h2"]


def _find(fig, gid):
    found = [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]
    assert len(found) == 1, (gid, len(found))
    return found[0]


def test_columns_grouped_in_sheet_order_and_ordered_by_visit():
    cols = fingerprint_columns(SHEET, reference=REF, group_by=["arm"], order_by=["timepoint"])
    # groups by first appearance (placebo row 2, anakinra row 3); visits by first appearance of
    # the value in the sheet (M6 appears before D1 and M1!), ties in sheet order
    assert cols["group"].tolist() == ["placebo"] * 3 + ["anakinra"] * 4
    assert cols["sample_id"].tolist() == [
        "p1_M6",
        "p1_D1",
        "p1_M1",
        "a1_M6",
        "a2_M6",
        "a1_D1",
        "a2_D1",
    ]
    shown = fingerprint_columns(SHEET, reference=REF, group_by=["arm"], show_reference=True)
    assert shown["sample_id"].tolist()[:2] == ["h1", "h2"]
    assert shown["group"].tolist()[:2] == ["reference", "reference"]
    with pytest.raises(InputError, match="'visit'"):
        fingerprint_columns(SHEET, order_by=["visit"])


def _fingerprints(modules, samples, seed=1):
    rng = np.random.default_rng(seed)
    rows = [
        dict(sample_id=s, module_id=m, net=float(rng.integers(-100, 101)))
        for s in samples
        for m in modules
    ]
    return pd.DataFrame(rows)


def test_grid_values_order_and_cutoff():
    modules = ["M2.1", "M1.2", "M1.1", "M3.1"]
    ann = pd.DataFrame({"module_id": modules + ["M1.3"], "title": ["b", "a", "c", "IFN", "x"]})
    fp = _fingerprints(modules, SHEET["sample_id"])
    fp.loc[(fp["sample_id"] == "a1_D1") & (fp["module_id"] == "M3.1"), "net"] = 14.9
    fp.loc[(fp["sample_id"] == "a1_D1") & (fp["module_id"] == "M1.1"), "net"] = -15.0
    fp.loc[(fp["sample_id"] == "p1_D1") & (fp["module_id"] == "M2.1"), "net"] = np.nan
    cols = fingerprint_columns(SHEET, reference=REF, group_by=["arm"], order_by=["timepoint"])
    fig = plot_fingerprints(fp, cols, ann, cutoff=15)
    image = _find(fig, "fingerprint")
    shown = image.get_array()
    # rows in layout order (M1.1, M1.2, M2.1, M3.1; M1.3 has no fingerprint: not drawn)
    order = ["M1.1", "M1.2", "M2.1", "M3.1"]
    wide = fp.pivot(index="module_id", columns="sample_id", values="net")
    expected = wide.loc[order, cols["sample_id"]].to_numpy()
    expected = np.where(np.abs(expected) < 15, 0, expected)
    assert shown.shape == (4, 7)
    np.testing.assert_array_equal(shown.filled(np.nan), expected)
    j = cols["sample_id"].tolist().index("a1_D1")
    assert shown[3, j] == 0 and shown[0, j] == -15.0  # 14.9 hidden, -15 kept
    assert shown.mask[2, cols["sample_id"].tolist().index("p1_D1")]
    labels = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert labels == ["M1.1 c", "M1.2 a", "M2.1 b", "M3.1 IFN"]
    groups = _find(fig, "groups").get_array()
    assert groups.ravel().tolist() == [0, 0, 0, 1, 1, 1, 1]


def test_large_repertoire_is_labelled_by_aggregate():
    positions = [f"A{a}.{k}" for a in (1, 2, 3) for k in range(1, 31)]  # 90 modules
    ann = pd.DataFrame(
        {
            "module_id": [f"M{i}" for i in range(90)],
            "title": ["Interferon" if p.startswith("A2.") else "T cells" for p in positions],
            "position": positions,
        }
    )
    fp = _fingerprints(ann["module_id"], ["s1", "s2", "s3"])
    cols = pd.DataFrame({"sample_id": ["s1", "s2", "s3"], "group": "all"})
    fig = plot_fingerprints(fp, cols, ann, max_titles=60)
    ax = fig.axes[1]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["A1 T cells (30)", "A2 Interferon (30)", "A3 T cells (30)"]
    np.testing.assert_allclose(ax.get_yticks(), [14.5, 44.5, 74.5])
    assert _find(fig, "fingerprint").get_array().shape == (90, 3)


def test_distance_lines_follow_subjects_in_visit_order():
    distance = pd.DataFrame(
        {
            "sample_id": SHEET["sample_id"],
            "distance": [10.0, 60.0, 90.0, 80.0, 14.0, 30.0, 85.0, 40.0, 70.0],
        }
    )
    fig = plot_distance(
        distance,
        SHEET,
        reference=REF,
        group_by=["arm"],
        order_by=["timepoint"],
        subject="subject_id",
        colour_by="responder",
    )
    assert [ax.get_title() for ax in fig.axes] == ["placebo", "anakinra"]
    # x levels in order of first appearance among patients: M6, D1, M1 (sheet order)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["M6", "D1", "M1"]
    p1 = _find(fig, "subject|placebo|p1")
    assert p1.get_xdata().tolist() == [0, 1, 2]
    assert p1.get_ydata().tolist() == [60.0, 80.0, 70.0]
    a1 = _find(fig, "subject|anakinra|a1")
    assert a1.get_ydata().tolist() == [30.0, 90.0]  # M6 (x 0) then D1 (x 1)
    assert matplotlib.colors.to_hex(a1.get_color()) != matplotlib.colors.to_hex(p1.get_color())
    band = [a for a in fig.axes[0].patches if a.get_gid() == "reference"]
    ys = band[0].get_path().transformed(band[0].get_patch_transform()).vertices[:, 1]
    assert (ys.min(), ys.max()) == (10.0, 14.0)
    points = _find(fig, "points|anakinra").get_offsets()
    assert sorted(points[:, 1].tolist()) == [30.0, 40.0, 85.0, 90.0]
    with pytest.raises(InputError, match="'response'"):
        plot_distance(distance, SHEET, reference=REF, colour_by="response")


def test_dot_matrix_rings_the_enriched_modules():
    scores = pd.DataFrame(
        [
            dict(comparison=c, module_id=m, n_genes=20, pct_up=u, pct_down=0.0)
            for c in ("x", "y")
            for m, u in (("M1.1", 50.0), ("M1.2", 40.0), ("M2.1", 30.0))
        ]
    )
    ann = pd.DataFrame({"module_id": ["M1.1", "M1.2", "M2.1"], "title": ["a", "b", "c"]})
    fig = plot_module_dots(scores, ann, enriched={("y", "M1.2"), ("x", "M2.1"), ("z", "M9")})
    rings = _find(fig, "enriched").get_offsets()
    assert sorted(map(tuple, rings.tolist())) == [(0.0, 2.0), (1.0, 1.0)]  # (column, row)
    plain = plot_module_dots(scores, ann)
    assert not [a for ax in plain.axes for a in ax.get_children() if a.get_gid() == "enriched"]


def test_report_table_keeps_small_p_values_readable():
    from modmap.plots.tables import table_html

    table = pd.DataFrame({"module_id": ["M<1>"], "p_cerno": [1.234e-12], "pct": [12.345]})
    fixed = table_html(table, title="t")
    assert "<td>0.0</td>" in fixed and "<td>12.3</td>" in fixed  # the score table's 1 decimal
    page = table_html(table, title="Enrichment & <q>", significant=True)
    assert "<td>1.23e-12</td>" in page and "<td>12.3</td>" in page
    assert "Enrichment &amp; &lt;q&gt;" in page and "M&lt;1&gt;" in page
