"""Per-comparison driver: one table of per-gene tests for one comparison.

``gene_tests`` takes the expression matrix (features x samples) and the rows of the comparisons
table for one comparison (:func:`modmap.design.comparison_design`), picks the test (Mann-Whitney,
Welch or Student, paired variants when the comparison has pairs), adds the fold changes, decides
how a constant gene counts, adds BH q-values on request and logs what was not tested and why.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import numpy as np
import pandas as pd

from modmap.design import COMPARISONS_TABLE
from modmap.errors import InputError
from modmap.stats.fdr import bh_qvalues
from modmap.stats.foldchange import fold_changes
from modmap.stats.mannwhitney import mann_whitney
from modmap.stats.signedrank import signed_rank
from modmap.stats.student import student
from modmap.stats.welch import paired_t, welch

__all__ = ["gene_tests"]

log = logging.getLogger(__name__)


def _no_variation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Genes whose non-missing values in ``a`` and ``b`` together are all equal (or all missing)."""
    both = np.concatenate([a, b], axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing rows: NaN, compared False
        return ~(np.nanmax(both, axis=1) > np.nanmin(both, axis=1))


def _summaries(
    values: np.ndarray,
    case_idx: np.ndarray,
    ctrl_idx: np.ndarray,
    *,
    linear_offset: float | None,
    chunk: int = 4096,
    threads: int | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Fold changes and the no-variation flag, by row chunks (memory: a chunk per thread).

    Chunks run on ``threads`` worker threads (numpy releases the GIL in its loops); each chunk is
    computed exactly as on one thread, and the chunks are put back in order.
    """

    def one(start: int) -> tuple[pd.DataFrame, np.ndarray]:
        rows = values[start : start + chunk]
        x, y = rows[:, case_idx], rows[:, ctrl_idx]
        return fold_changes(x, y, linear_offset=linear_offset), _no_variation(x, y)

    starts = range(0, max(len(values), 1), chunk)
    workers = max(1, min(threads or 1, len(starts)))
    if workers == 1:
        parts = [one(start) for start in starts]
    else:
        # The warning filters are process-wide and the chunks' own catch_warnings blocks
        # overlap across threads: one filter around them all keeps every thread's state right.
        with warnings.catch_warnings(), ThreadPoolExecutor(workers) as pool:
            warnings.simplefilter("ignore", RuntimeWarning)
            parts = list(pool.map(one, starts))
    return pd.concat([f for f, _ in parts], ignore_index=True), np.concatenate(
        [flat for _, flat in parts]
    )


def _log_summary(comparison: str, table: pd.DataFrame, min_group_size: int) -> None:
    n = len(table)
    methods = table["method"].value_counts()
    log.info(
        "%s: %d features; %s",
        comparison,
        n,
        ", ".join(f"{k} {v}" for k, v in methods.items()),
    )
    constant = int((table["method"] == "constant").sum())
    if constant:
        log.info(
            "%s: %d features without variation kept with p = 1 (statistics.untestable: p_one)",
            comparison,
            constant,
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
    test: Literal["wilcoxon", "welch", "student"] = "wilcoxon",
    fdr: bool = False,
    min_group_size: int,
    exact_with_ties: bool = False,
    untestable: Literal["exclude", "p_one"] = "exclude",
    linear_offset: float | None = None,
    fdr_members: Mapping[str, int] | None = None,
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
        ``wilcoxon`` (default; Mann-Whitney or signed-rank as R's ``wilcox.test``), ``welch``
        (R's ``t.test``: Welch) or ``student`` (``t.test(var.equal = TRUE)``); both t-tests are
        the paired t-test for paired comparisons.
    fdr
        Add ``q_value``: Benjamini-Hochberg over the tested features of this comparison (or over
        ``fdr_members``).
    min_group_size
        Fewer non-missing values (pairs) than this in a group: ``not_tested`` (config
        ``statistics.min_group_size``).
    exact_with_ties
        Wilcoxon only: R >= 4.6 exact p-values for genes with ties (groups below 50); default
        False, R <= 4.5 (ties: normal approximation), as the trial's analysis.
    untestable
        How a gene with no variation at all (every value of the comparison equal; paired: every
        difference zero) and enough values counts: ``exclude`` (default: ``not_tested``, out of
        BH and of the module denominator) or ``p_one`` (``p_value`` 1, ``method`` ``constant``,
        kept in BH and in the denominator, as BloodGen3Module's ``Groupcomparison``).
    linear_offset
        ``None`` (default) when the matrix was given on the log2 scale; else the
        ``expression.offset`` of ``expression.scale: linear``, used to recover the untransformed
        values for the ``fold_change`` column (see :mod:`modmap.stats.foldchange`).
    fdr_members
        ``None`` (default): BH over the tested features, each once. Otherwise feature ID ->
        number of times it enters the BH family (its number of module memberships; features
        absent or at 0 get no q-value), as BloodGen3Module adjusts over module-gene pairs.
    threads
        Threads for the rank kernel (default: all available) and for the fold changes (default:
        one).

    Returns
    -------
    pandas.DataFrame
        ``feature_id``, ``n_case``, ``n_control``, ``statistic``, ``p_value``, ``method``,
        ``direction``, ``median_case``, ``median_control``, ``log2_fc``, ``fold_change``
        (+ ``q_value``), one row per feature in matrix order (the contract of
        ``results/genes/{comparison}.tsv``).
    """
    if test not in ("wilcoxon", "welch", "student"):
        raise InputError(f"statistics.test is '{test}'; use 'wilcoxon', 'welch' or 'student'")
    if untestable not in ("exclude", "p_one"):
        raise InputError(f"statistics.untestable is '{untestable}'; use 'exclude' or 'p_one'")
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
        complete = ~(np.isnan(x) | np.isnan(y))
        x_pairs, y_pairs = np.where(complete, x, np.nan), np.where(complete, y, np.nan)
        folds = fold_changes(x_pairs, y_pairs, linear_offset=linear_offset)
        flat = _no_variation(x_pairs - y_pairs, np.zeros((len(x), 0)))
        if test == "wilcoxon":
            table = signed_rank(
                x, y, min_group_size=min_group_size, exact_with_ties=exact_with_ties
            )
        else:
            table = paired_t(x, y, min_group_size=min_group_size)
    else:
        case_idx = col.get_indexer(design.loc[design["role"] == "case", "sample_id"].to_numpy())
        ctrl_idx = col.get_indexer(design.loc[design["role"] == "control", "sample_id"].to_numpy())
        folds, flat = _summaries(
            values, case_idx, ctrl_idx, linear_offset=linear_offset, threads=threads
        )
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
        elif test == "welch":
            table = welch(values[:, case_idx], values[:, ctrl_idx], min_group_size=min_group_size)
        else:
            table = student(values[:, case_idx], values[:, ctrl_idx], min_group_size=min_group_size)
    if untestable == "p_one":
        enough = (table["n_case"] >= min_group_size) & (table["n_control"] >= min_group_size)
        constant = (table["method"] == "not_tested").to_numpy() & enough.to_numpy() & flat
        table.loc[constant, "p_value"] = 1.0
        table.loc[constant, "method"] = "constant"
    table["log2_fc"] = folds["log2_fc"].to_numpy()
    table["fold_change"] = folds["fold_change"].to_numpy()
    ids = expression.index.astype(str).to_numpy()
    table.insert(0, "feature_id", ids)
    if fdr:
        weights = None
        if fdr_members is not None:
            weights = pd.Series(ids).map(fdr_members).fillna(0).to_numpy(dtype=np.int64)
        table["q_value"] = bh_qvalues(table["p_value"].to_numpy(), weights=weights)
    _log_summary(comparison, table, min_group_size)
    return table
