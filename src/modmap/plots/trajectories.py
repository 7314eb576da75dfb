"""Lab trajectories: one thin line per subject across visits, the median in bold, per group."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure, SubFigure

from modmap.errors import InputError
from modmap.plots._base import new_figure, style

__all__ = ["plot_trajectories"]


def plot_trajectories(
    values: pd.DataFrame,
    summary: pd.DataFrame,
    *,
    variable: str,
    visits: Sequence[str],
    log_scale: bool = False,
    fig: Figure | SubFigure | None = None,
) -> Figure | SubFigure:
    """One panel per group: each subject's values over the visits, the median in bold.

    Parameters
    ----------
    values
        ``results/labs/values.tsv``: ``subject_id``, ``visit``, ``variable``, ``value``,
        ``group``.
    summary
        ``results/labs/summary.tsv`` (``variable``, ``group``, ``visit``, ``median``).
    variable
        The variable to draw.
    visits
        Visits in x-axis order.
    log_scale
        Draw the y axis on a log10 scale (all values must be > 0: an :class:`InputError`
        otherwise).
    fig
        Figure or subfigure to draw into.

    Returns
    -------
    Figure or SubFigure
        One axes per group; subject lines carry ``gid`` = subject ID, the median line
        ``gid = "median"`` (linewidth 2.5).
    """
    v = values[values["variable"] == variable]
    s = summary[summary["variable"] == variable]
    if log_scale and (v["value"] <= 0).any():
        bad = v[v["value"] <= 0].iloc[0]
        raise InputError(
            f"labs: {variable} = {bad['value']:g} for subject {bad['subject_id']} at "
            f"{bad['visit']} cannot be drawn on a log axis. Remove {variable} from "
            "labs.log_scale."
        )
    groups = sorted(set(s["group"]))
    pos = {vis: i for i, vis in enumerate(visits)}
    with style():
        if fig is None:
            fig = new_figure(1.0 + 2.2 * max(len(groups), 1), 3.0)
        axes = fig.subplots(1, max(len(groups), 1), sharey=True, squeeze=False)[0]
        for ax, group in zip(axes, groups, strict=False):
            g = v[(v["group"] == group) & v["visit"].isin(pos)]
            for subject, rows in g.groupby("subject_id", sort=True):
                rows = rows.sort_values("visit", key=lambda c: c.map(pos))
                ax.plot(
                    rows["visit"].map(pos),
                    rows["value"],
                    color="#9e9e9e",
                    linewidth=0.7,
                    marker="o",
                    markersize=2,
                    gid=str(subject),
                )
            m = s[s["group"] == group].copy()
            m = m[m["visit"].isin(pos)].sort_values("visit", key=lambda c: c.map(pos))
            ax.plot(
                m["visit"].map(pos),
                m["median"].astype(float),
                color="black",
                linewidth=2.5,
                marker="s",
                markersize=4,
                gid="median",
                label="median",
            )
            ax.set_title(str(group))
            ax.set_xticks(np.arange(len(visits)), list(visits))
            if log_scale:
                ax.set_yscale("log")
        axes[0].set_ylabel(variable + (" (log scale)" if log_scale else ""))
        axes[0].legend(loc="best")
        fig.suptitle(f"{variable} over time (one line per subject, median in bold)")
    return fig
