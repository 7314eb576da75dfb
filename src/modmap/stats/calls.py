"""Which genes count as changed: the p/q threshold, the direction and the fold-change cut-off.

A gene is **up** when its ``threshold_on`` value is below ``alpha`` and

- ``direction_from: statistic`` (default): its ``direction`` is ``up`` and, with a cut-off, its
  signed fold change is above ``fold_change_cutoff``;
- ``direction_from: fold_change`` (BloodGen3Module): its signed fold change is above
  ``fold_change_cutoff`` (with cut-off 0: above 0, i.e. the fold change says higher in cases).

Down mirrors it (below ``-fold_change_cutoff``). The signed fold change is on the gtools scale
(:func:`modmap.stats.foldchange.gtools_foldchange`: ratio when >= 1, else ``-1 / ratio``): the
``fold_change`` column (``fold_change_on: fold_change``, linear data) or ``2^log2_fc`` made signed
(``fold_change_on: log2_fc``). Comparisons are strict, as BloodGen3Module's
``FCgroup > FC`` / ``FCgroup < -FC``; a cut-off of 0 means none.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError
from modmap.stats.foldchange import signed_fold

__all__ = ["gene_calls"]


def gene_calls(
    genes: pd.DataFrame,
    *,
    alpha: float = 0.05,
    threshold_on: Literal["p_value", "q_value"] = "p_value",
    fold_change_cutoff: float = 0.0,
    fold_change_on: Literal["log2_fc", "fold_change"] = "log2_fc",
    direction_from: Literal["statistic", "fold_change"] = "statistic",
    source: str = "gene table",
) -> tuple[np.ndarray, np.ndarray]:
    """Up and down calls for every row of a gene table.

    Parameters
    ----------
    genes
        A ``results/genes/{comparison}.tsv`` table: ``method``, ``direction``, the
        ``threshold_on`` column and, with a cut-off or ``direction_from: fold_change``, the
        ``fold_change_on`` column.
    alpha
        Significance level: a gene is significant when its ``threshold_on`` value is ``< alpha``.
    threshold_on
        ``p_value`` or ``q_value``.
    fold_change_cutoff
        Fold (e.g. 1.5 = 1.5 times higher, or lower by that factor); 0 (default) = no cut-off.
    fold_change_on
        ``log2_fc`` (default; any scale) or ``fold_change`` (the linear ratio of group means,
        linear data only).
    direction_from
        ``statistic`` (default; the test's ``direction`` column) or ``fold_change`` (the sign of
        the fold change, as BloodGen3Module).
    source
        Name of the table for error messages.

    Returns
    -------
    up, down
        Boolean arrays, one value per row; never both true.

    Raises
    ------
    InputError
        A needed column is missing, or ``fold_change`` is empty for every tested gene (the
        matrix was given on the log2 scale).
    """
    if not 0 < alpha < 1:
        raise InputError(f"statistics.alpha is {alpha}; it must lie between 0 and 1 (e.g. 0.05)")
    if threshold_on not in ("p_value", "q_value"):
        raise InputError(f"statistics.threshold_on is '{threshold_on}'; use p_value or q_value")
    if fold_change_on not in ("log2_fc", "fold_change"):
        raise InputError(
            f"statistics.fold_change_on is '{fold_change_on}'; use log2_fc or fold_change"
        )
    if direction_from not in ("statistic", "fold_change"):
        raise InputError(
            f"statistics.direction_from is '{direction_from}'; use statistic or fold_change"
        )
    if not fold_change_cutoff >= 0:
        raise InputError(
            f"statistics.fold_change_cutoff is {fold_change_cutoff}; use 0 (no cut-off) or a "
            "fold such as 1.5"
        )
    if threshold_on not in genes.columns:
        raise InputError(
            f"{source} has no '{threshold_on}' column; with statistics.threshold_on: q_value set "
            "statistics.fdr: true"
        )
    tested = (genes["method"] != "not_tested").to_numpy()
    significant = (genes[threshold_on].to_numpy(dtype=np.float64) < alpha) & tested
    use_fold = fold_change_cutoff > 0 or direction_from == "fold_change"
    if not use_fold:
        return (
            significant & (genes["direction"] == "up").to_numpy(),
            significant & (genes["direction"] == "down").to_numpy(),
        )
    if fold_change_on not in genes.columns:
        raise InputError(f"{source} has no '{fold_change_on}' column; re-run the gene_tests step")
    values = genes[fold_change_on].to_numpy(dtype=np.float64)
    if fold_change_on == "fold_change" and tested.any() and np.isnan(values[tested]).all():
        raise InputError(
            f"{source}: the fold_change column is empty (the matrix was given on the log2 scale); "
            "statistics.fold_change_on: fold_change needs expression.scale: linear, else use "
            "fold_change_on: log2_fc"
        )
    fold = values if fold_change_on == "fold_change" else signed_fold(values)
    with np.errstate(invalid="ignore"):
        beyond_up = fold > fold_change_cutoff
        beyond_down = fold < -fold_change_cutoff
    if direction_from == "fold_change":
        return significant & beyond_up, significant & beyond_down
    return (
        significant & (genes["direction"] == "up").to_numpy() & beyond_up,
        significant & (genes["direction"] == "down").to_numpy() & beyond_down,
    )
