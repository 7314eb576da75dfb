"""Transcript-level results as the trial reports them: counts per comparison and set operations.

"At M1, 522 transcripts were significantly changed in patients treated with anakinra but not in
the placebo-treated group": a transcript is *changed* in a comparison when its threshold value
(``statistics.threshold_on``: p or q) is below ``statistics.alpha``, the rule the module scores
use; a set keeps the transcripts changed in every ``in`` comparison and in none of the ``not_in``
comparisons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError
from modmap.longitudinal._tables import require_columns

__all__ = [
    "COUNT_COLUMNS",
    "SET_COLUMNS",
    "SET_COUNT_COLUMNS",
    "changed",
    "set_counts",
    "transcript_counts",
    "transcript_results",
    "transcript_set",
]

ThresholdOn = Literal["p_value", "q_value"]

COUNT_COLUMNS = ["comparison", "n_tested", "n_up", "n_down", "n_changed"]
SET_COLUMNS = [
    "feature_id",
    "symbol",
    "module_id",
    "comparison",
    "direction",
    "statistic",
    "p_value",
    "q_value",
    "log2_fc",
]
SET_COUNT_COLUMNS = ["set", "in", "not_in", "n_features", "n_up", "n_down"]


def changed(
    table: pd.DataFrame,
    *,
    alpha: float,
    threshold_on: ThresholdOn = "p_value",
    comparison: str = "",
) -> np.ndarray:
    """Boolean mask of the transcripts changed in one per-gene table.

    Parameters
    ----------
    table
        ``results/genes/{comparison}.tsv``.
    alpha
        Threshold (``statistics.alpha``): changed when the value is < alpha.
    threshold_on
        ``p_value`` or ``q_value`` (the latter needs ``statistics.fdr: true``).
    comparison
        Name for messages.

    Returns
    -------
    numpy.ndarray
        True where the gene was tested, its value < alpha and its direction is up or down.
    """
    require_columns(
        table,
        ["feature_id", threshold_on, "direction"],
        where=f"results/genes/{comparison}.tsv",
        fix="threshold_on q_value needs statistics.fdr: true; else re-run the gene tests.",
    )
    value = pd.to_numeric(table[threshold_on], errors="coerce").to_numpy(np.float64)
    direction = table["direction"].astype(str).to_numpy()
    return (value < alpha) & np.isin(direction, ["up", "down"])


def transcript_counts(
    genes: Mapping[str, pd.DataFrame], *, alpha: float, threshold_on: ThresholdOn = "p_value"
) -> pd.DataFrame:
    """Transcripts changed per comparison, up and down.

    Parameters
    ----------
    genes
        comparison name -> its per-gene table, in output order.
    alpha, threshold_on
        The significance rule (see :func:`changed`).

    Returns
    -------
    pandas.DataFrame
        :data:`COUNT_COLUMNS`: ``n_tested`` (p-value present), ``n_up``, ``n_down``,
        ``n_changed`` (= up + down).
    """
    rows = []
    for name, table in genes.items():
        mask = changed(table, alpha=alpha, threshold_on=threshold_on, comparison=name)
        direction = table["direction"].astype(str).to_numpy()
        tested = int(pd.to_numeric(table["p_value"], errors="coerce").notna().sum())
        up = int((mask & (direction == "up")).sum())
        down = int((mask & (direction == "down")).sum())
        rows.append((name, tested, up, down, up + down))
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def _annotation(membership: pd.DataFrame | None) -> pd.DataFrame:
    if membership is None or membership.empty:
        return pd.DataFrame(columns=["feature_id", "symbol", "module_id"]).set_index("feature_id")
    m = membership.astype({"feature_id": str, "module_id": str}).copy()
    m["symbol"] = m["symbol"].fillna("").astype(str) if "symbol" in m else ""
    return m.groupby("feature_id", sort=False).agg(
        symbol=("symbol", lambda s: next((x for x in s if x), "")),
        module_id=("module_id", lambda s: ";".join(dict.fromkeys(s))),
    )


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def transcript_set(
    genes: Mapping[str, pd.DataFrame],
    *,
    name: str,
    in_: str | Sequence[str],
    not_in: str | Sequence[str] | None = None,
    membership: pd.DataFrame | None = None,
    alpha: float,
    threshold_on: ThresholdOn = "p_value",
) -> pd.DataFrame:
    """The transcripts changed in every ``in_`` comparison and in none of ``not_in``, annotated.

    Parameters
    ----------
    genes
        comparison name -> per-gene table; must hold every comparison named.
    name
        The set's name (config ``transcripts.sets[].name``), for messages.
    in_, not_in
        Comparison name(s).
    membership
        ``results/modules/membership.tsv`` for ``symbol`` and ``module_id`` (module members
        only: other transcripts get empty cells).
    alpha, threshold_on
        The significance rule (see :func:`changed`).

    Returns
    -------
    pandas.DataFrame
        :data:`SET_COLUMNS`, one row per transcript and ``in_`` comparison, transcripts ordered
        by their p-value in the first ``in_`` comparison: ``direction`` (up = higher in the
        comparison's cases), ``statistic`` (the test's: W, V or t), ``p_value``, ``q_value``
        (empty without ``statistics.fdr``), ``log2_fc`` (``median_case - median_control`` on
        the log2 scale: the log2 ratio of the group medians; empty where a median is missing).
        ``module_id`` lists every module of the transcript, ``;``-joined.

    Raises
    ------
    InputError
        No ``in_`` comparison, a comparison that is not among ``genes``, a comparison in both
        lists.
    """
    ins, outs = _as_list(in_), _as_list(not_in)
    where = f"config transcripts.sets {name!r}"
    if not ins:
        raise InputError(f"{where}: 'in' names no comparison; name at least one.")
    unknown = [c for c in ins + outs if c not in genes]
    if unknown:
        raise InputError(
            f"{where}: comparison(s) {', '.join(unknown)} not found (comparisons: "
            f"{', '.join(genes)}). Use comparison names from the config."
        )
    both = sorted(set(ins) & set(outs))
    if both:
        raise InputError(f"{where}: {', '.join(both)} is both in 'in' and 'not_in'.")
    keep: pd.Index | None = None
    for comp in ins:
        t = genes[comp]
        ids = pd.Index(
            t["feature_id"].astype(str)[
                changed(t, alpha=alpha, threshold_on=threshold_on, comparison=comp)
            ]
        )
        keep = ids if keep is None else keep.intersection(ids, sort=False)
    for comp in outs:
        t = genes[comp]
        ids = t["feature_id"].astype(str)[
            changed(t, alpha=alpha, threshold_on=threshold_on, comparison=comp)
        ]
        keep = keep.difference(pd.Index(ids), sort=False)
    annot = _annotation(membership)
    first = genes[ins[0]].assign(feature_id=lambda d: d["feature_id"].astype(str))
    first = first.set_index("feature_id").loc[list(keep)]
    order = list(first.sort_values("p_value", kind="stable").index)
    frames = []
    for comp in ins:
        t = genes[comp].assign(feature_id=lambda d: d["feature_id"].astype(str))
        t = t.set_index("feature_id").loc[order]
        q = t["q_value"] if "q_value" in t else pd.Series(np.nan, index=t.index)
        frames.append(
            pd.DataFrame(
                {
                    "feature_id": order,
                    "symbol": [annot["symbol"].get(f, "") for f in order],
                    "module_id": [annot["module_id"].get(f, "") for f in order],
                    "comparison": comp,
                    "direction": t["direction"].to_numpy(),
                    "statistic": t["statistic"].to_numpy(np.float64),
                    "p_value": t["p_value"].to_numpy(np.float64),
                    "q_value": pd.to_numeric(q, errors="coerce").to_numpy(np.float64),
                    "log2_fc": (
                        pd.to_numeric(t["median_case"], errors="coerce")
                        - pd.to_numeric(t["median_control"], errors="coerce")
                    ).to_numpy(np.float64),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SET_COLUMNS)
    rank = {f: i for i, f in enumerate(order)}
    out = out.sort_values("feature_id", key=lambda s: s.map(rank), kind="stable")
    return out.reset_index(drop=True)[SET_COLUMNS]


def set_counts(
    sets: Sequence[Mapping[str, object]], lists: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """One row per set: its definition and the number of transcripts, up and down.

    ``n_up`` / ``n_down`` use the direction in the set's first ``in`` comparison.
    """
    rows = []
    for s in sets:
        name = str(s["name"])
        ins, outs = _as_list(s.get("in")), _as_list(s.get("not_in"))
        table = lists[name]
        first = table[table["comparison"] == ins[0]]
        rows.append(
            (
                name,
                ";".join(ins),
                ";".join(outs),
                len(first),
                int((first["direction"] == "up").sum()),
                int((first["direction"] == "down").sum()),
            )
        )
    return pd.DataFrame(rows, columns=SET_COUNT_COLUMNS)


def transcript_results(
    genes: Mapping[str, pd.DataFrame],
    *,
    membership: pd.DataFrame | None,
    count_comparisons: Sequence[str],
    sets: Sequence[Mapping[str, object]],
    alpha: float,
    threshold_on: ThresholdOn = "p_value",
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, pd.DataFrame]]:
    """Counts per comparison, and each configured set with its counts (rule transcripts).

    Returns
    -------
    counts, set_table, lists
        :func:`transcript_counts` of ``count_comparisons``; :func:`set_counts`; set name ->
        :func:`transcript_set`.
    """
    counts = transcript_counts(
        {c: genes[c] for c in count_comparisons}, alpha=alpha, threshold_on=threshold_on
    )
    lists = {
        str(s["name"]): transcript_set(
            genes,
            name=str(s["name"]),
            in_=s.get("in"),
            not_in=s.get("not_in"),
            membership=membership,
            alpha=alpha,
            threshold_on=threshold_on,
        )
        for s in sets
    }
    return counts, set_counts(sets, lists), lists
