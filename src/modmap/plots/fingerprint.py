"""Per-sample figures: the module fingerprint grid and the distance to health over visits.

:func:`plot_fingerprints` draws ``results/modules/samples.tsv`` as BloodGen3Module's
``fingerprintplot`` does: modules x samples, colour = net % of the module's genes (% up - % down
against the reference group) on a fixed -100..100 blue-white-red scale, cells with
``|net| < cutoff`` (default 15 %) left white. Samples are grouped and ordered by sample-sheet
columns (``group_by``, then ``order_by``) instead of being clustered, so a cohort reads visit by
visit; modules follow the module-map layout (BloodGen3 aggregates, first-generation rounds).
Large repertoires (more than ``max_titles`` modules) are labelled by map row (aggregate) with its
most frequent module functions, as the module map's aggregate key, instead of module by module.

:func:`plot_distance` draws ``results/samples/distance.tsv``: one panel per ``group_by``
combination, the visits (first ``order_by`` column) along x, one line per subject when a subject
column is given (coloured by ``colour_by``, e.g. responder), and the reference group's range as a
grey band in every panel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from modmap.design import select_samples
from modmap.errors import InputError
from modmap.plots._base import (
    DIVERGING,
    GROUP_COLOURS,
    group_bar,
    group_legend,
    new_figure,
    style,
    text_width,
)
from modmap.plots.layout import grid_layout
from modmap.plots.module_map import CHANGED_PCT, aggregate_functions

__all__ = [
    "distance_figure",
    "fingerprint_columns",
    "fingerprint_figure",
    "plot_distance",
    "plot_fingerprints",
]

#: Colours of ``colour_by`` values, in order of first appearance (Okabe-Ito).
VALUE_COLOURS = ("#009E73", "#D55E00", "#0072B2", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
MISSING_COLOUR = "#9e9e9e"


def _check_columns(sheet: pd.DataFrame, columns: Sequence[str], *, key: str) -> None:
    missing = [c for c in columns if c not in sheet.columns]
    if missing:
        raise InputError(
            f"fingerprints.{key} names column(s) {', '.join(map(repr, missing))} that the sample "
            f"sheet does not have (columns: {', '.join(map(str, sheet.columns))}). Use sample "
            "sheet column names."
        )


def _label(values: Sequence[str]) -> str:
    parts = [str(v) for v in values if str(v) != ""]
    return " ".join(parts) if parts else "(blank)"


def fingerprint_columns(
    sheet: pd.DataFrame,
    *,
    reference: Sequence[str] = (),
    group_by: Sequence[str] = (),
    order_by: Sequence[str] = (),
    show_reference: bool = False,
) -> pd.DataFrame:
    """Samples of the fingerprint grid, grouped and ordered by sample-sheet columns.

    Parameters
    ----------
    sheet
        ``results/validated/samples.tsv`` (``sample_id`` and free columns, text).
    reference
        Reference sample IDs (config ``fingerprints.reference``); left out unless
        ``show_reference``, then shown as the first group, labelled "reference".
    group_by
        Columns whose value combination forms a group (e.g. ``[group, arm]``); groups appear in
        order of first appearance in the sheet.
    order_by
        Columns ordering the samples within a group (e.g. ``[timepoint]``), each by order of
        first appearance of its values in the sheet; ties keep sheet order.
    show_reference
        Include the reference samples (default False, as ``fingerprintplot``).

    Returns
    -------
    pandas.DataFrame
        ``sample_id``, ``group`` (label of the group: its values joined by spaces) in display
        order.
    """
    _check_columns(sheet, [*group_by, *order_by], key="group_by/order_by")
    s = sheet.astype({"sample_id": str}).reset_index(drop=True)
    is_ref = s["sample_id"].isin(set(map(str, reference))).to_numpy()
    group = (
        s[list(group_by)].astype(str).apply(lambda r: _label(r.tolist()), axis=1)
        if group_by
        else pd.Series("samples", index=s.index)
    )
    group = group.where(~is_ref, "reference")
    keys = pd.DataFrame({"g": pd.Categorical(group, categories=pd.unique(group))})
    for i, col in enumerate(order_by):
        values = s[col].astype(str)
        keys[f"o{i}"] = pd.Categorical(values, categories=pd.unique(values)).codes
    keys["sheet"] = np.arange(len(s))
    keys["ref"] = ~is_ref  # reference first
    order = keys.sort_values(["ref", "g", *keys.columns[1:-2], "sheet"], kind="stable").index
    out = pd.DataFrame({"sample_id": s["sample_id"], "group": group.astype(str)}).loc[order]
    if not show_reference:
        out = out[~is_ref[order]]
    return out.reset_index(drop=True)


def plot_fingerprints(
    fingerprints: pd.DataFrame,
    columns: pd.DataFrame,
    annotation: pd.DataFrame,
    *,
    cutoff: float = CHANGED_PCT,
    max_titles: int = 60,
    max_cols: int = 40,
    fig: Figure | SubFigure | None = None,
) -> Figure:
    """Draw the per-sample module fingerprint grid (modules x samples).

    Parameters
    ----------
    fingerprints
        ``results/modules/samples.tsv`` (``sample_id``, ``module_id``, ``net``: % up - % down).
    columns
        Samples to draw, in order, with their ``group`` (:func:`fingerprint_columns`).
    annotation
        ``results/modules/annotation.tsv``: layout order (:func:`~modmap.plots.layout.grid_layout`)
        and titles; only modules present in ``fingerprints`` (kept by the bridge) are drawn.
    cutoff
        Cells with ``|net| < cutoff`` percent are drawn white (0), as ``fingerprintplot``'s
        ``cutoff`` (default 15).
    max_titles
        With more modules than this, rows are labelled by map row (aggregate) with its module
        functions (the module map's aggregate key) rather than module by module (default 60).
    max_cols
        Passed to :func:`~modmap.plots.layout.grid_layout` (row grouping of repertoires without
        positions).
    fig
        Figure or SubFigure to draw into (default: a new figure sized from the matrix).

    Returns
    -------
    matplotlib.figure.Figure
        The image has ``gid="fingerprint"``; its array is modules (layout order) x samples
        (``columns`` order) of ``net`` after the cut-off (masked where missing). The group bar
        has ``gid="groups"``.
    """
    if not 0 <= cutoff <= 100:
        raise InputError(f"fingerprints.cutoff is {cutoff}; use a percentage between 0 and 100")
    need = {"sample_id", "module_id", "net"} - set(fingerprints.columns)
    if need:
        raise InputError(f"samples.tsv: missing column(s) {sorted(need)}; re-run the workflow.")
    if columns.empty:
        raise InputError(
            "fingerprints: no sample to draw (every sample is in the reference group); set "
            "fingerprints.show_reference: true or check fingerprints.reference."
        )
    grid = grid_layout(annotation, max_cols=max_cols)
    present = set(fingerprints["module_id"].astype(str))
    grid = grid[grid.index.isin(present)]
    wide = fingerprints.astype({"sample_id": str, "module_id": str}).pivot(
        index="module_id", columns="sample_id", values="net"
    )
    absent = [s for s in columns["sample_id"] if s not in wide.columns]
    if absent:
        raise InputError(
            f"samples.tsv has no fingerprint for {len(absent)} sample(s) (e.g. "
            f"{', '.join(absent[:3])}); re-run the sample_fingerprints rule."
        )
    values = wide.reindex(index=grid.index, columns=list(columns["sample_id"])).to_numpy(float)
    values = np.where(np.abs(values) < cutoff, 0.0, values)
    n_mod, n_smp = values.shape
    titles = annotation.set_index(annotation["module_id"].astype(str))["title"].fillna("")
    aggregated = n_mod > max_titles
    groups = list(dict.fromkeys(columns["group"]))
    colour_of = {g: GROUP_COLOURS[(i + 1) % len(GROUP_COLOURS)] for i, g in enumerate(groups)}
    if "reference" in colour_of:
        colour_of["reference"] = GROUP_COLOURS[0]
    codes = columns["group"].map({g: i for i, g in enumerate(groups)}).to_numpy()

    if aggregated:
        functions = aggregate_functions(annotation, grid)
        blocks = grid.reset_index().groupby("row_label", sort=False)["module_id"].agg(list)
        starts = np.cumsum([0, *[len(b) for b in blocks]])[:-1]
        row_size = 6.0
        row_h = max(0.012, min(0.1, 9.0 / max(n_mod, 1)))
        # One label per aggregate at its middle; labels closer than a line of text to the
        # previous one are left out (small aggregates stay delimited by the separator lines).
        row_ticks, row_labels, last = [], [], -np.inf
        for start, (lab, members) in zip(starts, blocks.items(), strict=True):
            mid = start + (len(members) - 1) / 2
            if (mid - last) * row_h >= 1.3 * row_size / 72:
                row_ticks.append(mid)
                row_labels.append(f"{lab} {functions.get(lab, '')}".strip())
                last = mid
    else:
        starts = np.array([], dtype=int)
        row_ticks = list(range(n_mod))
        row_labels = [f"{m} {titles.get(m, '')}".strip() for m in grid.index]
        row_size = 7.0
        row_h = 0.16
    col_w = min(0.16, 12.0 / max(n_smp, 1))  # at most ~12 in of samples, whatever their number
    label_w = text_width(row_labels or ["M1.1"], size=row_size)

    with style():
        if fig is None:
            fig = new_figure(label_w + n_smp * col_w + 2.2, 1.9 + n_mod * row_h)
        gs = fig.add_gridspec(2, 1, height_ratios=[0.15, max(n_mod * row_h, 0.5)], hspace=0.02)
        ax_bar = fig.add_subplot(gs[0])
        ax = fig.add_subplot(gs[1], sharex=ax_bar)
        image = ax.imshow(
            np.ma.masked_invalid(values),
            aspect="auto",
            cmap=DIVERGING.with_extremes(bad="#e0e0e0"),
            vmin=-100,
            vmax=100,
            interpolation="nearest",
            gid="fingerprint",
        )
        group_bar(ax_bar, codes, [colour_of[g] for g in groups])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_yticks(row_ticks, row_labels)
        ax.tick_params(axis="y", length=0, labelsize=row_size)
        if n_smp <= 80:
            ax.set_xticks(range(n_smp), columns["sample_id"], rotation=90)
            ax.tick_params(axis="x", length=0, labelsize=min(6.0, max(3.0, col_w * 45)))
        else:
            ax.set_xticks([])
        ax.set_xlabel(f"samples ({n_smp})")
        for b in np.flatnonzero(np.diff(codes) != 0) + 0.5:
            ax.axvline(b, color="black", linewidth=0.6)
        for s in starts[1:]:
            ax.axhline(s - 0.5, color="#808080", linewidth=0.4)
        cbar = fig.colorbar(image, ax=[ax, ax_bar], location="right", shrink=0.5, aspect=15)
        cbar.set_label(f"net % of module genes\n(% up - % down; |net| < {cutoff:g} % white)")
        cbar.outline.set_linewidth(0.4)
        group_legend(fig, colour_of, {g: g for g in groups})
        rows_by = ", grouped by aggregate" if aggregated else ""
        title = f"Per-sample module fingerprints ({n_mod} modules{rows_by})"
        fig.suptitle(title, fontweight="bold")
    return fig.figure


def plot_distance(
    distance: pd.DataFrame,
    sheet: pd.DataFrame,
    *,
    reference: Sequence[str],
    group_by: Sequence[str] = (),
    order_by: Sequence[str] = (),
    subject: str | None = None,
    colour_by: str | None = None,
    sd_threshold: float = 2.0,
    fig: Figure | SubFigure | None = None,
) -> Figure:
    """Distance to health by group and visit, one line per subject.

    Parameters
    ----------
    distance
        ``results/samples/distance.tsv`` (``sample_id``, ``distance``).
    sheet
        ``results/validated/samples.tsv``.
    reference
        Reference sample IDs: their range (min to max) is a grey band in every panel (``gid``
        ``"reference"``), their median a dashed line.
    group_by
        Columns forming the panels (e.g. ``[arm]``), in order of first appearance.
    order_by
        Its first column gives the x axis (e.g. ``timepoint``: D1, M1, M6 in order of first
        appearance in the sheet); none = one position.
    subject
        Column naming the subject (e.g. ``subject_id``): each subject's samples are joined by a
        line (``gid="subject|{panel}|{subject}"``, points in x order). None: points only.
    colour_by
        Column colouring the lines and points (e.g. ``responder``); empty values are grey
        ("not assessed").
    sd_threshold
        The threshold the distance was computed with (for the axis label only).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel (title = the group), samples as a scatter with
        ``gid="points|{panel}"`` (offsets = (x position, distance)).
    """
    named = [*group_by, *order_by[:1], *(c for c in (subject, colour_by) if c)]
    _check_columns(sheet, named, key="group_by/order_by/subject/colour_by")
    s = sheet.astype(str).merge(
        distance.astype({"sample_id": str})[["sample_id", "distance"]], on="sample_id"
    )
    ref = s["sample_id"].isin(set(map(str, reference)))
    cases = s[~ref].reset_index(drop=True)
    ref_d = s.loc[ref, "distance"].to_numpy(float)
    if cases.empty:
        raise InputError("fingerprints: every sample is in the reference group; nothing to plot.")
    panel = (
        cases[list(group_by)].apply(lambda r: _label(r.tolist()), axis=1)
        if group_by
        else pd.Series("all samples", index=cases.index)
    )
    x_col = order_by[0] if order_by else None
    x_values = cases[x_col] if x_col else pd.Series("", index=cases.index)
    x_levels = list(pd.unique(x_values))
    x_pos = x_values.map({v: i for i, v in enumerate(x_levels)}).to_numpy()
    colour_values = cases[colour_by] if colour_by else pd.Series("", index=cases.index)
    levels = [v for v in pd.unique(colour_values) if v != ""]
    colour_of = {v: VALUE_COLOURS[i % len(VALUE_COLOURS)] for i, v in enumerate(levels)}
    colour_of[""] = MISSING_COLOUR
    panels = list(pd.unique(panel))
    rng = np.random.default_rng(0)
    with style():
        if fig is None:
            fig = new_figure(0.6 + len(panels) * max(1.6, 0.55 * len(x_levels) + 0.6) + 1.3, 3.2)
        axes = np.atleast_1d(fig.subplots(1, len(panels), sharey=True, squeeze=False).ravel())
        for ax, name in zip(axes, panels, strict=True):
            here = (panel == name).to_numpy()
            if ref_d.size:
                ax.axhspan(ref_d.min(), ref_d.max(), color="#e6e6e6", lw=0, gid="reference")
                ax.axhline(np.median(ref_d), color="#8c8c8c", lw=0.8, ls="--")
            jitter = 0.0 if subject else 0.08
            xs = x_pos[here] + rng.uniform(-jitter, jitter, size=here.sum())
            ax.scatter(
                xs,
                cases.loc[here, "distance"].to_numpy(float),
                s=12,
                c=[colour_of[v] for v in colour_values[here]],
                edgecolors="white",
                linewidths=0.3,
                zorder=3,
                gid=f"points|{name}",
            )
            if subject:
                sub = cases[here].assign(x=x_pos[here]).sort_values("x", kind="stable")
                for subj, rows in sub.groupby(subject, sort=False):
                    if subj == "" or len(rows) < 2:
                        continue
                    ax.plot(
                        rows["x"].to_numpy(),
                        rows["distance"].to_numpy(float),
                        color=colour_of[rows[colour_by].iloc[0] if colour_by else ""],
                        lw=0.8,
                        alpha=0.8,
                        zorder=2,
                        gid=f"subject|{name}|{subj}",
                    )
            ax.set_xticks(range(len(x_levels)), [str(v) for v in x_levels])
            ax.set_xlim(-0.5, len(x_levels) - 0.5)
            ax.set_title(name, fontweight="bold")
            if x_col:
                ax.set_xlabel(x_col)
        axes[0].set_ylabel(
            f"distance to health\n(sum of |z| beyond {sd_threshold:g} SD of the reference)"
        )
        handles = [Patch(facecolor="#e6e6e6", label="reference range")]
        handles.append(Line2D([], [], color="#8c8c8c", ls="--", label="reference median"))
        if colour_by:
            handles += [
                Line2D([], [], color=colour_of[v], marker="o", ms=4, label=f"{colour_by} {v}")
                for v in levels
            ]
            if (colour_values == "").any():
                handles.append(
                    Line2D([], [], color=MISSING_COLOUR, marker="o", ms=4, label="not assessed")
                )
        fig.legend(handles=handles, loc="outside right center")
        fig.suptitle("Molecular distance to health", fontweight="bold")
    return fig.figure


def _reference_ids(sheet: pd.DataFrame, reference: Mapping[str, Any]) -> list[str]:
    mask = select_samples(
        sheet, reference, where="fingerprints.reference", sheet_path="results/validated/samples.tsv"
    )
    return sheet.loc[mask, "sample_id"].astype(str).tolist()


def fingerprint_figure(
    fingerprints: pd.DataFrame,
    sheet: pd.DataFrame,
    annotation: pd.DataFrame,
    *,
    reference: Mapping[str, Any],
    group_by: Sequence[str] = (),
    order_by: Sequence[str] = (),
    show_reference: bool = False,
    cutoff: float = CHANGED_PCT,
) -> Figure:
    """The fingerprint grid of the workflow (one call of rule ``sample_figures``).

    Selects the reference samples of ``sheet`` (``results/validated/samples.tsv``) with the
    ``reference`` selector, lays out the columns (:func:`fingerprint_columns`) and draws
    :func:`plot_fingerprints`.
    """
    columns = fingerprint_columns(
        sheet,
        reference=_reference_ids(sheet, reference),
        group_by=group_by,
        order_by=order_by,
        show_reference=show_reference,
    )
    return plot_fingerprints(fingerprints, columns, annotation, cutoff=cutoff)


def distance_figure(
    distance: pd.DataFrame,
    sheet: pd.DataFrame,
    *,
    reference: Mapping[str, Any],
    group_by: Sequence[str] = (),
    order_by: Sequence[str] = (),
    subject: str | None = None,
    colour_by: str | None = None,
    sd_threshold: float = 2.0,
) -> Figure:
    """The distance-to-health figure of the workflow (one call of rule ``sample_figures``).

    Selects the reference samples with the ``reference`` selector and draws
    :func:`plot_distance`.
    """
    return plot_distance(
        distance,
        sheet,
        reference=_reference_ids(sheet, reference),
        group_by=group_by,
        order_by=order_by,
        subject=subject,
        colour_by=colour_by,
        sd_threshold=sd_threshold,
    )
