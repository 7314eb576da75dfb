"""Module maps: one grid of spots per comparison (the trial's Figure 3A).

A spot's colour gives the direction (red up, blue down) and its intensity the percentage of the
module's tested genes changed in that direction, on a fixed 0-100 % scale shared by all panels.
See ``docs/figures.md`` for every rule (dominant vs net values, ``min_pct``, the core signature).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure, SubFigure
from matplotlib.legend_handler import HandlerPatch
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform, ScaledTranslation

from modmap.errors import InputError
from modmap.plots._base import DIVERGING, EMPTY_EDGE, NOT_TESTED, new_figure, style, text_width
from modmap.plots.layout import detect_layout, grid_layout
from modmap.stats.changed import CHANGED_PCT, Value, changed_threshold, core_signature, spot_values

Key = Literal["auto", "modules", "aggregates"]
#: Titles that carry no information and are left out of the module key.
UNINFORMATIVE_TITLES = frozenset({"", "tbd", "undetermined", "unknown", "na", "nan"})
#: Number of module titles named per aggregate in the aggregate key.
AGGREGATE_FUNCTIONS = 3


def aggregate_functions(
    annotation: pd.DataFrame, grid: pd.DataFrame, *, n: int = AGGREGATE_FUNCTIONS
) -> dict[str, str]:
    """Short description of each grid row from its modules' titles (the aggregate key).

    Parameters
    ----------
    annotation
        Table with ``module_id`` and ``title``.
    grid
        :func:`~modmap.plots.layout.grid_layout` of the same modules.
    n
        How many titles to name per row (default 3).

    Returns
    -------
    dict
        ``row_label`` (``"A28"``) -> ``"Interferon (5), Type 1 Interferon (1)"``: the ``n`` most
        frequent informative titles (not TBD/Undetermined) of the row's modules, most frequent
        first, ties in layout order, with their number of modules (left out when the row holds
        a single module); ``"-"`` when no module of the row has an informative title.
    """
    titles = annotation.set_index(annotation["module_id"].astype(str))["title"]
    titles = titles.fillna("").astype(str).str.strip()
    out: dict[str, str] = {}
    for label, members in grid.groupby("row_label", sort=False).groups.items():
        members = list(members)
        found = [titles.get(m, "") for m in members]
        found = [t for t in found if t.lower() not in UNINFORMATIVE_TITLES]
        counts = pd.Series(found, dtype=object).value_counts(sort=False)  # first-seen order
        ranked = sorted(counts.index, key=lambda t: (-int(counts[t]), found.index(t)))[:n]
        if not ranked:
            out[str(label)] = "-"
        elif len(members) == 1:
            out[str(label)] = ranked[0]
        else:
            out[str(label)] = ", ".join(f"{t} ({int(counts[t])})" for t in ranked)
    return out


def plot_module_map(
    scores: pd.DataFrame,
    annotation: pd.DataFrame,
    *,
    comparisons: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    value: Value = "dominant",
    min_pct: float = 0.0,
    core_comparisons: Sequence[str] = (),
    changed_pct: float = CHANGED_PCT,
    ncols: int | None = None,
    max_cols: int = 40,
    max_titles: int = 60,
    key: Key = "auto",
    fig: Figure | SubFigure | None = None,
) -> Figure:
    """Draw the module map: one grid of spots per comparison, as small multiples.

    Parameters
    ----------
    scores
        ``results/modules/scores.tsv`` (see :func:`spot_values`).
    annotation
        ``results/modules/annotation.tsv``: ``module_id``, ``title``, ``kept`` and optional
        ``position``. Every module of the annotation gets a cell; modules dropped by the bridge
        or not tested in a comparison are drawn as grey hatched spots, not as 0 %.
    comparisons
        Comparisons to draw, in panel order (default: score-table order).
    labels
        Panel title per comparison name (config ``label``); default the name.
    value
        ``"dominant"`` (default) or ``"net"``; see :func:`spot_values`.
    min_pct
        Spots with ``|value| < min_pct`` percent are left empty (default 0: only 0 % is empty).
    core_comparisons
        Comparisons defining the core signature (config ``module_map.core_signature``); its
        modules get a black outline in every panel. Empty: no outline.
    changed_pct
        Percent of genes for a module to count as changed (default 15); the core-signature
        threshold is ``max(min_pct, changed_pct)``.
    ncols
        Panels per row (default ``min(3, number of comparisons)``; with more than 9 comparisons
        ``ceil(sqrt(number of comparisons))``, a compact grid whose row labels (``A28``, ``M3``)
        are written left of the first panel of each row only).
    max_cols
        Grid columns before a round/aggregate wraps (default 40).
    max_titles
        Maximum number of "M3.1 Interferon" lines in the key (default 60). With more modules,
        the key lists the modules changed in most comparisons first and says how many are left.
    key
        ``"modules"``: the "M3.1 Interferon" list on the right. ``"aggregates"``: each grid row
        (BloodGen3 aggregate) is labelled on the right of the panels with its most frequent
        module titles (:func:`aggregate_functions`) and the list is left out. ``"auto"``
        (default): aggregates when the layout comes from a ``position`` column and the map has
        more than ``max_titles`` modules (BloodGen3), otherwise modules.
    fig
        Figure, or :class:`~matplotlib.figure.SubFigure` (e.g. one of ``fig.subfigures()``), to
        draw into (default: a new figure sized from the grid). The map is several axes (a
        panel per comparison and the key), so it takes a figure rather than one ``ax``.

    Returns
    -------
    matplotlib.figure.Figure
        Each panel's spots are three :class:`SpotLayer` collections (circles of a radius in
        data units, drawn as markers, centred on the modules' ``(col, row)`` cells of
        :func:`~modmap.plots.layout.grid_layout`, in layout order) with ``gid``
        ``"spots|{comparison}"`` (tested modules, coloured), ``"untested|{comparison}"``
        (grey hatched) and ``"core|{comparison}"`` (the black outline), for tests and SVG
        post-processing.
    """
    spots = spot_values(scores, value=value)
    comps = _shown_comparisons(spots, comparisons)
    labels = dict(labels or {})
    grid = grid_layout(annotation, max_cols=max_cols)
    unknown = sorted(set(spots["module_id"]) - set(grid.index))
    if unknown:
        raise InputError(
            f"scores.tsv has module(s) missing from annotation.tsv: {', '.join(unknown[:5])}. "
            "Both come from the same run of the bridge rule; re-run the workflow."
        )
    threshold = changed_threshold(min_pct=min_pct, changed_pct=changed_pct)
    core = set(core_signature(scores, core_comparisons, value=value, threshold=threshold))
    lookup = spots.set_index(["comparison", "module_id"])["value"]
    tested = spots.set_index(["comparison", "module_id"])["tested"]

    n_rows = int(grid["row"].max()) + 1
    n_cols = int(grid["col"].max()) + 1
    if ncols is None:  # 3 panels a row, a compact square-ish grid above 9 comparisons
        ncols = min(3, len(comps)) if len(comps) <= 9 else math.ceil(math.sqrt(len(comps)))
    ncols = max(1, int(ncols))
    prows = math.ceil(len(comps) / ncols)
    cell = min(0.24, max(0.09, 3.6 / max(n_cols, 1)))
    panel_w = n_cols * cell + 0.55
    panel_h = n_rows * cell + 0.45
    row_size = 5 if n_rows > 20 else 7

    key_kind = _key_kind(key, annotation, grid, max_titles=max_titles)
    if key_kind == "aggregates":
        functions = aggregate_functions(annotation, grid)
        key_lines = []
        functions_w = text_width(functions.values(), size=row_size) + 0.1
        key_w = 1.8
    else:
        functions = {}
        key_lines = _key_lines(annotation, grid, spots, core, threshold, max_titles=max_titles)
        functions_w = 0.0
        key_w = 0.4 + text_width([t for t, _ in key_lines], size=7 if len(key_lines) <= 40 else 5.5)
        key_w = min(max(key_w, 1.8), 3.2)
    left_w = ncols * panel_w + functions_w
    with style():
        if fig is None:
            key_h = _key_height(len(key_lines), bool(core_comparisons), kind=key_kind)
            fig = new_figure(left_w + key_w, max(prows * panel_h + 0.9, key_h + 0.5))
        left, right = fig.subfigures(1, 2, width_ratios=[left_w, key_w], wspace=0.01)
        axes = np.atleast_1d(left.subplots(prows, ncols, squeeze=False).ravel())
        radius = 0.42
        outline_lw = 1.3 if cell >= 0.18 else 0.8
        for i, (ax, comp) in enumerate(zip(axes, comps, strict=False)):  # a panel each
            _draw_spots(
                ax,
                grid,
                comp,
                lookup=lookup,
                tested=tested,
                core=core,
                min_pct=min_pct,
                radius=radius,
                outline_lw=outline_lw,
            )
            _format_panel(
                ax,
                grid,
                n_rows,
                n_cols,
                title=labels.get(comp, comp),
                # compact grid (> 9 comparisons): row labels left of each row of panels only
                row_labels=len(comps) <= 9 or i % ncols == 0,
            )
        if functions:  # right of the panels of the last column (all columns stay equal)
            for ax in axes[ncols - 1 : len(comps) : ncols]:
                _label_functions(ax, grid, functions, size=row_size)
        for ax in axes[len(comps) :]:
            ax.set_visible(False)
        _colour_bar(left, axes[: len(comps)], value=value)
        _draw_key(right, key_lines, core_comparisons, labels, threshold, value, kind=key_kind)
    return fig.figure  # the root figure (a SubFigure's .figure is its parent Figure)


def _shown_comparisons(spots: pd.DataFrame, comparisons: Sequence[str] | None) -> list[str]:
    """The comparisons to draw (default: score-table order), each checked to be in the scores."""
    comps = list(dict.fromkeys(spots["comparison"])) if comparisons is None else list(comparisons)
    if not comps:
        raise InputError("scores.tsv has no rows: there is no comparison to draw.")
    missing = [c for c in comps if c not in set(spots["comparison"])]
    if missing:
        raise InputError(
            f"comparison(s) {', '.join(missing)} not found in scores.tsv; re-run module_scores "
            "after changing the comparisons in the config."
        )
    return comps


def _key_kind(key: Key, annotation: pd.DataFrame, grid: pd.DataFrame, *, max_titles: int) -> str:
    """``modules`` or ``aggregates``: what the key on the right shows (:func:`plot_module_map`)."""
    if key not in ("auto", "modules", "aggregates"):
        raise ValueError(f"key must be 'auto', 'modules' or 'aggregates', got {key!r}")
    if key != "auto":
        return key
    by_position = detect_layout(annotation) == "position"
    return "aggregates" if by_position and len(grid) > max_titles else "modules"


class SpotLayer(PathCollection):
    """Circles of one radius in data units, drawn as one marker path (a light SVG and PDF).

    A scatter whose marker size is recomputed from the axes' data scale at every draw, so the
    circles fill their grid cells whatever the final layout (constrained layout, a caller's
    SubFigure). ``radius`` is in data units (grid cells); :meth:`get_sizes` holds the drawn
    area in points^2 of the last draw (radius in points = its square root).
    """

    def __init__(self, radius: float, **kwargs) -> None:
        super().__init__([Path.unit_circle()], sizes=[1.0], **kwargs)
        self.set_transform(IdentityTransform())  # marker paths in pixels, as a scatter's
        self.radius = radius

    def draw(self, renderer) -> None:
        trans = self.axes.transData
        r_px = abs(trans.transform((self.radius, 0))[0] - trans.transform((0, 0))[0])
        dpi = self.figure.dpi
        self.set_sizes([(r_px * 72.0 / dpi) ** 2], dpi)
        super().draw(renderer)


def _draw_spots(
    ax,
    grid: pd.DataFrame,
    comp: str,
    *,
    lookup: pd.Series,
    tested: pd.Series,
    core: set[str],
    min_pct: float,
    radius: float,
    outline_lw: float,
) -> None:
    """One panel's spots as three layers: tested spots, untested (hatched), core outlines.

    Each layer is one :class:`SpotLayer` of the modules' grid cells ``(col, row)`` in layout
    order, ``gid`` ``spots|{comp}``, ``untested|{comp}`` and ``core|{comp}``: one artist per
    layer instead of one patch per module, so 50 comparisons x 382 modules draw in seconds and
    the SVG defines the circle once.
    """
    ids = list(grid.index)
    keys = pd.MultiIndex.from_arrays([[comp] * len(ids), ids])
    is_tested = tested.reindex(keys).astype("boolean").fillna(False).to_numpy(dtype=bool)
    values = lookup.reindex(keys).to_numpy(dtype=float)
    xy = grid[["col", "row"]].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        shown = is_tested & (values != 0) & (np.abs(values) >= min_pct)
    colours = np.where(
        shown[:, None], DIVERGING(0.5 + np.nan_to_num(values) / 200.0), (1.0, 1.0, 1.0, 1.0)
    )
    in_core = np.array([m in core for m in ids], dtype=bool) & is_tested
    layers = [
        ("spots", is_tested, radius, {"facecolors": colours[is_tested], "edgecolors": EMPTY_EDGE}),
        (
            "untested",
            ~is_tested,
            radius * 0.8,
            {"facecolors": "white", "edgecolors": NOT_TESTED, "hatch": "/////"},
        ),
        (
            "core",
            in_core,
            radius + 0.04,
            {"facecolors": "none", "edgecolors": "black", "linewidths": outline_lw},
        ),
    ]
    for kind, mask, r, look in layers:
        if mask.any():
            layer = SpotLayer(
                r,
                offsets=xy[mask],
                offset_transform=ax.transData,
                gid=f"{kind}|{comp}",
                **{"linewidths": 0.4, **look},
            )
            ax.add_collection(layer, autolim=False)


def _label_functions(ax, grid: pd.DataFrame, functions: dict[str, str], *, size: float) -> None:
    """Right-hand row labels: the aggregate key (:func:`aggregate_functions`) of each grid row."""
    rows = grid.drop_duplicates("row").sort_values("row")
    right = ax.secondary_yaxis("right")
    right.set_yticks(rows["row"].to_numpy(), [functions.get(r, "") for r in rows["row_label"]])
    right.tick_params(length=0, pad=2, labelsize=size, colors="#404040")
    right.spines["right"].set_visible(False)
    right.set_gid("aggregate_key")


def _format_panel(
    ax, grid: pd.DataFrame, n_rows: int, n_cols: int, *, title: str, row_labels: bool = True
) -> None:
    ax.set_xlim(-0.6, n_cols - 0.4)
    ax.set_ylim(n_rows - 0.4, -0.6)
    ax.set_aspect("equal")
    rows = grid.drop_duplicates("row").sort_values("row")
    ax.set_yticks(rows["row"].to_numpy(), rows["row_label"].to_list())
    step = 1 if n_cols <= 12 else 5
    ticks = [0, *range(step - 1, n_cols, step)] if step > 1 else list(range(n_cols))
    ticks = sorted(set(ticks))
    ax.set_xticks(ticks, [str(t + 1) for t in ticks])
    ax.tick_params(length=0, pad=1.5)
    if n_rows > 20:
        ax.tick_params(axis="y", labelsize=5)
    if not row_labels:  # no tick objects at all: 50 panels x 38 rows cost seconds per save
        ax.set_yticks([])
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    # y=1.0: nothing is drawn above a panel, so the title sits at its top, where matplotlib's
    # automatic placement would put it, without measuring every row label at each draw
    ax.set_title(title, fontweight="bold", pad=3, y=1.0)


def _colour_bar(subfig, axes, *, value: Value) -> None:
    mappable = ScalarMappable(norm=Normalize(-100, 100), cmap=DIVERGING)
    cbar = subfig.colorbar(
        mappable, ax=list(axes), location="bottom", shrink=0.45, aspect=35, pad=0.02
    )
    ticks = [-100, -50, 0, 50, 100]
    if value == "dominant":
        cbar.set_ticks(ticks, labels=["100", "50", "0", "50", "100"])
        cbar.set_label("% of genes changed:  down (blue)  |  up (red)")
    else:
        cbar.set_ticks(ticks, labels=["-100", "-50", "0", "+50", "+100"])
        cbar.set_label("net % of genes changed (% up - % down)")
    cbar.outline.set_linewidth(0.4)
    cbar.ax.tick_params(length=2)


def _key_lines(
    annotation: pd.DataFrame,
    grid: pd.DataFrame,
    spots: pd.DataFrame,
    core: set[str],
    threshold: float,
    *,
    max_titles: int,
) -> list[tuple[str, bool]]:
    """Lines "M3.1 Interferon" of the key, with a flag for core-signature modules."""
    titles = annotation.set_index(annotation["module_id"].astype(str))["title"]
    titles = titles.fillna("").astype(str).str.strip()
    informative = [m for m in grid.index if titles.get(m, "").lower() not in UNINFORMATIVE_TITLES]
    if len(informative) <= max_titles:
        chosen = informative
        extra = 0
    else:
        changed = spots[spots["value"].abs() >= threshold].groupby("module_id").size()
        rank = {m: i for i, m in enumerate(grid.index)}
        ordered = sorted(
            informative, key=lambda m: (m not in core, -int(changed.get(m, 0)), rank[m])
        )
        chosen = sorted(ordered[:max_titles], key=rank.__getitem__)
        extra = len(informative) - len(chosen)
    lines = [(f"{m}  {titles[m]}", m in core) for m in chosen]
    if extra:
        lines.append((f"+ {extra} more (annotation.tsv)", False))
    return lines


def _legend_circle(*, legend, orig_handle, xdescent, ydescent, width, height, fontsize):
    # A legend handle as a circle (the legend copies the handle's colours and hatch onto it).
    radius = 0.6 * height  # about the size of the other markers (ms 6-7)
    return Circle((0.5 * width - xdescent, 0.5 * height - ydescent), radius)


# Geometry of the key, in inches from the top of its axes (legend font 7 pt, STYLE).
_LEGEND_PT = 7.0


def _legend_height(core: bool) -> float:
    # borderpad 0.4 em above and below, 1.2 em per text line, labelspacing 0.5 em between entries
    text_lines, entries = (5, 3) if core else (2, 2)
    return (2 * 0.4 + 1.2 * text_lines + 0.5 * (entries - 1)) * _LEGEND_PT / 72


def _key_text_size(n_lines: int) -> float:
    return 7.0 if n_lines <= 40 else 5.5


def _key_height(n_lines: int, core: bool, *, kind: str) -> float:
    """Height (inches) the key needs: legend, a gap, the header and one line per module."""
    top = _legend_height(core) + 0.12
    if kind == "aggregates":
        return top + 4 * 1.25 * 7 / 72
    return top + 0.17 + n_lines * 1.25 * _key_text_size(n_lines) / 72


def _draw_key(subfig, lines, core_comparisons, labels, threshold, value, *, kind: Key) -> None:
    ax = subfig.subplots()
    ax.axis("off")
    handles = [
        Line2D([], [], marker="o", ls="", mfc="white", mec=EMPTY_EDGE, ms=7, label="no change"),
        # drawn as the map draws it: a grey hatched circle
        Circle(
            (0, 0),
            1,
            facecolor="white",
            edgecolor=NOT_TESTED,
            hatch="/////",
            linewidth=0.4,
            label="not tested",
        ),
    ]
    if core_comparisons:
        names = " & ".join(labels.get(c, c) for c in core_comparisons)
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc="white",
                mec="black",
                mew=1.3,
                ms=7,
                label=f"core signature\n({names};\n{value} >= {threshold:g} %)",
            )
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        borderaxespad=0,
        handletextpad=0.4,
        handler_map={Circle: HandlerPatch(patch_func=_legend_circle)},
        alignment="left",
    )

    def below_top(inches: float):
        # axes x, and y measured in inches down from the top of the axes: the key keeps its
        # spacing whatever the figure's height
        return ax.transAxes + ScaledTranslation(0, -inches, subfig.figure.dpi_scale_trans)

    y = _legend_height(bool(core_comparisons)) + 0.12
    if kind == "aggregates":
        ax.text(
            0,
            1,
            "Right of each row: the most\nfrequent module titles of the\naggregate "
            "(number of modules;\nTBD/Undetermined not counted)",
            fontsize=7,
            va="top",
            transform=below_top(y),
        )
        return
    ax.text(0, 1, "Modules", fontweight="bold", va="top", transform=below_top(y))
    size = _key_text_size(len(lines))
    step = 1.25 * size / 72
    for i, (text, bold) in enumerate(lines):
        ax.text(
            0,
            1,
            text,
            fontsize=size,
            va="top",
            fontweight="bold" if bold else "normal",
            transform=below_top(y + 0.17 + i * step),
        )
