"""Normalisation of the disease signature: what became of each core module in later comparisons.

The core signature (the trial's 13 modules changed at D1 in both arms) is the set of modules
changed in the same direction in every comparison of ``module_map.core_signature``, with the
module map's own "changed" rule. For each core module and each followed comparison (e.g.
responders at M6), the status says whether the module is still changed in the same direction
(``still_altered``), changed in the opposite direction (``reversed``), or no longer changed
(``normalised``); ``not_tested`` when the module has no tested gene there. See
``docs/longitudinal.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError
from modmap.stats import core_signature, spot_values

log = logging.getLogger(__name__)

__all__ = [
    "CORE_COLUMNS",
    "COUNT_COLUMNS",
    "SIGNATURE_COLUMNS",
    "STATUSES",
    "core_signature_table",
    "follow_pairs",
    "signature_counts",
    "signature_status",
    "signature_tables",
]

Value = Literal["dominant", "net"]

#: Statuses of a core module in a followed comparison, in the order the counts list them.
STATUSES = ("normalised", "still_altered", "reversed", "not_tested")
CORE_COLUMNS = ["module_id", "title", "direction", "comparison", "value"]
SIGNATURE_COLUMNS = [
    "comparison",
    "baseline",
    "module_id",
    "title",
    "direction",
    "baseline_value",
    "value",
    "status",
    "threshold",
]
COUNT_COLUMNS = [
    "comparison",
    "baseline",
    "n_core",
    "n_normalised",
    "n_still_altered",
    "n_reversed",
    "n_not_tested",
    "summary",
]


def follow_pairs(
    follow: Sequence[str | Mapping[str, str]], *, default_baseline: str
) -> list[tuple[str, str]]:
    """``(comparison, baseline)`` for each entry of ``signature.follow``.

    Parameters
    ----------
    follow
        Comparison names, or mappings ``{comparison: ..., baseline: ...}``.
    default_baseline
        Baseline of entries that name none (config ``signature.baseline``, by default the first
        comparison of ``module_map.core_signature``).

    Returns
    -------
    list of (str, str)
    """
    out = []
    for i, entry in enumerate(follow):
        if isinstance(entry, str):
            out.append((entry, default_baseline))
        elif isinstance(entry, Mapping) and "comparison" in entry:
            out.append((str(entry["comparison"]), str(entry.get("baseline") or default_baseline)))
        else:
            raise InputError(
                f"config signature.follow[{i}]: {entry!r} is neither a comparison name nor "
                "{comparison: NAME, baseline: NAME}. Write a comparison name from the config."
            )
    return out


def _titles(scores: pd.DataFrame) -> pd.Series:
    if "title" in scores.columns:
        t = scores.drop_duplicates("module_id").set_index("module_id")["title"]
        return t.fillna("").astype(str)
    return pd.Series(dtype=object)


def core_signature_table(
    scores: pd.DataFrame,
    comparisons: Sequence[str],
    *,
    value: Value = "dominant",
    threshold: float,
) -> pd.DataFrame:
    """The core signature as a table: one row per core module and core comparison.

    Parameters
    ----------
    scores
        ``results/modules/scores.tsv``.
    comparisons
        ``module_map.core_signature``: the comparisons whose shared changed modules form the core.
    value
        Spot value of the module map (``dominant`` or ``net``), as the map draws it.
    threshold
        Percentage of tested genes (0-100) at or above which a module counts as changed (the
        module map's ``max(min_pct, changed_pct)``).

    Returns
    -------
    pandas.DataFrame
        :data:`CORE_COLUMNS`: ``direction`` (``up``/``down``, the same in every core
        comparison) and ``value`` (signed spot value in %, positive = up) per comparison; modules
        in score-table order. Empty when no module qualifies.
    """
    comparisons = list(comparisons)
    if not comparisons:
        raise InputError(
            "signature: module_map.core_signature is empty, so there is no core signature to "
            "follow. Name the baseline comparisons there (e.g. [anakinra_D1, placebo_D1])."
        )
    core = core_signature(scores, comparisons, value=value, threshold=threshold)
    spots = spot_values(scores, value=value).set_index(["module_id", "comparison"])["value"]
    titles = _titles(scores)
    rows = []
    for module in core:
        first = spots[(module, comparisons[0])]
        direction = "up" if first > 0 else "down"
        for comp in comparisons:
            rows.append((module, titles.get(module, ""), direction, comp, spots[(module, comp)]))
    return pd.DataFrame(rows, columns=CORE_COLUMNS)


def signature_status(
    scores: pd.DataFrame,
    core: pd.DataFrame,
    follow: Sequence[tuple[str, str]],
    *,
    value: Value = "dominant",
    threshold: float,
) -> pd.DataFrame:
    """Status of every core module in every followed comparison.

    Parameters
    ----------
    scores
        ``results/modules/scores.tsv``.
    core
        :func:`core_signature_table`.
    follow
        ``(comparison, baseline)`` pairs (:func:`follow_pairs`); ``baseline`` is a comparison of
        the score table whose spot value is reported next to the followed one.
    value
        Spot value (``dominant`` or ``net``), as for the core signature.
    threshold
        Percentage (0-100): a module is changed in a comparison when ``|value| >= threshold``
        and ``value != 0`` (the module map's rule).

    Returns
    -------
    pandas.DataFrame
        :data:`SIGNATURE_COLUMNS`, comparisons in ``follow`` order, modules in core order.
        ``status``: ``still_altered`` (changed in the core direction), ``reversed`` (changed in
        the opposite direction), ``normalised`` (not changed), ``not_tested`` (no tested gene).

    Raises
    ------
    InputError
        A followed comparison or a baseline is not in the score table.
    """
    spots = spot_values(scores, value=value)
    known = list(dict.fromkeys(spots["comparison"]))
    for comp, base in follow:
        for name, what in ((comp, "follows"), (base, "uses as baseline")):
            if name not in known:
                raise InputError(
                    f"config signature.follow {what} {name!r}, which is not a comparison of "
                    f"scores.tsv (comparisons: {', '.join(known)}). Use a comparison name "
                    "from the config's comparisons."
                )
    lookup = spots.set_index(["module_id", "comparison"])["value"]
    modules = core.drop_duplicates("module_id")[["module_id", "title", "direction"]]
    rows = []
    for comp, base in follow:
        for module, title, direction in modules.itertuples(index=False):
            sign = 1.0 if direction == "up" else -1.0
            v = float(lookup.get((module, comp), np.nan))
            b = float(lookup.get((module, base), np.nan))
            if np.isnan(v):
                status = "not_tested"
            elif v != 0 and abs(v) >= threshold:
                status = "still_altered" if np.sign(v) == sign else "reversed"
            else:
                status = "normalised"
            rows.append((comp, base, module, title, direction, b, v, status, float(threshold)))
    return pd.DataFrame(rows, columns=SIGNATURE_COLUMNS)


def signature_counts(status: pd.DataFrame, follow: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Counts of each status per followed comparison ("11/13 normalised").

    Parameters
    ----------
    status
        :func:`signature_status`.
    follow
        The ``(comparison, baseline)`` pairs, in output order (a row each, also when the core
        signature is empty).

    Returns
    -------
    pandas.DataFrame
        :data:`COUNT_COLUMNS`; ``summary`` reads ``"11/13 normalised, 2 still altered,
        0 reversed"`` (plus ``, N not tested`` when any).
    """
    rows = []
    for comp, base in follow:
        grp = status[(status["comparison"] == comp) & (status["baseline"] == base)]
        counts = grp["status"].value_counts()
        n = {s: int(counts.get(s, 0)) for s in STATUSES}
        total = len(grp)
        text = (
            f"{n['normalised']}/{total} normalised, {n['still_altered']} still altered, "
            f"{n['reversed']} reversed"
        )
        if n["not_tested"]:
            text += f", {n['not_tested']} not tested"
        rows.append(
            (
                comp,
                base,
                total,
                n["normalised"],
                n["still_altered"],
                n["reversed"],
                n["not_tested"],
                text,
            )
        )
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def signature_tables(
    scores: pd.DataFrame,
    *,
    core_comparisons: Sequence[str],
    follow: Sequence[Sequence[str]],
    value: Value = "dominant",
    core_threshold: float,
    threshold: float,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The core signature, its status in each followed comparison, and the counts.

    Parameters
    ----------
    scores
        ``results/modules/scores.tsv``.
    core_comparisons
        ``module_map.core_signature``.
    follow
        ``(comparison, baseline)`` pairs.
    value
        ``module_map.value``.
    core_threshold
        The module map's changed threshold (%), which defines the core signature.
    threshold
        The changed threshold (%) for the status (``signature.changed_pct``; by default the
        same as ``core_threshold``).

    Returns
    -------
    core, status, counts
        :func:`core_signature_table`, :func:`signature_status`, :func:`signature_counts`.
    """
    pairs = [(str(c), str(b)) for c, b in follow]
    core = core_signature_table(scores, core_comparisons, value=value, threshold=core_threshold)
    if core.empty:
        log.warning(
            f"signature: no module is changed in the same direction in all of "
            f"{', '.join(core_comparisons)} (threshold {core_threshold:g} %): the core signature "
            "is empty, so every count is 0/0",
        )
    status = signature_status(scores, core, pairs, value=value, threshold=threshold)
    return core, status, signature_counts(status, pairs)
