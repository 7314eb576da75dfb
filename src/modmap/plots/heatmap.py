"""Module heatmaps: a module's genes x samples, normalised per gene to the reference group.

The trial's Figure 3B. Values are expression (log2) minus the reference-group median of the same
gene (default) or the z-score against the reference mean and SD; genes are ordered by
hierarchical clustering (average linkage on 1 - Pearson correlation, as R's
``hclust(as.dist(1 - cor(t(x))), "average")``) with the dendrogram drawn; samples are grouped
(reference first, then the cases of each comparison, chosen by
:func:`modmap.design.heatmap_columns`)
under a coloured annotation bar.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure, SubFigure

from modmap.design import REFERENCE_GROUP, heatmap_runs
from modmap.errors import InputError
from modmap.plots._base import (
    DIVERGING,
    GROUP_COLOURS,
    group_bar,
    group_legend,
    new_figure,
    style,
)
from modmap.plots.dendrogram import average_linkage, draw_dendrogram, leaf_order

#: Most columns a heatmap draws (config ``heatmaps.max_columns``); above it each group's
#: consecutive samples are shown as medians (:func:`aggregate_columns`).
MAX_COLUMNS = 200

Normalisation = Literal["median", "zscore"]


def normalise_to_reference(
    values: pd.DataFrame,
    reference: Sequence[bool] | np.ndarray,
    *,
    method: Normalisation = "median",
) -> pd.DataFrame:
    """Normalise each row (gene) to the reference columns.

    Parameters
    ----------
    values
        Genes x columns, log2 expression.
    reference
        Boolean mask over the columns marking the reference group.
    method
        ``"median"`` (default): value minus the reference median of the gene (log2 fold
        difference from the reference median; positive = higher than the reference).
        ``"zscore"``: (value - reference mean) / reference SD, SD with ``n - 1`` (R's ``sd``).
        Missing values are ignored in the reference statistics. A gene whose reference SD is 0
        or undefined gets NaN (drawn grey) under ``"zscore"``.

    Returns
    -------
    pandas.DataFrame
        Same shape and labels as ``values``.
    """
    mask = np.asarray(reference, dtype=bool)
    if mask.shape != (values.shape[1],) or not mask.any():
        raise ValueError("reference must be a boolean mask over the columns with at least one True")
    x = values.to_numpy(dtype=float)
    ref = x[:, mask]
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "median":
            centre = _nan_stat(np.nanmedian, ref)
            out = x - centre[:, None]
        elif method == "zscore":
            centre = _nan_stat(np.nanmean, ref)
            n = np.sum(np.isfinite(ref), axis=1)
            dev = np.where(np.isfinite(ref), ref - centre[:, None], 0.0)
            sd = np.sqrt(np.sum(dev**2, axis=1) / (n - 1.0))
            sd = np.where((n > 1) & (sd > 0), sd, np.nan)
            out = (x - centre[:, None]) / sd[:, None]
        else:
            raise ValueError(f"heatmaps.normalisation must be 'median' or 'zscore', got {method!r}")
    return pd.DataFrame(out, index=values.index, columns=values.columns)


def _nan_stat(func, ref: np.ndarray) -> np.ndarray:
    """Row statistic ignoring NaN; all-NaN rows give NaN without a warning."""
    result = np.full(ref.shape[0], np.nan)
    ok = np.isfinite(ref).any(axis=1)
    if ok.any():
        result[ok] = func(ref[ok], axis=1)
    return result


def top_changed_genes(
    features: Sequence[str],
    gene_tables: Mapping[str, pd.DataFrame],
    *,
    max_genes: int = 50,
    column: Literal["p_value", "q_value"],
) -> list[str]:
    """The ``max_genes`` most changed of ``features`` across the given comparisons.

    A gene's rank is its smallest ``column`` (``p_value`` or ``q_value``) over the comparisons'
    gene tables (:func:`modmap.stats.gene_tests`); untested genes (empty value) rank last;
    ties keep the order of ``features``. With ``max_genes`` or fewer features all are returned.

    Parameters
    ----------
    features
        Candidate feature IDs (a module's members), in display order.
    gene_tables
        Comparison name -> its gene table (``feature_id`` and ``column``). A feature missing
        from a table, or with an empty or non-numeric value, counts as untested there.
    max_genes
        Most features returned (default 50).
    column
        Gene-table column ranking the features, smaller = more changed (config
        ``statistics.threshold_on``).

    Returns
    -------
    list of str
        Selected feature IDs, in the order of ``features``.

    Raises
    ------
    InputError
        A gene table without ``column`` (checked only when there are more than ``max_genes``
        features).
    """
    features = list(features)
    if len(features) <= max_genes:
        return features
    best = pd.Series(np.inf, index=pd.Index(features, name="feature_id"))
    for name, table in gene_tables.items():
        if column not in table.columns:
            raise InputError(
                f"the gene table of comparison {name!r} has no column {column!r} (columns: "
                f"{', '.join(map(str, table.columns))})."
            )
        p = pd.to_numeric(table.set_index("feature_id")[column], errors="coerce")
        p = p.reindex(best.index).fillna(np.inf)
        best = np.minimum(best, p)
    rank = pd.DataFrame({"p": best.to_numpy(), "i": np.arange(len(features))}, index=best.index)
    chosen = set(rank.sort_values(["p", "i"], kind="stable").index[:max_genes])
    return [f for f in features if f in chosen]


def cluster_rows(values: pd.DataFrame) -> tuple[np.ndarray, np.ndarray | None]:
    """Order rows by average-linkage clustering on 1 - Pearson correlation.

    Correlations use pairwise-complete observations; a pair with no defined correlation (e.g. a
    constant gene) gets distance 1 (uncorrelated).

    Returns
    -------
    order : numpy.ndarray
        Row positions, top to bottom (scipy's leaf order).
    linkage : numpy.ndarray or None
        The linkage matrix in scipy's convention (:func:`~modmap.plots.dendrogram.average_linkage`;
        None with fewer than 2 rows).
    """
    n = values.shape[0]
    if n < 2:
        return np.arange(n), None
    r = values.T.corr(method="pearson", min_periods=3).to_numpy()
    d = np.clip(1.0 - np.nan_to_num(r, nan=0.0), 0.0, 2.0)
    np.fill_diagonal(d, 0.0)
    d = (d + d.T) / 2
    z = average_linkage(d)  # scipy's linkage(squareform(d), "average"), without importing scipy
    return leaf_order(z), z


@dataclass
class HeatmapData:
    """What :func:`plot_heatmap` draws: normalised values and how to annotate them."""

    values: pd.DataFrame
    """Genes x heatmap columns (positional column labels 0..n-1), normalised, clustered order."""
    columns: pd.DataFrame
    """``sample_id``, ``group``, ``label`` per column (see "
    ":func:`modmap.design.heatmap_columns`)."""
    row_labels: list[str]
    linkage: np.ndarray | None
    title: str
    scale_label: str


def aggregate_columns(
    values: pd.DataFrame, columns: pd.DataFrame, *, max_columns: int = MAX_COLUMNS
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Shrink a heatmap to at most ``max_columns`` columns by group medians of consecutive samples.

    With ``len(columns) <= max_columns`` nothing changes. Otherwise every group (reference, then
    each comparison) is cut, in its order, into runs of ``k`` consecutive samples
    (:func:`modmap.design.heatmap_runs`: the last run of a group may be shorter, ``k =
    ceil(n_columns / (max_columns - n_groups))``), and each run is drawn as one column holding
    each gene's median (NaN ignored) of the run's normalised values: at most ``max_columns``
    columns when there are fewer groups than that.

    Parameters
    ----------
    values
        Genes x columns (positional labels), already normalised to the reference.
    columns
        ``sample_id``, ``group``, ``label`` per column, grouped (groups contiguous).
    max_columns
        Most columns kept (config ``heatmaps.max_columns``).

    Returns
    -------
    values, columns, k
        The aggregated values (positional labels), their columns (``sample_id`` names the run:
        ``first..last (n)``) and ``k`` (1 when nothing was aggregated).
    """
    if len(columns) <= max_columns:
        return values, columns, 1
    runs, k = heatmap_runs(columns["group"].tolist(), max_columns=max_columns)
    arr = values.to_numpy(dtype=float)
    out, rows = [], []
    for run in runs:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN run -> NaN
            out.append(np.nanmedian(arr[:, run], axis=1))
        first, last = columns["sample_id"].iloc[run[0]], columns["sample_id"].iloc[run[-1]]
        rows.append(
            {
                "sample_id": f"{first}..{last} ({len(run)})",
                "group": columns["group"].iloc[run[0]],
                "label": columns["label"].iloc[run[0]],
            }
        )
    agg = pd.DataFrame(np.column_stack(out), index=values.index)
    return agg, pd.DataFrame(rows), k


def prepare_heatmap(
    expression: pd.DataFrame,
    columns: pd.DataFrame,
    members: pd.DataFrame,
    gene_tables: Mapping[str, pd.DataFrame],
    *,
    module: str,
    title: str = "",
    normalisation: Normalisation = "median",
    max_genes: int = 50,
    max_columns: int = MAX_COLUMNS,
    threshold_on: Literal["p_value", "q_value"],
) -> HeatmapData:
    """Select, normalise and cluster a module's genes for :func:`plot_heatmap`.

    Parameters
    ----------
    expression
        Features x samples, log2 (index ``feature_id``), holding at least the samples of
        ``columns``.
    columns
        Heatmap columns from :func:`modmap.design.heatmap_columns` (``group == "reference"`` marks
        the reference).
    members
        Rows of ``membership.tsv`` for the module: ``feature_id`` and optionally ``symbol``. Rows
        are labelled with the symbol, the feature ID when the symbol is empty or absent, and
        ``SYMBOL (feature_id)`` when two shown rows share a symbol.
    gene_tables
        Per-comparison gene tables of the shown comparisons, for choosing the top ``max_genes``.
    module, title
        Module ID and title, for the figure title.
    normalisation
        ``"median"`` (default) or ``"zscore"``; see :func:`normalise_to_reference`.
    max_genes
        Most genes shown (default 50); see :func:`top_changed_genes`.
    max_columns
        Most columns drawn; with more samples, medians of consecutive samples of each group
        (:func:`aggregate_columns`, after normalising and clustering on every sample; the title
        says so).
    threshold_on
        Gene-table column ranking the genes (config ``statistics.threshold_on``).
    """
    feats = list(dict.fromkeys(members["feature_id"].astype(str)))
    if not feats:
        raise InputError(f"module {module} has no member in membership.tsv; it cannot be drawn.")
    absent = [f for f in feats if f not in expression.index]
    if absent:
        raise InputError(
            f"module {module}: {len(absent)} member feature(s) missing from the expression matrix "
            f"(e.g. {', '.join(absent[:3])}); re-run the bridge rule."
        )
    chosen = top_changed_genes(feats, gene_tables, max_genes=max_genes, column=threshold_on)
    raw = expression.loc[chosen, columns["sample_id"].tolist()]
    raw.columns = range(raw.shape[1])
    norm = normalise_to_reference(
        raw, (columns["group"] == REFERENCE_GROUP).to_numpy(), method=normalisation
    )
    order, z = cluster_rows(norm)
    norm = norm.iloc[order]
    symbols = (
        members.drop_duplicates("feature_id").set_index("feature_id")["symbol"]
        if "symbol" in members.columns
        else pd.Series(dtype=str)
    )
    sym = {
        f: str(symbols[f]) if f in symbols.index and pd.notna(symbols[f]) else ""
        for f in norm.index
    }
    shared = {x for x, n in Counter(sym.values()).items() if x and n > 1}
    row_labels = [f"{sym[f]} ({f})" if sym[f] in shared else (sym[f] or f) for f in norm.index]
    head = f"{module} {title}".strip()
    if len(chosen) < len(feats):
        what = "p-value" if threshold_on == "p_value" else "q-value"
        head += (
            f": top {len(chosen)} of {len(feats)} genes\n(smallest {what} in any shown comparison)"
        )
    else:
        head += f": {len(chosen)} genes"
    n_samples = len(columns)
    norm, shown, k = aggregate_columns(
        norm, columns.reset_index(drop=True), max_columns=max_columns
    )
    if k > 1:
        head += (
            f"\n{n_samples} samples as {len(shown)} columns: each the median of up to {k} "
            "consecutive samples of its group"
        )
    ref_label = columns.loc[columns["group"] == REFERENCE_GROUP, "label"].iloc[0]
    if normalisation == "median":
        scale = f"log2 difference from\n{ref_label.lower()} median"
    else:
        scale = f"z-score vs\n{ref_label.lower()} mean/SD"
    return HeatmapData(norm, shown, row_labels, z, head, scale)


def plot_heatmap(data: HeatmapData, *, fig: Figure | SubFigure | None = None) -> Figure:
    """Draw a module heatmap from :func:`prepare_heatmap`.

    The image (``gid="heatmap"``) holds ``data.values`` as plotted (rows top to bottom in
    clustered order, columns in ``data.columns`` order). The colour scale is symmetric around
    0: ``±`` the 99th percentile of the absolute values (at least 0.5), values beyond saturate
    (the colour bar shows arrows). Missing values are light grey.

    ``fig`` is a Figure or a :class:`~matplotlib.figure.SubFigure` to draw into (default: a new
    figure sized from the matrix); the heatmap is several axes (annotation bar, dendrogram,
    image, colour bar), so it takes a figure rather than one ``ax``. Returns the root figure.

    Parameters
    ----------
    data
        Normalised, clustered values and their annotation (:class:`HeatmapData`, from
        :func:`prepare_heatmap`): ``values`` on the scale named by ``scale_label`` (log2
        difference from the reference median, or z-score), positive = above the reference
        (red side of the diverging map); ``columns`` gives the sample labels (shown when there
        are at most 80 columns) and the groups of the annotation bar and legend (colours from
        ``GROUP_COLOURS`` in order of appearance); ``linkage`` (may be None) draws the
        dendrogram.
    fig
        Figure or SubFigure to draw into; ``None`` (default) makes a new figure whose size grows
        with the number of genes and columns.

    Returns
    -------
    matplotlib.figure.Figure
        The root figure (the parent Figure when ``fig`` is a SubFigure).
    """
    values = data.values.to_numpy(dtype=float)
    n_genes, n_cols = values.shape
    finite = np.abs(values[np.isfinite(values)])
    limit = max(0.5, float(np.percentile(finite, 99))) if finite.size else 1.0
    groups = list(dict.fromkeys(data.columns["group"]))
    colour_of = {g: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(groups)}
    label_of = dict(zip(data.columns["group"], data.columns["label"], strict=False))
    codes = data.columns["group"].map({g: i for i, g in enumerate(groups)}).to_numpy()
    row_h = 0.13 if n_genes <= 60 else max(0.05, 8.0 / n_genes)
    col_w = min(0.12, 6.0 / max(n_cols, 1))  # the image is at most 6 in wide
    with style():
        if fig is None:
            fig = new_figure(2.6 + n_cols * col_w + 1.0, 1.6 + n_genes * row_h)
        gs = fig.add_gridspec(
            2,
            2,
            width_ratios=[0.9, n_cols * col_w],
            height_ratios=[0.15, n_genes * row_h],
            wspace=0.0,
            hspace=0.0,
        )
        ax_bar = fig.add_subplot(gs[0, 1])
        ax = fig.add_subplot(gs[1, 1], sharex=ax_bar)
        ax_d = fig.add_subplot(gs[1, 0])
        cmap = DIVERGING.with_extremes(bad="#e0e0e0")
        image = ax.imshow(
            np.ma.masked_invalid(values),
            aspect="auto",
            cmap=cmap,
            vmin=-limit,
            vmax=limit,
            interpolation="nearest",
            gid="heatmap",
        )
        group_bar(ax_bar, codes, [colour_of[g] for g in groups])
        ax.set_yticks(range(n_genes), data.row_labels)
        ax.yaxis.tick_right()
        ax.tick_params(axis="y", length=0, labelsize=min(7.0, max(3.0, row_h * 55)))
        if n_cols <= 80:
            ax.set_xticks(range(n_cols), data.columns["sample_id"], rotation=90)
            ax.tick_params(axis="x", length=0, labelsize=min(6.0, max(3.0, col_w * 50)))
        else:
            ax.set_xticks([])
        ax.set_xlabel("samples")
        for spine in ax.spines.values():
            spine.set_visible(False)
        # group separators
        bounds = np.flatnonzero(np.diff(codes) != 0) + 0.5
        for b in bounds:
            ax.axvline(b, color="white", linewidth=1.0)
        if data.linkage is not None:
            draw_dendrogram(ax_d, data.linkage, colour="#333333")
            ax_d.set_ylim(10 * n_genes, 0)
        ax_d.axis("off")
        cbar = fig.colorbar(
            image, ax=[ax, ax_bar], location="right", shrink=0.5, aspect=15, extend="both", pad=0.02
        )
        cbar.set_label(data.scale_label)
        cbar.outline.set_linewidth(0.4)
        group_legend(fig, colour_of, label_of)
        fig.suptitle(data.title, fontweight="bold")
    return fig.figure  # the root figure (a SubFigure's .figure is its parent Figure)


def plot_module_heatmap(
    expression: pd.DataFrame,
    columns: pd.DataFrame,
    membership: pd.DataFrame,
    annotation: pd.DataFrame,
    gene_tables: Mapping[str, pd.DataFrame],
    *,
    module: str,
    normalisation: Normalisation = "median",
    max_genes: int = 50,
    max_columns: int = MAX_COLUMNS,
    threshold_on: Literal["p_value", "q_value"],
    fig: Figure | SubFigure | None = None,
) -> Figure:
    """Heatmap of one module: :func:`prepare_heatmap` on its members, then :func:`plot_heatmap`.

    Parameters
    ----------
    membership, annotation
        The bridge's module membership and annotation tables (all modules); the module's
        members and title are taken from them.
    module
        Module ID (config ``heatmaps.modules``).
    expression, columns, gene_tables, normalisation, max_genes, max_columns, threshold_on
        See :func:`prepare_heatmap`.
    """
    members = membership[membership["module_id"].astype(str) == module]
    if members.empty:
        ann = annotation[annotation["module_id"].astype(str) == module]
        reason = (
            "it is not in the module file"
            if ann.empty
            else "it was dropped by the bridge (see the dropped-modules table)"
        )
        raise InputError(
            f"heatmaps.modules names {module}, but {reason}. Remove it from heatmaps.modules."
        )
    titles = annotation.set_index(annotation["module_id"].astype(str))["title"]
    title = str(titles.get(module, "")) if module in titles.index else ""
    data = prepare_heatmap(
        expression,
        columns,
        members,
        gene_tables,
        module=module,
        title=title,
        normalisation=normalisation,
        max_genes=max_genes,
        max_columns=max_columns,
        threshold_on=threshold_on,
    )
    return plot_heatmap(data, fig=fig)
