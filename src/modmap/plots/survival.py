"""Kaplan-Meier curve of time from withdrawal to flare, with the median marked."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from modmap.plots._base import new_figure, style

__all__ = ["plot_kaplan_meier"]


def plot_kaplan_meier(
    curve: pd.DataFrame,
    *,
    median: float,
    time_label: str = "days after withdrawal",
    ax: Axes | None = None,
) -> Figure:
    """Step curve of the probability of no flare yet, censoring ticks, median dashed.

    Parameters
    ----------
    curve
        ``results/survival/km.tsv`` (``time``, ``n_event``, ``n_censored``, ``survival``).
    median
        Median time to flare (NaN = not reached: said in the title, no dashed line).
    time_label
        X-axis label.
    ax
        Axes to draw into (default: a new figure).

    Returns
    -------
    Figure
        The figure of ``ax``; the curve is a line with ``gid = "km"`` starting at (0, 1),
        censoring marks a line with ``gid = "censored"``, the median a line ``gid = "median"``.
    """
    with style():
        if ax is None:
            ax = new_figure(4.0, 3.0).subplots()
        t = np.concatenate([[0.0], curve["time"].to_numpy(float)])
        s = np.concatenate([[1.0], curve["survival"].to_numpy(float)])
        ax.step(t, s, where="post", color="black", linewidth=1.5, gid="km")
        cens = curve[curve["n_censored"] > 0]
        ax.plot(
            cens["time"],
            cens["survival"],
            linestyle="none",
            marker="|",
            markersize=8,
            color="black",
            gid="censored",
            label="censored",
        )
        if np.isfinite(median):
            ax.plot(
                [0, median, median],
                [0.5, 0.5, 0],
                linestyle="--",
                color="#b2182b",
                linewidth=1,
                gid="median",
                label=f"median {median:g}",
            )
            title = f"Time to flare: median {median:g} {time_label.split()[0]}"
        else:
            title = "Time to flare: median not reached"
        ax.set_ylim(0, 1.05)
        ax.set_xlim(left=0)
        ax.set_xlabel(time_label)
        ax.set_ylabel("probability without flare")
        ax.set_title(f"{title} (n = {int(curve['n_risk'].iloc[0]) if len(curve) else 0})")
        ax.legend(loc="upper right")
    return ax.figure
