"""Module scores: the share of a module's tested genes significantly up and down."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError

__all__ = ["module_scores", "SCORE_COLUMNS"]

log = logging.getLogger(__name__)

#: Columns of ``results/modules/scores.tsv``.
SCORE_COLUMNS = [
    "comparison",
    "module_id",
    "title",
    "n_genes",
    "n_up",
    "n_down",
    "pct_up",
    "pct_down",
    "pct_net",
]


def module_scores(
    gene_tables: Mapping[str, pd.DataFrame],
    membership: pd.DataFrame,
    annotation: pd.DataFrame | None = None,
    *,
    alpha: float,
    threshold_on: Literal["p_value", "q_value"],
) -> pd.DataFrame:
    """Percent of each module's tested genes significantly up and down, per comparison.

    Parameters
    ----------
    gene_tables
        Comparison name -> its ``results/genes/{comparison}.tsv`` table, in config order.
    membership
        ``module_id``, ``title``, ``feature_id`` (``results/modules/membership.tsv``); modules are
        reported in order of first appearance. A feature listed twice in a module counts once.
    annotation
        Optional ``results/modules/annotation.tsv`` (``module_id``, ``title``, ...): when given,
        module titles are taken from it (the module file's own titles).
    alpha
        Significance level (config ``statistics.alpha``): a gene counts as up when its
        ``threshold_on`` value
        is ``< alpha`` and its direction is ``up`` (down likewise).
    threshold_on
        ``p_value`` or ``q_value`` (config ``statistics.threshold_on``); the gene tables must
        have that column.

    Returns
    -------
    pandas.DataFrame
        ``comparison, module_id, title, n_genes, n_up, n_down, pct_up, pct_down, pct_net``;
        ``n_genes`` counts members with a test (``method`` not ``not_tested``); percentages are
        0-100 of ``n_genes`` and empty when a module has no tested member.
    """
    if not 0 < alpha < 1:
        raise InputError(f"statistics.alpha is {alpha}; it must lie between 0 and 1 (e.g. 0.05)")
    if threshold_on not in ("p_value", "q_value"):
        raise InputError(f"statistics.threshold_on is '{threshold_on}'; use p_value or q_value")
    missing = {"module_id", "title", "feature_id"} - set(membership.columns)
    if missing:
        raise InputError(
            f"module membership table: missing column(s) {sorted(missing)}; expected module_id, "
            "title, feature_id"
        )
    members = (
        membership[["module_id", "title", "feature_id"]]
        .astype(str)
        .drop_duplicates(["module_id", "feature_id"])
    )
    order = pd.unique(members["module_id"])
    titles = members.drop_duplicates("module_id").set_index("module_id")["title"]
    if annotation is not None and {"module_id", "title"} <= set(annotation.columns):
        named = annotation.astype({"module_id": str}).drop_duplicates("module_id")
        titles = named.set_index("module_id")["title"].reindex(order).fillna(titles)
    frames = []
    for comparison, genes in gene_tables.items():
        if threshold_on not in genes.columns:
            raise InputError(
                f"the gene table of comparison {comparison!r} has no {threshold_on!r} column "
                f"(columns: {', '.join(map(str, genes.columns))})"
            )
        g = genes.drop_duplicates("feature_id").set_index(genes["feature_id"].astype(str))
        tested = (g["method"] != "not_tested").to_numpy()
        significant = (g[threshold_on].to_numpy(dtype=np.float64) < alpha) & tested
        flags = pd.DataFrame(
            {
                "tested": tested,
                "up": significant & (g["direction"] == "up").to_numpy(),
                "down": significant & (g["direction"] == "down").to_numpy(),
            },
            index=g.index,
        )
        absent = ~members["feature_id"].isin(flags.index)
        if absent.any():
            log.warning(
                "%s: %d module members are not in the gene table (e.g. %s); they are ignored",
                comparison,
                absent.sum(),
                ", ".join(members.loc[absent, "feature_id"].head(5)),
            )
        joined = members.loc[~absent, ["module_id"]].join(
            flags, on=members.loc[~absent, "feature_id"]
        )
        counts = (
            joined.groupby("module_id", sort=False)[["tested", "up", "down"]]
            .sum()
            .reindex(order, fill_value=0)
            .astype(np.int64)
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            n = counts["tested"].to_numpy()
            pct_up = np.where(n > 0, 100.0 * counts["up"].to_numpy() / n, np.nan)
            pct_down = np.where(n > 0, 100.0 * counts["down"].to_numpy() / n, np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "comparison": comparison,
                    "module_id": order,
                    "title": titles.reindex(order).to_numpy(),
                    "n_genes": n,
                    "n_up": counts["up"].to_numpy(),
                    "n_down": counts["down"].to_numpy(),
                    "pct_up": pct_up,
                    "pct_down": pct_down,
                    "pct_net": pct_up - pct_down,
                }
            )
        )
        empty = order[n == 0]
        if empty.size:
            log.warning(
                "%s: %d modules have no tested gene (e.g. %s)",
                comparison,
                empty.size,
                ", ".join(empty[:5]),
            )
    if not frames:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[SCORE_COLUMNS]
