"""Figures for a large repertoire: BloodGen3 (382 modules, aggregates A1-A38), one comparison.

The dot matrix is capped at ``MAX_ROWS`` rows (the most changed modules, in layout order) and
says so in its title; the module map labels each aggregate row with its most frequent module
titles. Nothing may stick out of the figure: every tick label is measured after drawing.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from modmap.plots import plot_module_dots, plot_module_map
from modmap.plots.module_dots import MAX_ROWS

BLOODGEN3 = Path(__file__).resolve().parents[1] / "resources" / "modules" / "bloodgen3_modules.tsv"
COMP = "sepsis_vs_control"


@pytest.fixture(scope="module")
def bloodgen3() -> pd.DataFrame:
    """annotation.tsv-like table of the real BloodGen3 file: one row per module."""
    long = pd.read_csv(BLOODGEN3, sep="\t", dtype=str, keep_default_na=False)
    ann = long.drop_duplicates("module_id")[["module_id", "title", "position"]]
    assert len(ann) == 382
    return ann.reset_index(drop=True)


def planted_scores(ann: pd.DataFrame, comparisons: list[str], seed: int = 7) -> pd.DataFrame:
    """Whole-number percentages so that ties between modules occur (ranking tie-break)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in comparisons:
        for m in ann["module_id"]:
            up = float(rng.integers(0, 60))
            down = float(rng.integers(0, 40))
            rows.append(
                dict(
                    comparison=c,
                    module_id=m,
                    n_genes=20,
                    pct_up=up,
                    pct_down=down,
                    pct_net=up - down,
                )
            )
    return pd.DataFrame(rows)


def layout_key(position: str) -> tuple[int, int]:
    agg, slot = re.fullmatch(r"A(\d+)\.(\d+)", position).groups()
    return int(agg), int(slot)


def dominant(up: float, down: float) -> float:
    """Hand-written spot value: the larger percentage, 0 on a tie."""
    return 0.0 if up == down else max(up, down)


def expected_rows(ann: pd.DataFrame, scores: pd.DataFrame, n: int) -> tuple[list[str], int]:
    """Oracle: changed = dominant >= 15 % somewhere; keep the n largest, ties in layout order."""
    pos = dict(zip(ann["module_id"], ann["position"], strict=True))
    best: dict[str, float] = {}
    for r in scores.itertuples():
        v = dominant(r.pct_up, r.pct_down)
        best[r.module_id] = max(best.get(r.module_id, 0.0), v)
    changed = [m for m, v in best.items() if v >= 15]
    ranked = sorted(changed, key=lambda m: (-best[m], layout_key(pos[m])))[:n]
    return sorted(ranked, key=lambda m: layout_key(pos[m])), len(changed)


def assert_inside(fig) -> int:
    """Draw ``fig`` (a layout warning fails the test) and check every label is inside it."""
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    checked = 0
    for ax in fig.axes:
        if not ax.axison:
            continue
        texts = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.title]
        for child in ax.child_axes:  # the aggregate key is a secondary y axis
            texts += child.get_yticklabels()
        for text in texts:
            if not text.get_text() or not text.get_visible():
                continue
            ext = text.get_window_extent(renderer)
            assert ext.x0 >= box.x0 - 0.5 and ext.x1 <= box.x1 + 0.5, text.get_text()
            assert ext.y0 >= box.y0 - 0.5 and ext.y1 <= box.y1 + 0.5, text.get_text()
            checked += 1
    return checked


def test_dot_matrix_of_382_modules_shows_the_top_rows_and_says_so(bloodgen3):
    scores = planted_scores(bloodgen3, [COMP])
    want, n_changed = expected_rows(bloodgen3, scores, MAX_ROWS)
    assert MAX_ROWS == 60 and n_changed > 250  # the case the cap is for
    fig = plot_module_dots(scores, bloodgen3, comparisons=[COMP], labels={COMP: "Sepsis"})
    ax = fig.axes[0]
    labels = [t.get_text().split()[0] for t in ax.get_yticklabels()]
    assert len(labels) == MAX_ROWS
    assert labels == want
    assert f"top {MAX_ROWS} of {n_changed} changed modules" in ax.get_title().lower()
    dots = next(c for c in ax.collections if c.get_gid() == "dots")
    assert len(dots.get_offsets()) == MAX_ROWS
    assert assert_inside(fig) >= MAX_ROWS + 1
    width, height = fig.get_size_inches()
    assert width < 8 and height < 16  # printable, not 62 inches tall


def test_dot_matrix_ranks_by_the_largest_value_over_comparisons(bloodgen3):
    comps = ["d1", "m1", "m6"]
    scores = planted_scores(bloodgen3, comps, seed=11)
    want, n_changed = expected_rows(bloodgen3, scores, 25)
    fig = plot_module_dots(scores, bloodgen3, comparisons=comps, max_rows=25)
    ax = fig.axes[0]
    assert [t.get_text().split()[0] for t in ax.get_yticklabels()] == want
    assert f"top 25 of {n_changed} changed modules" in ax.get_title().lower()
    assert_inside(fig)


def test_ties_are_broken_in_layout_order():
    ann = pd.DataFrame(
        {
            "module_id": ["M1.1", "M1.2", "M1.3", "M1.4", "M1.5"],
            "title": "x",
            "position": ["A2.1", "A1.2", "A1.1", "A3.1", "A1.3"],
        }
    )
    pct = {"M1.1": 40.0, "M1.2": 40.0, "M1.3": 40.0, "M1.4": 90.0, "M1.5": 40.0}
    scores = pd.DataFrame(
        [
            dict(comparison="c", module_id=m, n_genes=10, pct_up=v, pct_down=0.0)
            for m, v in pct.items()
        ]
    )
    fig = plot_module_dots(scores, ann, max_rows=3)
    rows = [t.get_text().split()[0] for t in fig.axes[0].get_yticklabels()]
    # M1.4 (90 %) first, then the two 40 % modules earliest in the layout: A1.1, A1.2
    assert rows == ["M1.3", "M1.2", "M1.4"]  # shown in layout order A1.1, A1.2, A3.1
    assert "top 3 of 5 changed modules" in fig.axes[0].get_title().lower()


def test_small_matrix_is_not_truncated(bloodgen3):
    scores = planted_scores(bloodgen3, [COMP])
    few = bloodgen3.iloc[:30]
    scores = scores[scores["module_id"].isin(few["module_id"])]
    want, n_changed = expected_rows(few, scores, 1000)
    fig = plot_module_dots(scores, few)
    ax = fig.axes[0]
    assert [t.get_text().split()[0] for t in ax.get_yticklabels()] == want
    assert "top" not in ax.get_title().lower()
    assert_inside(fig)


def test_module_map_keys_aggregates_by_their_titles(bloodgen3):
    scores = planted_scores(bloodgen3, [COMP])
    fig = plot_module_map(scores, bloodgen3, comparisons=[COMP])
    panel = next(ax for ax in fig.axes if ax.get_title() == COMP)
    (key,) = panel.child_axes
    rows = [t.get_text() for t in panel.get_yticklabels()]
    assert rows == [f"A{i}" for i in range(1, 39)]
    text = dict(zip(rows, [t.get_text() for t in key.get_yticklabels()], strict=True))
    # worked out by hand from bloodgen3_modules.tsv: A28 holds M10.1, M15.86, M13.17, M15.64,
    # M15.127 ("Interferon") and M8.3 ("Type 1 Interferon"); A27 five "Plasma cells"; A10 one
    # module ("Prostanoids"); A11 one "TBD"
    assert text["A28"] == "Interferon (5), Type 1 Interferon (1)"
    assert text["A27"] == "Plasma cells (5)"
    assert text["A10"] == "Prostanoids"
    assert text["A11"] == "-"
    # no module list, no "+ N more" line
    strings = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert not any("more (annotation.tsv)" in s for s in strings)
    assert assert_inside(fig) > 2 * 38


def test_module_map_keeps_the_module_list_for_small_repertoires(bloodgen3):
    few = bloodgen3[bloodgen3["position"].str.startswith(("A27.", "A28."))]
    scores = planted_scores(few, [COMP])
    fig = plot_module_map(scores, few, comparisons=[COMP])
    assert all(not ax.child_axes for ax in fig.axes)
    strings = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert "M10.1  Interferon" in strings and "M8.3  Type 1 Interferon" in strings
    assert_inside(fig)


def test_module_map_with_two_rows_of_panels_fits(bloodgen3):
    comps = [f"c{i}" for i in range(1, 6)]
    scores = planted_scores(bloodgen3, comps, seed=5)
    fig = plot_module_map(scores, bloodgen3, comparisons=comps)
    keyed = [ax.get_title() for ax in fig.axes if ax.child_axes]
    assert keyed == ["c3"]  # the panels of the last column
    assert_inside(fig)


def test_many_comparisons_make_a_compact_grid_and_a_capped_png(bloodgen3, tmp_path):
    """12 panels: 4 per row (ceil(sqrt(12))), 3 rows; a PNG's longest side is capped."""
    from PIL import Image

    from modmap.plots import save_figure

    few = bloodgen3.head(30)
    comps = [f"c{i:02d}" for i in range(12)]
    fig = plot_module_map(planted_scores(few, comps), few, comparisons=comps)
    panels = [ax for ax in fig.axes if ax.get_title() in comps]
    assert len(panels) == 12
    lefts = sorted({round(ax.get_position().x0, 3) for ax in panels})
    bottoms = sorted({round(ax.get_position().y0, 3) for ax in panels})
    assert (len(lefts), len(bottoms)) == (4, 3)
    save_figure(fig, tmp_path / "map.png", dpi=200, max_pixels=800)
    with Image.open(tmp_path / "map.png") as image:
        size = image.size
    assert 700 <= max(size) <= 800  # capped at 800 px, not shrunk further
    longest_in = max(fig.get_size_inches())
    assert longest_in * 200 > 800  # the cap was what limited it


@pytest.mark.parametrize("n_samples", [48, 600])
def test_fingerprint_grid_of_382_modules_is_labelled_by_aggregate_and_fits(bloodgen3, n_samples):
    from modmap.plots.fingerprint import plot_fingerprints

    rng = np.random.default_rng(3)
    samples = [f"S{i:04d}" for i in range(n_samples)]
    fp = pd.DataFrame(
        {
            "sample_id": np.repeat(samples, len(bloodgen3)),
            "module_id": np.tile(bloodgen3["module_id"].to_numpy(), n_samples),
            "net": rng.integers(-100, 101, n_samples * len(bloodgen3)).astype(float),
        }
    )
    columns = pd.DataFrame({"sample_id": samples, "group": ["a", "b"] * (n_samples // 2)})
    fig = plot_fingerprints(fp, columns, bloodgen3)
    image = [a for ax in fig.axes for a in ax.get_images() if a.get_gid() == "fingerprint"][0]
    assert image.get_array().shape == (382, n_samples)
    labels = [t.get_text() for t in image.axes.get_yticklabels()]
    # one label per aggregate at most, in map order, each naming its aggregate first
    aggregates = [lab.split()[0] for lab in labels]
    assert aggregates[0] == "A1" and aggregates[-1] == "A38"
    assert aggregates == sorted(aggregates, key=lambda a: int(a[1:]))
    assert len(aggregates) == len(set(aggregates)) >= 25
    assert assert_inside(fig) >= 25
    assert fig.get_figwidth() < 20
