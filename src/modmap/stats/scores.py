"""Module scores: the share of a module's genes (tested, or present) significantly up and down."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError
from modmap.stats.calls import gene_calls
from modmap.stats.members import module_members

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
    "n_present",
    "percent_of",
    "untestable",
]


def module_scores(
    gene_tables: Mapping[str, pd.DataFrame],
    membership: pd.DataFrame,
    annotation: pd.DataFrame | None = None,
    *,
    alpha: float,
    threshold_on: Literal["p_value", "q_value"],
    fold_change_cutoff: float = 0.0,
    fold_change_on: Literal["log2_fc", "fold_change"] = "log2_fc",
    direction_from: Literal["statistic", "fold_change"] = "statistic",
    percent_of: Literal["tested", "present"] = "tested",
    untestable: Literal["exclude", "p_one"] = "exclude",
) -> pd.DataFrame:
    """Percent of each module's genes significantly up and down, per comparison.

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
    fold_change_cutoff, fold_change_on, direction_from
        The fold-change part of a call (:func:`modmap.stats.calls.gene_calls`); defaults: no
        cut-off, direction from the test statistic.
    percent_of
        Denominator of the percentages: ``tested`` (default; members with a test) or ``present``
        (every member in the gene table, tested or not, as BloodGen3Module).
    untestable
        The ``statistics.untestable`` setting the gene tables were made with; written to the
        ``untestable`` column so that the table states how constant genes counted.

    Returns
    -------
    pandas.DataFrame
        ``comparison, module_id, title, n_genes, n_up, n_down, pct_up, pct_down, pct_net,
        n_present, percent_of, untestable``; ``n_genes`` counts members with a test (``method``
        not ``not_tested``; with ``untestable: p_one`` constant genes have p = 1 and count),
        ``n_present`` the members found in the gene table; percentages are 0-100 of ``n_genes``
        (``percent_of: tested``) or of ``n_present`` (``present``), empty when that is 0.
        ``pct_net`` = ``pct_up - pct_down`` (BloodGen3Module's score with ``percent_of:
        present``).
    """
    if percent_of not in ("tested", "present"):
        raise InputError(f"statistics.percent_of is '{percent_of}'; use tested or present")
    if untestable not in ("exclude", "p_one"):
        raise InputError(f"statistics.untestable is '{untestable}'; use exclude or p_one")
    members, order, titles = module_members(membership, annotation, where="module membership table")
    frames = []
    for comparison, genes in gene_tables.items():
        g = genes.drop_duplicates("feature_id")
        g = g.set_index(g["feature_id"].astype(str))
        up, down = gene_calls(
            g,
            alpha=alpha,
            threshold_on=threshold_on,
            fold_change_cutoff=fold_change_cutoff,
            fold_change_on=fold_change_on,
            direction_from=direction_from,
            source=f"results/genes/{comparison}.tsv",
        )
        flags = pd.DataFrame(
            {
                "present": np.ones(len(g), dtype=bool),
                "tested": (g["method"] != "not_tested").to_numpy(),
                "up": up,
                "down": down,
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
            joined.groupby("module_id", sort=False)[["present", "tested", "up", "down"]]
            .sum()
            .reindex(order, fill_value=0)
            .astype(np.int64)
        )
        n = counts["tested"].to_numpy()
        denominator = n if percent_of == "tested" else counts["present"].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            pct_up = np.where(
                denominator > 0, 100.0 * counts["up"].to_numpy() / denominator, np.nan
            )
            pct_down = np.where(
                denominator > 0, 100.0 * counts["down"].to_numpy() / denominator, np.nan
            )
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
                    "n_present": counts["present"].to_numpy(),
                    "percent_of": percent_of,
                    "untestable": untestable,
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
