"""Module x comparison dot matrix: the view for longitudinal questions.

Rows are the modules changed in at least one comparison (the same "changed" rule as the module
map's core signature: spot value ``|v| >= max(min_pct, changed_pct)``), ordered by the map layout;
columns are comparisons in config order. Colour = ``pct_net`` (% up - % down) on a symmetric
blue-white-red scale; dot area = share of genes changed (``pct_up + pct_down``, %).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from modmap.errors import InputError
from modmap.plots._base import DIVERGING, NOT_TESTED, new_figure, style
from modmap.plots.layout import grid_layout
from modmap.plots.module_map import CHANGED_PCT, Value, changed_threshold, spot_values

#: Marker area (points^2) of a dot whose module has 100 % of its genes changed.
MAX_AREA = 160.0


def changed_modules(
    scores: pd.DataFrame, *, value: Value = "dominant", threshold: float = CHANGED_PCT
) -> list[str]:
    """Modules whose spot value reaches ``threshold`` percent (absolute) in some comparison.

    Returned in score-table order; see :func:`modmap.plots.module_map.spot_values`.
    """
    spots = spot_values(scores, value=value)
    hit = spots.loc[(spots["value"].abs() >= threshold) & (spots["value"] != 0), "module_id"]
    hit_set = set(hit)
    return [m for m in dict.fromkeys(spots["module_id"]) if m in hit_set]


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
    ax
        Axes to draw into (default: a new figure sized from the number of rows).

    Returns
    -------
    matplotlib.figure.Figure
        The dots are one scatter collection with ``gid="dots"`` (offsets = (column, row),
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
    rows = [m for m in grid.index if m in changed]
    titles = annotation.set_index(annotation["module_id"].astype(str))["title"].fillna("")

    table = sub.assign(
        comparison=sub["comparison"].astype(str), module_id=sub["module_id"].astype(str)
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
    limit = max(10.0, math.ceil(max((abs(v) for v in net), default=0) / 10) * 10)

    with style():
        if ax is None:
            height = 1.6 + 0.17 * max(len(rows), 3)
            label_w = 0.06 * max((len(f"{m} {titles.get(m, '')}") for m in rows), default=10)
            fig = new_figure(1.6 + label_w + 0.32 * len(comps), height)
            ax = fig.add_subplot()
        fig = ax.get_figure()
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
        ax.set_xticks(range(len(comps)), [labels.get(c, c) for c in comps], rotation=45, ha="right")
        ax.set_yticks(range(len(rows)), [f"{m} {titles.get(m, '')}".strip() for m in rows])
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
        ax.set_title(f"Modules changed (>= {threshold:g} % of genes) in any comparison")
        cbar = fig.colorbar(dots, ax=ax, shrink=min(0.6, 4 / max(len(rows), 1) + 0.2), aspect=15)
        cbar.set_label("net % of genes\n(% up - % down)")
        cbar.outline.set_linewidth(0.4)
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
        if ux:
            handles.append(
                Line2D([], [], marker="x", ls="", color=NOT_TESTED, ms=4, label="not tested")
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
    return fig
