"""Shared pieces of the per-gene tests: the output table and the not-tested rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Default of the kernels' ``min_group_size`` (the schema's ``statistics.min_group_size``, R users'
#: usual floor for a rank test); the workflow always passes the configured value.
MIN_GROUP_SIZE = 3

#: Columns of a per-gene result table, in the order of ``results/genes/{comparison}.tsv``.
RESULT_COLUMNS = [
    "n_case",
    "n_control",
    "statistic",
    "p_value",
    "method",
    "direction",
    "median_case",
    "median_control",
]


def direction_of(excess: np.ndarray) -> np.ndarray:
    """``up``/``down``/``none`` from the statistic minus its null mean (NaN gives ``none``)."""
    out = np.full(excess.shape, "none", dtype=object)
    out[excess > 0] = "up"
    out[excess < 0] = "down"
    return out


def result_table(
    *,
    n_case: np.ndarray,
    n_control: np.ndarray,
    statistic: np.ndarray,
    p_value: np.ndarray,
    method: np.ndarray,
    direction: np.ndarray,
    median_case: np.ndarray,
    median_control: np.ndarray,
) -> pd.DataFrame:
    """Assemble a result table; genes with ``method == 'not_tested'`` get empty stats.

    Parameters
    ----------
    n_case, n_control
        Non-missing values per group (complete pairs for paired tests), one per gene; cast to
        int64.
    statistic
        Test statistic per gene (R's W or V, or t), as computed by the test.
    p_value
        Two-sided p-value per gene.
    method
        How each p-value was obtained (``exact``, ``asymptotic``, ``welch``) or ``not_tested``.
    direction
        ``up``/``down``/``none`` per gene (see :func:`direction_of`).
    median_case, median_control
        Median of each group's non-missing values per gene, on the scale of the input (log2).

    Returns
    -------
    pandas.DataFrame
        One row per gene, in input order, columns :data:`RESULT_COLUMNS`, default integer index.
        Genes with ``method == 'not_tested'`` get NaN ``statistic`` and ``p_value`` (empty
        cells in the TSV) and ``direction`` ``none``; counts and medians are kept as given.
    """
    not_tested = method == "not_tested"
    statistic = np.where(not_tested, np.nan, statistic)
    p_value = np.where(not_tested, np.nan, p_value)
    direction = np.where(not_tested, "none", direction)
    return pd.DataFrame(
        {
            "n_case": np.asarray(n_case, dtype=np.int64),
            "n_control": np.asarray(n_control, dtype=np.int64),
            "statistic": statistic,
            "p_value": p_value,
            "method": pd.array(method, dtype=object),
            "direction": pd.array(direction, dtype=object),
            "median_case": median_case,
            "median_control": median_control,
        },
        columns=RESULT_COLUMNS,
    )


def check_min_group_size(min_group_size: int) -> None:
    """Reject a ``statistics.min_group_size`` below 1."""
    if int(min_group_size) != min_group_size or min_group_size < 1:
        raise ValueError(
            f"min_group_size must be a whole number >= 1, got {min_group_size!r} "
            "(config statistics.min_group_size)"
        )
