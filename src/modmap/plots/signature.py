"""Normalisation of the core signature: module x followed-comparison status grid.

One row per core module, one column per followed comparison (e.g. responders and non-responders
at M6); a cell's colour is the module's status there (green normalised, red/blue still altered
in the core direction, purple reversed, grey hatched not tested) and its text the signed spot
value (% of genes). Column headers carry the counts ("11/13 normalised").
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure, SubFigure
from matplotlib.patches import Patch, Rectangle

from modmap.plots._base import BLUE, NOT_TESTED, RED, new_figure, style, text_width

__all__ = ["STATUS_COLOURS", "plot_signature_grid", "status_colour"]

#: Fill of each status (still_altered takes the core direction's colour: red up, blue down).
STATUS_COLOURS = {"normalised": "#a6d96a", "reversed": "#762a83", "not_tested": NOT_TESTED}


def status_colour(status: str, direction: str) -> str:
    """Cell colour of ``status`` for a core module changed ``direction`` (``up``/``down``)."""
    if status == "still_altered":
        return RED if direction == "up" else BLUE
    return STATUS_COLOURS[status]


def plot_signature_grid(
    status: pd.DataFrame,
    counts: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    fig: Figure | SubFigure | None = None,
) -> Figure | SubFigure:
    """Draw the status grid of the core signature in the followed comparisons.

    Parameters
    ----------
    status
        ``results/modules/signature.tsv`` (:func:`modmap.longitudinal.signature_status`).
    counts
        ``results/modules/signature_counts.tsv``: one row per followed comparison, with
        ``n_normalised`` and ``n_core``.
    labels
        Comparison name -> label for the column headers (default: the names).
    fig
        Figure or subfigure to draw into (default: a new one sized to the grid).

    Returns
    -------
    Figure or SubFigure
        One axes; every cell is a :class:`~matplotlib.patches.Rectangle` whose ``gid`` is
        ``"<module_id>|<comparison>|<status>"``.
    """
    labels = dict(labels or {})
    comps = list(counts["comparison"])
    modules = status.drop_duplicates("module_id")[["module_id", "title", "direction"]]
    row_labels = [
        f"{m} {t}".strip() + (" (up)" if d == "up" else " (down)")
        for m, t, d in modules.itertuples(index=False)
    ]
    col_labels = [
        f"{labels.get(c, c)}\n{int(r.n_normalised)}/{int(r.n_core)} normalised"
        for c, r in zip(comps, counts.itertuples(index=False), strict=True)
    ]
    with style():
        if fig is None:
            left = text_width(row_labels, size=7) + 0.3
            column = max(1.1, text_width(col_labels, size=7) + 0.25)
            width = left + column * max(len(comps), 1) + 0.4
            height = 1.6 + 0.25 * max(len(modules), 1)
            fig = new_figure(max(width, 4.0), height)
        ax = fig.subplots()
        lookup = status.set_index(["module_id", "comparison"])
        for i, (module, _title, direction) in enumerate(modules.itertuples(index=False)):
            for j, comp in enumerate(comps):
                row = lookup.loc[(module, comp)]
                st = str(row["status"])
                ax.add_patch(
                    Rectangle(
                        (j, i),
                        1,
                        1,
                        facecolor=status_colour(st, direction),
                        edgecolor="white",
                        hatch="///" if st == "not_tested" else None,
                        gid=f"{module}|{comp}|{st}",
                    )
                )
                if st != "not_tested":
                    light = st == "normalised"
                    ax.text(
                        j + 0.5,
                        i + 0.5,
                        f"{row['value']:+.0f}",
                        ha="center",
                        va="center",
                        fontsize=6,
                        color="black" if light else "white",
                    )
        ax.set_xlim(0, max(len(comps), 1))
        ax.set_ylim(max(len(modules), 1), 0)
        ax.set_xticks([j + 0.5 for j in range(len(comps))], col_labels)
        ax.xaxis.tick_top()
        ax.set_yticks([i + 0.5 for i in range(len(modules))], row_labels)
        ax.tick_params(length=0)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        if modules.empty:
            ax.text(
                0.5,
                0.5,
                "no core signature module",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
        ax.legend(
            handles=[
                Patch(facecolor=STATUS_COLOURS["normalised"], label="normalised"),
                Patch(facecolor=RED, label="still altered (up)"),
                Patch(facecolor=BLUE, label="still altered (down)"),
                Patch(facecolor=STATUS_COLOURS["reversed"], label="reversed"),
                Patch(facecolor=NOT_TESTED, hatch="///", label="not tested"),
            ],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=3,
        )
        ax.set_xlabel("cell text: signed % of genes changed (module map value)", labelpad=30)
    return fig
