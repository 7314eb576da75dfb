"""Probes to genes: collapse the several matrix features one module feature reaches into one.

When a module feature's keys reach several features of the matrix (typically several probes of
one gene), the bridge calls it ``ambiguous`` and, by default, drops it (``bridge.collapse:
none``, the SJIA trial's rule). The other choices keep it as one feature:

- ``max_mean``: the probe with the highest mean (log2, over every sample of the validated matrix;
  missing values ignored); ties go to the probe listed first in the matrix;
- ``max_iqr``: the probe with the highest interquartile range (R's ``IQR``, quantile type 7,
  over every sample), ties as above;
- ``mean``: a new feature, per sample the mean of the probes' log2 values (missing values
  ignored), named by the probes' IDs joined by ``+`` in matrix order.

The choice is made once, on all samples, before any test (it does not look at the groups).
:func:`probe_scores` and :func:`pick_probe` serve the bridge; :func:`collapse_rows` builds the
``mean`` rows for the stages that read the matrix (gene tests, heatmaps).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError

__all__ = ["COLLAPSE_METHODS", "collapse_rows", "mean_feature_id", "pick_probe", "probe_scores"]

Collapse = Literal["none", "mean", "max_mean", "max_iqr"]
COLLAPSE_METHODS: tuple[str, ...] = ("none", "mean", "max_mean", "max_iqr")


def probe_scores(expression: pd.DataFrame, method: Literal["max_mean", "max_iqr"]) -> pd.Series:
    """Per-feature mean or interquartile range over all samples (vectorised, NaN ignored).

    Parameters
    ----------
    expression
        Features x samples, log2 (the validated matrix), index = feature IDs.
    method
        ``max_mean`` (score = mean) or ``max_iqr`` (score = 75th - 25th percentile, linear
        interpolation as R's default quantile type 7).

    Returns
    -------
    pandas.Series
        Score per feature (NaN for a feature with no value), same index.
    """
    values = expression.to_numpy(dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing rows give NaN
        if method == "max_mean":
            score = np.nanmean(values, axis=1)
        elif method == "max_iqr":
            q75, q25 = np.nanpercentile(values, [75, 25], axis=1)
            score = q75 - q25
        else:
            raise ValueError(f"probe_scores: method {method!r} is not max_mean or max_iqr")
    return pd.Series(score, index=expression.index.astype(str), name=method)


def pick_probe(probes: Sequence[str], scores: Mapping[str, float]) -> str:
    """The probe with the highest score; ties and NaN scores: the first in ``probes`` order."""
    best, best_score = probes[0], -np.inf
    for probe in probes:
        score = scores[probe]
        if score > best_score:  # NaN never wins; equal scores keep the earlier probe
            best, best_score = probe, score
    return best


def mean_feature_id(probes: Sequence[str]) -> str:
    """ID of the ``mean`` feature of a probe group: the probe IDs joined by ``+``."""
    return "+".join(probes)


def collapse_rows(expression: pd.DataFrame, collapsed: pd.DataFrame) -> pd.DataFrame:
    """The matrix with one added row per ``mean`` feature of the bridge's collapse table.

    Parameters
    ----------
    expression
        Features x samples (log2), index = feature IDs; holds every probe of the table.
    collapsed
        ``results/bridge/collapsed.tsv``: ``feature_id``, ``probes`` (``;``-joined), ``method``.
        Rows of ``max_mean`` / ``max_iqr`` name an existing probe and add nothing.

    Returns
    -------
    pandas.DataFrame
        ``expression`` followed by the ``mean`` rows (per sample, the mean of the probes' values,
        missing values ignored; NaN when all are missing); unchanged when there are none.

    Raises
    ------
    InputError
        A probe of the table is not a feature of the matrix.
    """
    rows = collapsed.loc[collapsed["method"] == "mean"].drop_duplicates("feature_id")
    rows = rows.loc[~rows["feature_id"].isin(expression.index)]
    if rows.empty:
        return expression
    index = pd.Index(expression.index.astype(str))
    groups = [str(p).split(";") for p in rows["probes"]]
    flat = [p for g in groups for p in g]
    pos = index.get_indexer(flat)
    if (pos < 0).any():
        missing = flat[int(np.flatnonzero(pos < 0)[0])]
        raise InputError(
            f"results/bridge/collapsed.tsv: probe {missing!r} is not a feature of the expression "
            "matrix; re-run the bridge step"
        )
    values = expression.to_numpy(dtype=np.float64)[pos]
    starts = np.cumsum([0] + [len(g) for g in groups[:-1]])
    present = ~np.isnan(values)
    sums = np.add.reduceat(np.where(present, values, 0.0), starts, axis=0)
    counts = np.add.reduceat(present.astype(np.int64), starts, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / counts, np.nan)
    added = pd.DataFrame(
        means, index=rows["feature_id"].astype(str).to_numpy(), columns=expression.columns
    )
    added.index.name = expression.index.name
    return pd.concat([expression, added])
