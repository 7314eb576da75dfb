"""Transcript-level results as the trial reports them: counts per comparison and set operations.

"At M1, 522 transcripts were significantly changed in patients treated with anakinra but not in
the placebo-treated group": a transcript is *changed* (up or down) in a comparison by the rule the
module scores use (:func:`modmap.stats.calls.gene_calls`: ``statistics.threshold_on`` below
``statistics.alpha``, with the fold-change options); a set keeps the transcripts changed in every
``in`` comparison and in none of the ``not_in`` comparisons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError
from modmap.longitudinal._tables import require_columns
from modmap.stats.calls import gene_calls

__all__ = [
    "COUNT_COLUMNS",
    "SET_COLUMNS",
    "SET_COUNT_COLUMNS",
    "calls",
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
    "fold_change",
]
SET_COUNT_COLUMNS = ["set", "in", "not_in", "n_features", "n_up", "n_down"]


def calls(
    table: pd.DataFrame,
    *,
    alpha: float,
    threshold_on: ThresholdOn = "p_value",
    fold_change_cutoff: float = 0.0,
    fold_change_on: Literal["log2_fc", "fold_change"] = "log2_fc",
    direction_from: Literal["statistic", "fold_change"] = "statistic",
    comparison: str = "",
) -> tuple[np.ndarray, np.ndarray]:
    """Up and down calls of one per-gene table: the module scores' rule
    (:func:`modmap.stats.calls.gene_calls`, with the same ``statistics`` options).

    Returns
    -------
    up, down
        Boolean arrays, one per row of ``table``.
    """
    require_columns(
        table,
        ["feature_id", "method", "direction"],
        where=f"results/genes/{comparison}.tsv",
        fix="Re-run the gene_tests rule.",
    )
    return gene_calls(
        table,
        alpha=alpha,
        threshold_on=threshold_on,
        fold_change_cutoff=fold_change_cutoff,
        fold_change_on=fold_change_on,
        direction_from=direction_from,
        source=f"results/genes/{comparison}.tsv",
    )


def transcript_counts(genes: Mapping[str, pd.DataFrame], **call: Any) -> pd.DataFrame:
    """Transcripts changed per comparison, up and down.

    Parameters
    ----------
    genes
        comparison name -> its per-gene table, in output order.
    **call
        The call options of :func:`calls` (``alpha``, ``threshold_on``, ``fold_change_cutoff``,
        ``fold_change_on``, ``direction_from``).

    Returns
    -------
    pandas.DataFrame
        :data:`COUNT_COLUMNS`: ``n_tested`` (p-value present), ``n_up``, ``n_down``,
        ``n_changed`` (= up + down).
    """
    rows = []
    for name, table in genes.items():
        up, down = calls(table, comparison=name, **call)
        tested = int(pd.to_numeric(table["p_value"], errors="coerce").notna().sum())
        rows.append((name, tested, int(up.sum()), int(down.sum()), int(up.sum() + down.sum())))
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


def _column(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table.columns:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[name], errors="coerce").to_numpy(np.float64)


def transcript_set(
    genes: Mapping[str, pd.DataFrame],
    *,
    name: str,
    in_: str | Sequence[str],
    not_in: str | Sequence[str] | None = None,
    membership: pd.DataFrame | None = None,
    **call: Any,
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
    **call
        The call options of :func:`calls`.

    Returns
    -------
    pandas.DataFrame
        :data:`SET_COLUMNS`, one row per transcript and ``in_`` comparison, transcripts ordered
        by their p-value in the first ``in_`` comparison: ``direction`` (the call: up = higher
        in the comparison's cases), ``statistic`` (the test's: W, V or t), ``p_value``,
        ``q_value`` (empty without ``statistics.fdr``), ``log2_fc`` and ``fold_change`` as the
        gene table has them (mean log2 difference; linear fold change, empty on log2 data).
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
    tables, called = {}, {}
    for comp in ins + outs:
        t = genes[comp].drop_duplicates("feature_id")
        t = t.set_index(t["feature_id"].astype(str))
        up, down = calls(t, comparison=comp, **call)
        tables[comp] = t
        called[comp] = pd.Series(np.where(up, "up", np.where(down, "down", "")), index=t.index)
    keep = None
    for comp in ins:
        ids = called[comp].index[called[comp] != ""]
        keep = ids if keep is None else keep.intersection(ids, sort=False)
    for comp in outs:
        keep = keep.difference(called[comp].index[called[comp] != ""], sort=False)
    first = tables[ins[0]].loc[list(keep)]
    order = list(first.sort_values("p_value", kind="stable").index)
    annot = _annotation(membership)
    frames = []
    for comp in ins:
        t = tables[comp].loc[order]
        frames.append(
            pd.DataFrame(
                {
                    "feature_id": order,
                    "symbol": [annot["symbol"].get(f, "") for f in order],
                    "module_id": [annot["module_id"].get(f, "") for f in order],
                    "comparison": comp,
                    "direction": called[comp].loc[order].to_numpy(),
                    "statistic": _column(t, "statistic"),
                    "p_value": _column(t, "p_value"),
                    "q_value": _column(t, "q_value"),
                    "log2_fc": _column(t, "log2_fc"),
                    "fold_change": _column(t, "fold_change"),
                },
                columns=SET_COLUMNS,
            )
        )
    out = pd.concat(frames, ignore_index=True)
    rank = {f: i for i, f in enumerate(order)}
    out = out.sort_values("feature_id", key=lambda c: c.map(rank), kind="stable")
    return out.reset_index(drop=True)[SET_COLUMNS]


def set_counts(
    sets: Sequence[Mapping[str, object]], lists: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """One row per set: its definition and the number of transcripts, up and down.

    ``n_up`` / ``n_down`` use the call in the set's first ``in`` comparison.
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
    fold_change_cutoff: float = 0.0,
    fold_change_on: Literal["log2_fc", "fold_change"] = "log2_fc",
    direction_from: Literal["statistic", "fold_change"] = "statistic",
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, pd.DataFrame]]:
    """Counts per comparison, and each configured set with its counts (rule transcripts).

    Parameters
    ----------
    genes
        comparison name -> per-gene table.
    membership
        ``results/modules/membership.tsv`` (annotation of the lists).
    count_comparisons
        Comparisons counted, in order.
    sets
        ``{name, in, not_in}`` mappings (config ``transcripts.sets``).
    alpha, threshold_on, fold_change_cutoff, fold_change_on, direction_from
        The ``statistics`` call options, as for the module scores.

    Returns
    -------
    counts, set_table, lists
        :func:`transcript_counts` of ``count_comparisons``; :func:`set_counts`; set name ->
        :func:`transcript_set`.
    """
    call = {
        "alpha": alpha,
        "threshold_on": threshold_on,
        "fold_change_cutoff": fold_change_cutoff,
        "fold_change_on": fold_change_on,
        "direction_from": direction_from,
    }
    counts = transcript_counts({c: genes[c] for c in count_comparisons}, **call)
    lists = {
        str(s["name"]): transcript_set(
            genes,
            name=str(s["name"]),
            in_=s.get("in"),
            not_in=s.get("not_in"),
            membership=membership,
            **call,
        )
        for s in sets
    }
    return counts, set_counts(sets, lists), lists
