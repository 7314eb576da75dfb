"""Per-comparison driver: one table of per-gene tests for one comparison.

``gene_tests`` takes the expression matrix (features x samples) and the rows of the comparisons
table for one comparison (:func:`modmap.design.comparison_design`), picks the test (Mann-Whitney or
Welch,
paired variants when the comparison has pairs), adds BH q-values on request and logs what was not
tested and why.
"""

from __future__ import annotations

import logging
from typing import Literal

import numpy as np
import pandas as pd

from modmap.design import COMPARISONS_TABLE
from modmap.errors import InputError
from modmap.stats.fdr import bh_qvalues
from modmap.stats.mannwhitney import mann_whitney
from modmap.stats.signedrank import signed_rank
from modmap.stats.welch import paired_t, welch

__all__ = ["gene_tests"]

log = logging.getLogger(__name__)


def _log_summary(comparison: str, table: pd.DataFrame, min_group_size: int) -> None:
    n = len(table)
    methods = table["method"].value_counts()
    log.info(
        "%s: %d features; %s",
        comparison,
        n,
        ", ".join(f"{k} {v}" for k, v in methods.items()),
    )
    not_tested = table["method"] == "not_tested"
    empty = not_tested & ((table["n_case"] == 0) | (table["n_control"] == 0))
    few = not_tested & ~empty & (table[["n_case", "n_control"]].min(axis=1) < min_group_size)
    flat = not_tested & ~empty & ~few
    for label, mask in (
        ("all values missing in a group", empty),
        (f"fewer than {min_group_size} values in a group (statistics.min_group_size)", few),
        ("constant (all values or all differences equal; no test possible)", flat),
    ):
        if mask.any():
            examples = ", ".join(map(str, table.loc[mask, "feature_id"].head(5)))
            log.warning(
                "%s: %d features not tested, %s (e.g. %s)", comparison, mask.sum(), label, examples
            )


def gene_tests(
    expression: pd.DataFrame,
    design: pd.DataFrame,
    *,
    comparison: str = "comparison",
    test: Literal["wilcoxon", "welch"] = "wilcoxon",
    fdr: bool = False,
    min_group_size: int,
    exact_with_ties: bool = False,
    threads: int | None = None,
) -> pd.DataFrame:
    """Test every feature of one comparison.

    Parameters
    ----------
    expression
        Features x samples (float64, log2; NaN = missing), index = feature IDs; must hold every
        sample of ``design`` (extra columns are ignored).
    design
        Output of :func:`modmap.design.comparison_design`: ``sample_id``, ``role``, ``pair``.
        Non-empty
        ``pair`` values make the comparison paired (signed-rank or paired t-test).
    comparison
        Name used in log messages.
    test
        ``wilcoxon`` (default; Mann-Whitney or signed-rank as R's ``wilcox.test``) or ``welch``
        (R's ``t.test``: Welch, or the paired t-test for paired comparisons).
    fdr
        Add ``q_value``: Benjamini-Hochberg over the tested features of this comparison.
    min_group_size
        Fewer non-missing values (pairs) than this in a group: ``not_tested`` (config
        ``statistics.min_group_size``).
    exact_with_ties
        Wilcoxon only: R >= 4.6 exact p-values for genes with ties (groups below 50); default
        False, R <= 4.5 (ties: normal approximation), as the trial's analysis.
    threads
        Threads for the rank kernel (default: all available).

    Returns
    -------
    pandas.DataFrame
        ``feature_id``, ``n_case``, ``n_control``, ``statistic``, ``p_value``, ``method``,
        ``direction``, ``median_case``, ``median_control`` (+ ``q_value``), one row per feature
        in matrix order (the contract of ``results/genes/{comparison}.tsv``).
    """
    if test not in ("wilcoxon", "welch"):
        raise InputError(f"statistics.test is '{test}'; use 'wilcoxon' or 'welch'")
    absent = [s for s in pd.unique(design["sample_id"]) if s not in expression.columns]
    if absent:
        raise InputError(
            f"comparison '{comparison}': sample(s) {absent[:5]} of {COMPARISONS_TABLE} are not "
            "columns of the expression matrix; re-run the validate step"
        )
    values = expression.to_numpy(dtype=np.float64, copy=False)
    col = pd.Index(expression.columns)
    paired = bool((design["pair"] != "").any())
    if paired:
        cases = design[design["role"] == "case"].set_index("pair")["sample_id"]
        controls = design[design["role"] == "control"].set_index("pair")["sample_id"]
        controls = controls.reindex(cases.index)
        x = values[:, col.get_indexer(cases.to_numpy())]
        y = values[:, col.get_indexer(controls.to_numpy())]
        if test == "wilcoxon":
            table = signed_rank(
                x, y, min_group_size=min_group_size, exact_with_ties=exact_with_ties
            )
        else:
            table = paired_t(x, y, min_group_size=min_group_size)
    else:
        case_idx = col.get_indexer(design.loc[design["role"] == "case", "sample_id"].to_numpy())
        ctrl_idx = col.get_indexer(design.loc[design["role"] == "control", "sample_id"].to_numpy())
        if test == "wilcoxon":
            # The kernel gathers row chunks of the two groups straight from the (column-major)
            # matrix: no copy of the comparison's columns is made.
            table = mann_whitney(
                values,
                values,
                case_columns=case_idx,
                control_columns=ctrl_idx,
                min_group_size=min_group_size,
                threads=threads,
                exact_with_ties=exact_with_ties,
            )
        else:
            table = welch(values[:, case_idx], values[:, ctrl_idx], min_group_size=min_group_size)
    table.insert(0, "feature_id", expression.index.astype(str).to_numpy())
    if fdr:
        table["q_value"] = bh_qvalues(table["p_value"].to_numpy())
    _log_summary(comparison, table, min_group_size)
    return table
