"""Module map and dot matrix, checked from the figure objects against planted score tables."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from typing import NamedTuple

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.plots import grid_layout, plot_module_dots, plot_module_map
from modmap.plots.module_dots import dot_area

COMPS = ["a_D1", "b_D1", "a_M6"]
MODULES = [f"M1.{i}" for i in range(1, 9)] + [f"M2.{i}" for i in range(1, 12)]
MODULES += [f"M3.{i}" for i in range(1, 10)]  # 28 modules as in the 2008 repertoire
UP = {"M3.2", "M1.5"}  # planted up in the two D1 comparisons
DOWN = {"M2.8", "M1.3"}  # planted down in the two D1 comparisons
DROPPED = "M2.9"  # dropped by the bridge: no score rows
UNTESTED = ("a_M6", "M3.4")  # scored with n_genes = 0


def planted_scores(seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score table with planted truth plus small random noise (< 15 %) elsewhere."""
    rng = np.random.default_rng(seed)
    ann = pd.DataFrame(
        {
            "module_id": MODULES,
            "title": [f"title {m}" for m in MODULES],
            "n_source": "30",
            "n_members": "20",
            "kept": ["false" if m == DROPPED else "true" for m in MODULES],
        }
    )
    rows = []
    for c in COMPS:
        for m in MODULES:
            if m == DROPPED:
                continue
            n = 20
            up, down = int(rng.integers(0, 3)), int(rng.integers(0, 3))  # <= 10 %
            if c.endswith("D1") and m in UP:
                up, down = 14, 1
            if c.endswith("D1") and m in DOWN:
                up, down = 0, 12
            if c == "a_D1" and m == "M3.3":  # changed in one D1 comparison only
                up = 10
            if (c, m) == UNTESTED:
                n, up, down = 0, 0, 0
            pu = 100 * up / n if n else np.nan
            pd_ = 100 * down / n if n else np.nan
            rows.append(
                dict(
                    comparison=c,
                    module_id=m,
                    title=f"title {m}",
                    n_genes=n,
                    n_up=up,
                    n_down=down,
                    pct_up=pu,
                    pct_down=pd_,
                    pct_net=pu - pd_,
                )
            )
    return pd.DataFrame(rows), ann


class Spot(NamedTuple):
    facecolor: tuple[float, float, float, float] | None  # None: not filled
    center: tuple[float, float]  # grid cell (col, row)
    radius: float  # points, as drawn


def patches(fig, kind: str, annotation: pd.DataFrame | None = None) -> dict[tuple[str, str], Spot]:
    """Spots of layer ``kind`` (``spots``, ``untested``, ``core``) by (comparison, module).

    The module of each circle is found from its centre: the ``(col, row)`` cell of
    ``grid_layout(annotation)`` (the 28-module planted annotation by default).
    """
    kind = {"spot": "spots"}.get(kind, kind)
    fig.draw_without_rendering()  # marker sizes follow the final layout
    grid = grid_layout(planted_scores()[1] if annotation is None else annotation)
    cell = {
        (int(c), int(r)): m for m, c, r in zip(grid.index, grid["col"], grid["row"], strict=True)
    }
    out = {}
    for ax in fig.axes:
        for coll in ax.collections:
            layer, _, comp = (coll.get_gid() or "").partition("|")
            if layer != kind:
                continue
            faces = coll.get_facecolor()
            offsets = coll.get_offsets()
            (area,) = coll.get_sizes()  # one marker size per layer, points^2 (unit circle path)
            for i, (x, y) in enumerate(offsets):
                module = cell[(int(round(x)), int(round(y)))]
                assert (comp, module) not in out, f"duplicate {kind}|{comp}|{module}"
                face = None
                if len(faces) and faces[i % len(faces)][3] > 0:
                    face = tuple(float(v) for v in faces[i % len(faces)])
                out[(comp, module)] = Spot(face, (float(x), float(y)), float(np.sqrt(area)))
    return out


def test_one_spot_per_tested_module_per_comparison():
    scores, ann = planted_scores()
    fig = plot_module_map(scores, ann, core_comparisons=["a_D1", "b_D1"])
    spots = patches(fig, "spot")
    expected = {(c, m) for c in COMPS for m in MODULES if m != DROPPED and (c, m) != UNTESTED}
    assert set(spots) == expected
    untested = patches(fig, "untested")
    assert set(untested) == {(c, DROPPED) for c in COMPS} | {UNTESTED}


def test_planted_up_red_down_blue_others_pale():
    scores, ann = planted_scores()
    fig = plot_module_map(scores, ann)
    spots = patches(fig, "spot")
    for c in ("a_D1", "b_D1"):
        for m in UP:
            r, g, b, _ = spots[(c, m)].facecolor
            assert r > 0.6 and r - b > 0.3, (c, m)
        for m in DOWN:
            r, g, b, _ = spots[(c, m)].facecolor
            assert b > 0.6 and b - r > 0.3, (c, m)
    # a 70 % spot is more intense (further from white) than a 10 % one
    strong = np.array(spots[("a_D1", "M3.2")].facecolor[:3])
    weak_rows = scores[
        (scores.comparison == "a_M6") & (scores.pct_up == 10) & (scores.pct_down < 10)
    ]
    weak = np.array(spots[("a_M6", weak_rows.module_id.iloc[0])].facecolor[:3])
    assert np.abs(1 - strong).sum() > np.abs(1 - weak).sum()


def test_min_pct_leaves_small_spots_white():
    scores, ann = planted_scores()
    fig = plot_module_map(scores, ann, min_pct=50)
    spots = patches(fig, "spot")
    for (c, m), p in spots.items():
        row = scores[(scores.comparison == c) & (scores.module_id == m)].iloc[0]
        big = max(row.pct_up, row.pct_down) >= 50 and row.pct_up != row.pct_down
        is_white = np.allclose(p.facecolor[:3], 1.0)
        assert is_white != big, (c, m)


def core_oracle(scores: pd.DataFrame, comps: list[str], threshold: float) -> set[str]:
    """Independent definition: dominant % >= threshold, same direction, in every comparison."""
    result = set()
    for m, grp in scores.groupby("module_id"):
        dirs = []
        for c in comps:
            r = grp[grp.comparison == c]
            if r.empty or r.n_genes.iloc[0] == 0:
                break
            up, down = r.pct_up.iloc[0], r.pct_down.iloc[0]
            if up > down and up >= threshold:
                dirs.append(1)
            elif down > up and down >= threshold:
                dirs.append(-1)
            else:
                break
        else:
            if len(set(dirs)) == 1:
                result.add(m)
    return result


@pytest.mark.parametrize("threshold", [15, 55, 65])
def test_core_outline_surrounds_exactly_the_qualifying_modules(threshold):
    scores, ann = planted_scores()
    fig = plot_module_map(scores, ann, core_comparisons=["a_D1", "b_D1"], changed_pct=threshold)
    expected = core_oracle(scores, ["a_D1", "b_D1"], threshold)
    if threshold == 15:
        assert expected == UP | DOWN  # the planted core; M3.3 is in one D1 only
    outlines = patches(fig, "core")
    spots = patches(fig, "spot")
    for c in COMPS:
        drawn = {m for (cc, m) in outlines if cc == c}
        assert drawn == expected
        for m in drawn:  # the outline is centred on the module's spot and encloses it
            o, s = outlines[(c, m)], spots[(c, m)]
            assert o.center == s.center and o.radius > s.radius and o.facecolor is None


def test_core_signature_with_unknown_comparison_is_an_input_error():
    scores, ann = planted_scores()
    with pytest.raises(InputError, match="nope"):
        plot_module_map(scores, ann, core_comparisons=["a_D1", "nope"])


def test_grid_positions_from_ids_and_bloodgen3_positions():
    scores, ann = planted_scores()
    grid = grid_layout(ann)
    assert (grid.loc["M3.1", ["row", "col"]] == [2, 0]).all()
    assert (grid.loc["M2.11", ["row", "col"]] == [1, 10]).all()
    fig = plot_module_map(scores, ann)
    spot = patches(fig, "spot")[("a_D1", "M2.11")]
    assert spot.center == (10, 1)
    bg3 = pd.DataFrame(
        {
            "module_id": ["M3.1", "M8.3", "M8.1"],
            "title": ["x", "y", "z"],
            "position": ["A29.1", "A28.6", "A29.4"],
        }
    )
    g = grid_layout(bg3)
    assert list(g.index) == ["M8.3", "M3.1", "M8.1"]  # A28 before A29
    assert g.loc["M8.3", "row_label"] == "A28" and g.loc["M8.3", "col"] == 5
    assert g.loc["M8.1", "row"] == 1 and g.loc["M8.1", "col"] == 3


def test_long_rounds_wrap():
    ann = pd.DataFrame({"module_id": [f"M8.{i}" for i in range(1, 112)], "title": ""})
    g = grid_layout(ann, max_cols=40)
    assert g["row"].nunique() == 3  # 111 = 40 + 40 + 31
    assert g.loc["M8.41", "row_label"] == "M8+40" and g.loc["M8.41", "col"] == 0


def test_bad_position_is_an_input_error():
    ann = pd.DataFrame({"module_id": ["M1.1", "M1.2"], "title": "", "position": ["A1.1", "A 1"]})
    with pytest.raises(InputError, match="M1.2"):
        grid_layout(ann)


def test_dot_matrix_rows_colours_and_sizes():
    scores, ann = planted_scores()
    fig = plot_module_dots(scores, ann, comparisons=COMPS)
    ax = fig.axes[0]
    dots = next(c for c in ax.collections if c.get_gid() == "dots")
    # rows: modules with >= 15 % in some comparison, in layout order (M1 < M2 < M3)
    want = [m for m in MODULES if m in UP | DOWN | {"M3.3"}]
    labels = [t.get_text().split()[0] for t in ax.get_yticklabels()]
    assert labels == want
    offsets = dots.get_offsets()
    assert len(offsets) == len(want) * len(COMPS)  # all of them tested
    for (x, y), net, size in zip(offsets, dots.get_array(), dots.get_sizes(), strict=True):
        row = scores[(scores.comparison == COMPS[int(x)]) & (scores.module_id == want[int(y)])]
        assert net == pytest.approx(row.pct_up.iloc[0] - row.pct_down.iloc[0])
        share = row.pct_up.iloc[0] + row.pct_down.iloc[0]
        assert size == pytest.approx(float(dot_area(share)))
    lo, hi = dots.get_clim()
    assert lo == -hi  # symmetric colour scale


def test_net_mode_colours_by_up_minus_down():
    scores, ann = planted_scores()
    mixed = (scores.comparison == "a_M6") & (scores.module_id == "M1.1")
    scores.loc[mixed, ["pct_up", "pct_down"]] = [40.0, 60.0]  # dominant down 60, net -20
    dom = patches(plot_module_map(scores, ann, value="dominant"), "spot")[("a_M6", "M1.1")]
    net = patches(plot_module_map(scores, ann, value="net"), "spot")[("a_M6", "M1.1")]
    r_d, _, b_d, _ = dom.facecolor
    r_n, _, b_n, _ = net.facecolor
    assert b_d > r_d and b_n > r_n  # both blue
    assert (1 - r_d) > (1 - r_n)  # 60 % is deeper than 20 %


def test_figures_save_as_pdf_png_svg(tmp_path):
    from modmap.plots import save_figure

    scores, ann = planted_scores()
    fig = plot_module_map(scores, ann)
    paths = [tmp_path / f"map.{ext}" for ext in ("pdf", "png", "svg")]
    save_figure(fig, *paths)
    heads = [p.read_bytes()[:8] for p in paths]
    assert heads[0].startswith(b"%PDF") and heads[1].startswith(b"\x89PNG")
    assert b"<svg" in paths[2].read_bytes()[:2000]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.pdf", "map.png", "map.svg"]


def test_figures_compose_into_a_caller_figure():
    # Dot matrix into the caller's axes, module map into one of the caller's subfigures: both
    # draw there and return the caller's root figure.
    from matplotlib.figure import Figure

    scores, ann = planted_scores()
    outer = Figure(figsize=(14, 8))
    left, right = outer.subfigures(1, 2, width_ratios=[3, 1])
    ax = right.add_subplot()
    assert plot_module_dots(scores, ann, comparisons=COMPS, ax=ax) is outer
    dots = next(c for c in ax.collections if c.get_gid() == "dots")
    assert len(dots.get_offsets()) == len(UP | DOWN | {"M3.3"}) * len(COMPS)
    assert plot_module_map(scores, ann, comparisons=COMPS, fig=left) is outer
    spots = patches(outer, "spot")
    assert len(spots) == len(COMPS) * (len(MODULES) - 1) - 1  # dropped + one untested cell
    layers = [
        c for ax in outer.axes for c in ax.collections if (c.get_gid() or "").startswith("spots|")
    ]
    assert len(layers) == len(COMPS) and all(c.figure.figure is outer for c in layers)


def _pixel(fig, panel, x, y):
    """RGB (0-1) of the rendered figure at data point (x, y) of ``panel``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig.figure)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[:, :, :3] / 255.0
    px, py = panel.transData.transform((x, y))
    return pixels[pixels.shape[0] - int(round(py)), int(round(px))]


@pytest.mark.parametrize("into_subfigure", [False, True])
def test_spots_fill_their_cells_in_the_rendered_image(into_subfigure):
    """Rendered pixels: a spot's colour at its centre and 0.3 cells from it (radius 0.42), the
    white background half-way between two cells; also in a caller's subfigure."""
    from matplotlib.figure import Figure

    scores, ann = planted_scores()
    target = Figure(figsize=(16, 6)).subfigures(1, 2)[1] if into_subfigure else None
    fig = plot_module_map(scores, ann, fig=target)
    spot = patches(fig, "spot")[("a_D1", "M3.2")]  # planted up: red
    panel = next(ax for ax in fig.axes if ax.get_title() == "a_D1")
    col, row = spot.center
    red = spot.facecolor[:3]
    np.testing.assert_allclose(_pixel(fig, panel, col, row), red, atol=0.02)
    np.testing.assert_allclose(_pixel(fig, panel, col + 0.3, row), red, atol=0.02)
    np.testing.assert_allclose(_pixel(fig, panel, col + 0.5, row), 1.0, atol=0.02)
    np.testing.assert_allclose(_pixel(fig, panel, col, row + 0.5), 1.0, atol=0.02)
