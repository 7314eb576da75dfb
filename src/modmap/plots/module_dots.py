"""Module x comparison dot matrix: the view for longitudinal questions.

Rows are the modules changed in at least one comparison (the same "changed" rule as the module
map's core signature: spot value ``|v| >= max(min_pct, changed_pct)``), ordered by the map layout;
columns are comparisons in config order. Colour = ``pct_net`` (% up - % down) on a symmetric
blue-white-red scale; dot area = share of genes changed (``pct_up + pct_down``, %).

Large repertoires (BloodGen3: ~300 changed modules in a sepsis cohort) would give a matrix metres
tall, so at most ``max_rows`` rows (default :data:`MAX_ROWS`) are drawn: the modules with the
largest absolute spot value in any shown comparison (ties in layout order), still in layout order,
and the title says "top 60 of 301 changed modules". The full list is ``scores.tsv``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from modmap.errors import InputError
from modmap.plots._base import DIVERGING, NOT_TESTED, new_figure, style, text_width
from modmap.plots.layout import detect_layout, grid_layout
from modmap.stats.changed import (
    CHANGED_PCT,
    Value,
    changed_modules,
    changed_threshold,
    spot_values,
)

#: Marker area (points^2) of a dot whose module has 100 % of its genes changed.
MAX_AREA = 160.0
#: Default maximum number of rows (modules) of the dot matrix; more changed modules are ranked.
MAX_ROWS = 60


def top_changed(spots: pd.DataFrame, rows: Sequence[str], *, max_rows: int = MAX_ROWS) -> list[str]:
    """The ``max_rows`` modules of ``rows`` with the largest ``|value|`` in any comparison.

    Parameters
    ----------
    spots
        :func:`~modmap.stats.changed.spot_values` of the shown comparisons.
    rows
        Candidate modules in layout order.
    max_rows
        How many to keep (>= 1).

    Returns
    -------
    list of str
        The kept modules in layout order (``rows`` itself when it is short enough). Ranking:
        largest absolute spot value (percent of genes, the value that decides "changed") over
        the comparisons, ties broken by layout order (earlier first).
    """
    if max_rows < 1:
        raise ValueError(f"max_rows must be >= 1, got {max_rows}")
    rows = list(rows)
    if len(rows) <= max_rows:
        return rows
    strength = spots.assign(a=spots["value"].abs()).groupby("module_id")["a"].max()
    rank = {m: i for i, m in enumerate(rows)}
    ordered = sorted(rows, key=lambda m: (-float(strength.get(m, 0.0)), rank[m]))
    keep = set(ordered[:max_rows])
    return [m for m in rows if m in keep]


def dot_area(share_pct: np.ndarray | float) -> np.ndarray:
    """Marker area (points^2) for a share of changed genes in percent (0-100), area-proportional."""
    return np.clip(np.asarray(share_pct, dtype=float), 0, 100) / 100.0 * MAX_AREA


def plot_module_dots(
    scores: pd.DataFrame,
    annotation: pd.DataFrame,
    *,
    comparisons: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    value: Value = "dominant",
    min_pct: float = 0.0,
    changed_pct: float = CHANGED_PCT,
    max_cols: int = 40,
    max_rows: int = MAX_ROWS,
    enriched: Collection[tuple[str, str]] = (),
    enriched_label: str = "enriched",
    ax: Axes | None = None,
) -> Figure:
    """Draw the module x comparison dot matrix.

    Parameters
    ----------
    scores
        ``results/modules/scores.tsv``.
    annotation
        ``results/modules/annotation.tsv`` (layout order and titles).
    comparisons
        Columns in order (default: score-table order, i.e. config order).
    labels
        Column label per comparison name (config ``label``).
    value, min_pct, changed_pct
        Which modules count as changed: spot value (``"dominant"`` or ``"net"``) with
        ``|v| >= max(min_pct, changed_pct)`` percent in at least one comparison (default 15 %).
    max_cols
        Passed to :func:`~modmap.plots.layout.grid_layout` (row order only).
    max_rows
        Maximum number of rows (default 60). With more changed modules, the ``max_rows`` with
        the largest absolute spot value in any comparison are drawn (see :func:`top_changed`),
        in layout order, and the title says "top 60 of N changed modules".
    enriched
        ``(comparison, module_id)`` pairs marked with a black ring (``gid="enriched"``), e.g. the
        modules whose rank enrichment has ``q < alpha`` (``results/modules/enrichment.tsv``).
        Default none.
    enriched_label
        Legend text of the ring (e.g. ``"CERNO q < 0.05"``).
    ax
        Axes to draw into (default: a new figure sized from the number of rows); its figure (or
        subfigure) also receives the colour bar.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into (the root figure when ``ax`` is given). The dots are one
        scatter collection with ``gid="dots"`` (offsets = (column, row),
        colour array = ``pct_net``, sizes = :func:`dot_area` of ``pct_up + pct_down``); modules not
        tested in a comparison are grey crosses (``gid="untested"``).
    """
    spots = spot_values(scores, value=value)
    comps = list(dict.fromkeys(spots["comparison"])) if comparisons is None else list(comparisons)
    missing = [c for c in comps if c not in set(spots["comparison"])]
    if missing:
        raise InputError(f"comparison(s) {', '.join(missing)} not found in scores.tsv.")
    labels = dict(labels or {})
    threshold = changed_threshold(min_pct=min_pct, changed_pct=changed_pct)
    sub = scores[scores["comparison"].astype(str).isin(comps)]
    changed = set(changed_modules(sub, value=value, threshold=threshold))
    grid = grid_layout(annotation, max_cols=max_cols)
    all_rows = [m for m in grid.index if m in changed]
    shown = spot_values(sub, value=value)
    rows = top_changed(shown, all_rows, max_rows=max_rows)

    xs, ys, net, share, ux, uy = _dots(sub, comps, rows)
    limit = max(10.0, math.ceil(max((abs(v) for v in net), default=0) / 10) * 10)
    row_labels = _row_labels(annotation, grid, rows)
    col_labels = [labels.get(c, c) for c in comps]
    title = _title(len(rows), len(all_rows), threshold)

    with style():
        if ax is None:
            fig = new_figure(*_figure_size(row_labels, col_labels, title))
            ax = fig.add_subplot()
        else:
            fig = ax.figure  # a Figure or a SubFigure; the colour bar goes next to ``ax``
        dots = ax.scatter(
            xs,
            ys,
            s=dot_area(np.asarray(share)),
            c=net,
            cmap=DIVERGING,
            vmin=-limit,
            vmax=limit,
            edgecolors="#4d4d4d",
            linewidths=0.4,
            gid="dots",
        )
        if ux:
            ax.scatter(ux, uy, marker="x", s=12, c=NOT_TESTED, linewidths=0.8, gid="untested")
        marked = set(enriched)
        rings = [
            (j, i) for j, c in enumerate(comps) for i, m in enumerate(rows) if (c, m) in marked
        ]
        if rings:
            ax.scatter(
                *zip(*rings, strict=True),
                s=MAX_AREA * 1.35,
                facecolors="none",
                edgecolors="black",
                linewidths=0.8,
                gid="enriched",
            )
        ax.set_xticks(range(len(comps)), col_labels, rotation=45, ha="right")
        ax.set_yticks(range(len(rows)), row_labels)
        ax.set_xlim(-0.6, len(comps) - 0.4)
        ax.set_ylim(max(len(rows), 1) - 0.4, -0.6)
        ax.grid(color="#eeeeee", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.tick_params(length=0)
        for side in ("left", "bottom", "top", "right"):
            ax.spines[side].set_visible(False)
        if not rows:
            ax.text(
                0.5,
                0.5,
                f"No module has >= {threshold:g} % of genes changed in any comparison",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
        # Nothing is drawn above the axes (the comparison labels are below): the title sits at
        # its top, where matplotlib's automatic placement would put it, without measuring every
        # tick label at each layout and draw.
        top = (
            ax.xaxis.get_ticks_position() == "bottom" and ax.xaxis.get_label_position() == "bottom"
        )
        ax.set_title(title, **({"y": 1.0} if top else {}))
        cbar = fig.colorbar(dots, ax=ax, shrink=min(0.6, 4 / max(len(rows), 1) + 0.2), aspect=15)
        cbar.set_label("net % of genes\n(% up - % down)")
        cbar.outline.set_linewidth(0.4)
        _size_legend(ax, untested=bool(ux), enriched_label=enriched_label if rings else None)
    return fig.figure  # the root figure (a SubFigure's .figure is its parent Figure)


def _size_legend(ax: Axes, *, untested: bool, enriched_label: str | None = None) -> None:
    """Legend of dot sizes (10, 25, 50, 100 % of genes changed), the untested cross and the
    enrichment ring (when ``enriched_label`` is given)."""
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            mfc="white",
            mec="#4d4d4d",
            mew=0.4,
            ms=math.sqrt(float(dot_area(p))),
            label=f"{p} %",
        )
        for p in (10, 25, 50, 100)
    ]
    if untested:
        handles.append(
            Line2D([], [], marker="x", ls="", color=NOT_TESTED, ms=4, label="not tested")
        )
    if enriched_label is not None:
        handles.append(
            Line2D([], [], marker="o", ls="", mfc="none", mec="black", ms=8, label=enriched_label)
        )
    ax.legend(
        handles=handles,
        title="genes changed\n(% up + % down)",
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0,
        labelspacing=1.0,
        alignment="left",
    )


def _dots(
    scores: pd.DataFrame, comps: list[str], rows: list[str]
) -> tuple[list[int], list[int], list[float], list[float], list[int], list[int]]:
    """Positions and values of the dots, and positions of the untested crosses.

    Returns ``xs, ys, net, share, ux, uy``: column and row of each tested (comparison, module)
    with its ``pct_up - pct_down`` and ``pct_up + pct_down``, then column and row of each
    untested one.
    """
    table = scores.assign(
        comparison=scores["comparison"].astype(str), module_id=scores["module_id"].astype(str)
    ).set_index(["comparison", "module_id"])
    up = pd.to_numeric(table["pct_up"], errors="coerce")
    down = pd.to_numeric(table["pct_down"], errors="coerce")
    n = pd.to_numeric(table["n_genes"], errors="coerce").fillna(0)
    xs, ys, net, share, ux, uy = [], [], [], [], [], []
    for j, comp in enumerate(comps):
        for i, m in enumerate(rows):
            key = (comp, m)
            if (
                key in table.index
                and n[key] > 0
                and np.isfinite(up[key])
                and np.isfinite(down[key])
            ):
                xs.append(j)
                ys.append(i)
                net.append(float(up[key] - down[key]))
                share.append(float(up[key] + down[key]))
            else:
                ux.append(j)
                uy.append(i)
    return xs, ys, net, share, ux, uy


def _row_labels(annotation: pd.DataFrame, grid: pd.DataFrame, rows: list[str]) -> list[str]:
    """``M3.1 Interferon``, with the aggregate (``(A28)``) for BloodGen3 position layouts."""
    titles = annotation.set_index(annotation["module_id"].astype(str))["title"].fillna("")
    labels = [f"{m} {titles.get(m, '')}".strip() for m in rows]
    if detect_layout(annotation) == "position":  # BloodGen3: name the aggregate (map row)
        labels = [f"{s} ({grid.loc[m, 'row_label']})" for s, m in zip(labels, rows, strict=True)]
    return labels


def _title(n_shown: int, n_changed: int, threshold: float) -> str:
    """The title: "Modules changed ..." or "Top N of M changed modules ..." when rows are cut."""
    if n_shown < n_changed:
        return (
            f"Top {n_shown} of {n_changed} changed modules\n"
            f"(>= {threshold:g} % of genes in any comparison;\n"
            "largest % changed, in map order)"
        )
    return f"Modules changed (>= {threshold:g} % of genes)\nin any comparison"


def _figure_size(row_labels: list[str], col_labels: list[str], title: str) -> tuple[float, float]:
    """Width and height (inches) leaving room for the measured labels, legend and colour bar.

    Widths: row labels (7 pt) + 0.32 in per comparison + size legend (~1.5 in) + colour bar with
    its label (~1.0 in) + margins; at least the title's width. Heights: 0.17 in per row + the
    rotated column labels + the title.
    """
    label_w = text_width(row_labels or ["M1.1 module"], size=7)
    axes_w = max(0.32 * len(col_labels), 0.6)
    legend_w = 0.45 + text_width(["genes changed", "(% up + % down)", "not tested"], size=7)
    width = max(0.35 + label_w + axes_w + 0.15 + legend_w + 1.0, text_width([title], size=9) + 0.6)
    col_h = 0.71 * text_width(col_labels, size=7)  # rotated by 45 degrees: height = w * sin(45)
    title_h = 0.17 * (title.count("\n") + 1)
    height = 0.5 + title_h + col_h + 0.17 * max(len(row_labels), 8)
    return width, height
