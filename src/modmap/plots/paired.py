"""Paired dot-and-line figure of one analyte: each subject at the two visits, per group.

The trial's Figure 3C/3D: IP10, TRAIL (serum) and SOCS3 (expression) at D1 and M6, one line per
patient, the paired test's p-value in each panel.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure, SubFigure

from modmap.plots._base import new_figure, style

__all__ = ["format_p", "plot_paired"]

TEST_NAMES = {"paired_t": "paired t-test", "signed_rank": "Wilcoxon signed-rank"}


def format_p(p: float) -> str:
    """``p = 0.014`` (3 significant digits), ``p < 0.0001`` below that, ``not tested`` for NaN."""
    if not np.isfinite(p):
        return "not tested"
    if p < 1e-4:
        return "p < 0.0001"
    return f"p = {p:.3g}"


def plot_paired(
    pairs: pd.DataFrame,
    tests: pd.DataFrame,
    *,
    analyte: str,
    baseline: str,
    visit: str,
    groups: Sequence[str] | None = None,
    unit: str = "",
    fig: Figure | SubFigure | None = None,
) -> Figure | SubFigure:
    """One panel per group: a line per subject from ``baseline`` to ``visit``, p in the panel.

    Parameters
    ----------
    pairs
        ``results/analytes/pairs.tsv`` (``analyte``, ``source``, ``group``, ``subject_id``,
        ``baseline``, ``visit``).
    tests
        ``results/analytes/tests.tsv`` (``analyte``, ``group``, ``p_value``, ``test``,
        ``n_pairs``).
    analyte
        The analyte to draw.
    baseline, visit
        Visit labels for the x axis.
    groups
        Panel order (default: the groups of the test table, in its order).
    unit
        Y-axis label; default ``"log2 expression"`` for genes, ``"value"`` otherwise.
    fig
        Figure or subfigure to draw into.

    Returns
    -------
    Figure or SubFigure
        One axes per group, titled with the group; each subject is a
        :class:`~matplotlib.lines.Line2D` with ``gid`` = subject ID and the two values as data;
        the p-value is a text artist of the axes.
    """
    p = pairs[pairs["analyte"] == analyte]
    t = tests[tests["analyte"] == analyte]
    groups = list(groups) if groups is not None else list(t["group"])
    if not unit:
        source = str(p["source"].iloc[0]) if len(p) else ""
        unit = "log2 expression" if source.startswith("expression") else "value"
    with style():
        if fig is None:
            fig = new_figure(1.2 + 1.7 * max(len(groups), 1), 3.0)
        axes = np.atleast_1d(fig.subplots(1, max(len(groups), 1), sharey=True, squeeze=False)[0])
        for ax, group in zip(axes, groups, strict=False):
            g = p[p["group"] == group]
            for row in g.itertuples(index=False):
                ax.plot(
                    [0, 1],
                    [row.baseline, row.visit],
                    color="#636363",
                    marker="o",
                    markersize=3.5,
                    linewidth=0.8,
                    gid=str(row.subject_id),
                )
            r = t[t["group"] == group]
            if len(r):
                r = r.iloc[0]
                text = f"{TEST_NAMES.get(r['test'], r['test'])}\n{format_p(r['p_value'])}"
                text += f"\nn = {int(r['n_pairs'])} pairs"
                ax.text(0.5, 0.98, text, ha="center", va="top", transform=ax.transAxes, fontsize=7)
            ax.set_title(str(group))
            ax.set_xticks([0, 1], [baseline, visit])
            ax.set_xlim(-0.4, 1.4)
            ax.margins(y=0.25)
        axes[0].set_ylabel(unit)
        fig.suptitle(analyte)
    return fig
