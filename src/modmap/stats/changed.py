"""Which modules changed: spot values, the "changed" threshold and the core signature.

A module's *spot value* in a comparison is the percentage of its tested genes changed (see
:func:`spot_values`); it counts as *changed* when ``|value| >= max(min_pct, changed_pct)``
(:func:`changed_threshold`). The module map's core-signature outline and the rows of the dot
matrix both come from here; the plots only draw what these functions decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError

__all__ = [
    "CHANGED_PCT",
    "SPOT_COLUMNS",
    "Value",
    "changed_modules",
    "changed_threshold",
    "core_signature",
    "spot_values",
]

Value = Literal["dominant", "net"]

#: Default "changed" percentage, BloodGen3Module's 15 % (the schema's ``module_map.changed_pct``;
#: the workflow always passes the configured value).
CHANGED_PCT = 15.0

#: Columns of the module scores that :func:`spot_values` needs.
SPOT_COLUMNS = ("comparison", "module_id", "n_genes", "pct_up", "pct_down")


def spot_values(scores: pd.DataFrame, *, value: Value = "dominant") -> pd.DataFrame:
    """Signed spot value of every (comparison, module) row of ``scores``.

    Parameters
    ----------
    scores
        The module scores (:func:`modmap.stats.module_scores`): ``comparison``, ``module_id``,
        ``n_genes``, ``pct_up``,
        ``pct_down`` (percentages 0-100 of the module's tested genes).
    value
        ``"dominant"`` (default): the larger of ``pct_up`` and ``pct_down``, positive when up
        dominates, negative when down dominates, 0 on a tie. ``"net"``: ``pct_up - pct_down``.

    Returns
    -------
    pandas.DataFrame
        ``comparison``, ``module_id``, ``value`` (signed %, -100..100; NaN when not tested) and
        ``tested`` (``n_genes`` > 0 and both percentages present).
    """
    missing = [c for c in SPOT_COLUMNS if c not in scores.columns]
    if missing:
        raise InputError(
            f"module scores: missing column(s) {', '.join(missing)}; found "
            f"{', '.join(map(str, scores.columns))}. Re-run the module_scores rule."
        )
    if value not in ("dominant", "net"):
        raise ValueError(f"module_map.value must be 'dominant' or 'net', got {value!r}")
    up = pd.to_numeric(scores["pct_up"], errors="coerce").to_numpy(float)
    down = pd.to_numeric(scores["pct_down"], errors="coerce").to_numpy(float)
    n = pd.to_numeric(scores["n_genes"], errors="coerce").fillna(0).to_numpy(float)
    tested = (n > 0) & np.isfinite(up) & np.isfinite(down)
    if value == "net":
        signed = up - down
    else:
        signed = np.where(up > down, up, np.where(down > up, -down, 0.0))
    signed = np.where(tested, signed, np.nan)
    return pd.DataFrame(
        {
            "comparison": scores["comparison"].astype(str).to_numpy(),
            "module_id": scores["module_id"].astype(str).to_numpy(),
            "value": signed,
            "tested": tested,
        }
    )


def changed_threshold(*, min_pct: float = 0.0, changed_pct: float = CHANGED_PCT) -> float:
    """Percentage at or above which a spot counts as changed: ``max(min_pct, changed_pct)``."""
    return max(float(min_pct), float(changed_pct))


def core_signature(
    scores: pd.DataFrame,
    comparisons: Sequence[str],
    *,
    value: Value = "dominant",
    threshold: float = CHANGED_PCT,
) -> list[str]:
    """Modules changed in the same direction in every comparison of ``comparisons``.

    A module belongs to the core signature when, in each named comparison, it was tested and its
    spot value (see :func:`spot_values`) is non-zero with ``|value| >= threshold`` percent, and
    the sign is the same in all of them (all up or all down).

    Parameters
    ----------
    scores
        The module score table.
    comparisons
        Names of the comparisons of the set (config ``module_map.core_signature``). Empty: no
        core signature.
    value
        ``"dominant"`` or ``"net"``, as the map draws it.
    threshold
        Percentage of genes (0-100), see :func:`changed_threshold`.

    Returns
    -------
    list of str
        Module IDs in score-table order.
    """
    comparisons = list(comparisons)
    if not comparisons:
        return []
    spots = spot_values(scores, value=value)
    known = set(spots["comparison"])
    unknown = [c for c in comparisons if c not in known]
    if unknown:
        raise InputError(
            f"core signature comparison(s) {', '.join(unknown)} are not in the module scores "
            f"(comparisons there: {', '.join(dict.fromkeys(spots['comparison']))})."
        )
    wide = spots.pivot(index="module_id", columns="comparison", values="value")[comparisons]
    ok = (wide.abs() >= threshold) & (wide != 0)
    same_sign = (np.sign(wide).nunique(axis=1) == 1).to_numpy()
    keep = ok.all(axis=1).to_numpy() & same_sign
    order = list(dict.fromkeys(spots["module_id"]))
    selected = set(wide.index[keep])
    return [m for m in order if m in selected]


def changed_modules(
    scores: pd.DataFrame, *, value: Value = "dominant", threshold: float = CHANGED_PCT
) -> list[str]:
    """Modules whose spot value reaches ``threshold`` percent (absolute) in some comparison.

    Returned in score-table order; see :func:`spot_values`.
    """
    spots = spot_values(scores, value=value)
    hit = spots.loc[(spots["value"].abs() >= threshold) & (spots["value"] != 0), "module_id"]
    hit_set = set(hit)
    return [m for m in dict.fromkeys(spots["module_id"]) if m in hit_set]
