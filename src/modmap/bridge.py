"""The probe bridge: translate module features into expression features through a key.

The default policy (``policy="unambiguous"``), as in Quartier et al. 2011 and ``docs/bridge.md``:

- a source ID with no key is ``no_key``; one whose keys reach no target is ``no_match``;
- one whose keys reach more than one target feature is ``ambiguous``;
- one whose keys reach exactly one target is ``unambiguous`` and kept;
- within a module, kept sources that reach the same target count once; a target claimed by two
  or more modules is a ``conflict`` and leaves all of them;
- a module with fewer than ``min_genes`` (default 10) members left is dropped.

"Claimed by two or more modules" means: reached by two or more different kept source IDs that
sit in two or more different modules. A source ID that the module file itself lists in several
modules (overlapping repertoires such as Gen2 and BloodGen3) keeps its target in each of them;
the overlap is the repertoire's, not the bridge's.

``policy="all"`` keeps every target reached (ambiguous sources included, with all their
targets) and has no conflict rule.

``collapse`` (``bridge.collapse``, default ``none``) keeps an ambiguous source as ONE feature
instead (:mod:`modmap.stats.collapse`: the probe with the highest mean or IQR, or the mean of the
probes): its status is ``collapsed`` and the conflict rule sees all the probes it reached.

When the modules and the matrix share an ID space (no annotation tables, ``key`` ``auto`` or
``identity``, no symbol update) the bridge is the identity: a module feature present in the
matrix has status ``identity`` and maps to itself.

Every kept feature gets a gene ``symbol`` for labels (:func:`feature_symbols`): the target
table's symbol, else the source table's symbols of the sources that reach it, else the feature
ID itself when no table is given and the ID looks like a gene symbol, else empty.

:func:`bridge_modules` computes (no files); :func:`run_bridge` reads the inputs with the readers
of :mod:`modmap.annotation`, :mod:`modmap.modules` and :mod:`modmap.io`, then calls it.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from modmap.annotation import (
    KEY_KINDS,
    PlatformTable,
    is_excel_date,
    read_alias_table,
    read_platform,
    split_keys,
    symbol_tokens,
)
from modmap.errors import InputError
from modmap.io import read_expression, read_feature_ids
from modmap.modules import ModuleFormat, ModuleSet, read_modules
from modmap.stats.collapse import (
    COLLAPSE_METHODS,
    Collapse,
    mean_feature_id,
    pick_probe,
    probe_scores,
)

__all__ = [
    "STATUSES",
    "BridgeResult",
    "BridgeKey",
    "Policy",
    "SymbolUpdater",
    "bridge_modules",
    "check_kept_modules",
    "feature_symbols",
    "resolve_key",
    "run_bridge",
]

log = logging.getLogger(__name__)

BridgeKey = Literal["auto", "refseq", "entrez", "symbol", "identity"]
Policy = Literal["unambiguous", "all"]
STATUSES: tuple[str, ...] = (
    "unambiguous",
    "ambiguous",
    "no_match",
    "no_key",
    "conflict",
    "identity",
)
_REFSEQ_ID = re.compile(r"^(NM|NR|XM|XR)_\d+(\.\d+)?\Z", re.IGNORECASE)
#: Feature IDs that are probe or accession IDs, not gene symbols: Illumina (``ILMN_1651440``,
#: ``GI_4502630-S``), Affymetrix (``200004_s_at``, ``AFFX-BioB-5_at``), Agilent
#: (``A_23_P100001``), RefSeq (``NM_002038.3``, ``NP_...``), Ensembl (``ENSG00000111335``) and
#: all-digit IDs (Entrez Gene, array addresses).
_NOT_SYMBOL = re.compile(
    r"^(?:ILMN_\d+|GI_\d+-[A-Z]|\S+_at|AFFX-\S+|A_\d+_P\d+|(?:NM|NR|XM|XR|NP|XP)_\d+(?:\.\d+)?"
    r"|ENS[A-Z]*\d{6,}(?:\.\d+)?|\d+)\Z",
    re.IGNORECASE,
)


def looks_like_probe(feature_id: str) -> bool:
    """True when ``feature_id`` is a probe or accession ID (Illumina, Affymetrix, Agilent, RefSeq,
    Ensembl, all digits), False when it may be a gene symbol."""
    return bool(_NOT_SYMBOL.match(str(feature_id).strip()))


@dataclass(frozen=True)
class BridgeResult:
    """Everything the bridge rule writes.

    Attributes
    ----------
    bridge
        ``source_id``, ``keys`` (``;``-joined), ``target_id`` (empty unless kept; ``;``-joined
        under ``policy="all"``), ``status``; one row per distinct module feature, file order.
    summary
        ``status``, ``count``: one row per status of :data:`STATUSES`, then ``source_total``
        and ``kept``.
    membership
        ``module_id``, ``title``, ``feature_id`` (expression feature IDs), ``symbol`` (gene
        symbol(s) for labels, ``/``-joined, empty when unknown; see :func:`feature_symbols`) of
        the kept modules.
    dropped
        ``module_id``, ``title``, ``n_members``, ``reason``.
    annotation
        ``module_id``, ``title``, ``n_source``, ``n_members``, ``kept`` (``true``/``false``),
        then the module file's layout columns.
    notes
        ``side`` (``source``/``target``), ``id``, ``issue`` (``excel_date``, ``renamed``,
        ``alias_ambiguous``), ``detail``: every Excel-mangled symbol and every renaming.
    key
        The key used (``refseq``, ``entrez``, ``symbol``) or ``identity``.
    collapsed
        ``feature_id`` (the feature the source is kept as), ``source_id``, ``probes``
        (``;``-joined, matrix order), ``method``: one row per collapsed source (empty unless
        ``bridge.collapse`` is set).
    """

    bridge: pd.DataFrame
    summary: pd.DataFrame
    membership: pd.DataFrame
    dropped: pd.DataFrame
    annotation: pd.DataFrame
    notes: pd.DataFrame
    key: str
    collapsed: pd.DataFrame

    def kept_line(self) -> str:
        """``kept N of M source features (key: K)``, with thousands separators."""
        counts = dict(zip(self.summary["status"], self.summary["count"], strict=True))
        return (
            f"kept {counts['kept']:,} of {counts['source_total']:,} source features "
            f"(key: {self.key})"
        )


class SymbolUpdater:
    """Bring gene symbols up to date with an alias table.

    A symbol (compared in upper case) that is an official symbol of the table is kept. One that
    is not, but is an alias of exactly one gene, becomes that gene's official symbol
    (``SEPT5`` -> ``SEPTIN5``). An alias of several genes is left as it is and reported
    (``alias_ambiguous``); an unknown symbol is left as it is.

    Parameters
    ----------
    aliases
        ``entrez``, ``symbol``, ``alias`` as from :func:`modmap.annotation.read_alias_table`.
    """

    def __init__(self, aliases: pd.DataFrame) -> None:
        sym = aliases["symbol"].str.upper()
        self.official = frozenset(sym)
        ali = aliases.assign(symbol=sym, alias=aliases["alias"].str.upper())
        ali = ali[(ali["alias"] != "") & ~ali["alias"].isin(self.official)]
        grouped = ali.groupby("alias")["symbol"].agg(lambda s: tuple(sorted(set(s))))
        self.targets: dict[str, tuple[str, ...]] = grouped.to_dict()

    def update(self, symbol: str) -> tuple[str, str | None, str | None]:
        """Return ``(symbol, issue, detail)``; ``issue`` is None when nothing happened."""
        if symbol in self.official:
            return symbol, None, None
        hits = self.targets.get(symbol)
        if not hits:
            return symbol, None, None
        if len(hits) == 1:
            return hits[0], "renamed", f"{symbol} -> {hits[0]}"
        return symbol, "alias_ambiguous", f"{symbol} is an alias of {', '.join(hits)}; kept"


def _guess_kind(ids: Iterable[str]) -> str:
    ids = [i for i in ids if i]
    if not ids:
        return "symbol"
    n = len(ids)
    if sum(bool(_REFSEQ_ID.match(i)) for i in ids) >= 0.9 * n:
        return "refseq"
    if sum(i.isdigit() for i in ids) >= 0.9 * n:
        return "entrez"
    return "symbol"


def resolve_key(
    key: BridgeKey,
    *,
    source: PlatformTable | None,
    target: PlatformTable | None,
    source_ids: Sequence[str],
    target_ids: Sequence[str],
    update_symbols: bool = False,
) -> str:
    """Decide the key the bridge uses.

    ``auto``: ``identity`` when neither table is given (``symbol`` if ``update_symbols``);
    otherwise the first of ``refseq``, ``entrez``, ``symbol`` that both sides carry, where a
    side without a table carries the kind its IDs look like (90% or more RefSeq accessions ->
    refseq, digits -> entrez, else symbol). An explicit key must exist in every table given.

    Parameters
    ----------
    key
        Requested key (config ``bridge.key``): ``auto``, ``refseq``, ``entrez``, ``symbol`` or
        ``identity``.
    source, target
        Platform tables of the module features and of the matrix features; ``None`` when the
        side has no table (its IDs are its keys).
    source_ids, target_ids
        Module feature IDs and matrix feature IDs; only used under ``auto`` to guess the key
        kind of a side without a table (empty IDs are ignored; no IDs at all -> ``symbol``).
    update_symbols
        Whether symbols are brought up to date with an alias table (default False). Under
        ``auto`` without tables it makes the key ``symbol`` instead of ``identity``.

    Returns
    -------
    str
        ``refseq``, ``entrez``, ``symbol`` or ``identity``. Under ``auto`` the first of
        ``refseq``, ``entrez``, ``symbol`` carried by both sides, in that order.

    Raises
    ------
    InputError
        ``identity`` with a table configured, a table lacking the requested key column, a key
        that is not one of the five, or no key shared by both sides.
    """
    if key == "identity":
        if source is not None or target is not None:
            raise InputError(
                "bridge.key is identity but bridge.source/bridge.target name annotation tables; "
                "remove them (set to null) or choose a key (refseq, entrez, symbol, auto)."
            )
        return "identity"
    for side, table in (("source", source), ("target", target)):
        if table is not None and key in KEY_KINDS and key not in table.keys_available:
            raise InputError(
                f"{table.path}: bridge.key is {key} but the table has no {key} column; columns "
                f"found: {', '.join(table.columns_found)}. Name it in "
                f"bridge.{side}.columns.{key}, or choose another bridge.key "
                f"(this table carries: {', '.join(table.keys_available)})."
            )
    if key in KEY_KINDS:
        return key
    if key != "auto":
        raise InputError(
            f"bridge.key: '{key}' is not one of auto, refseq, entrez, symbol, identity."
        )
    if source is None and target is None:
        return "symbol" if update_symbols else "identity"
    src = source.keys_available if source is not None else (_guess_kind(source_ids),)
    tgt = target.keys_available if target is not None else (_guess_kind(target_ids),)
    for kind in KEY_KINDS:
        if kind in src and kind in tgt:
            return kind
    raise InputError(
        f"bridge.key auto: the module side carries {', '.join(src)} and the expression side "
        f"{', '.join(tgt)}; there is no common key. Name a key column in bridge.source.columns "
        "or bridge.target.columns, or add an annotation table."
    )


def _keys_for(
    ids: Sequence[str],
    kind: str,
    side: str,
    table: PlatformTable | None,
    updater: SymbolUpdater | None,
    notes: list[tuple[str, str, str, str]],
) -> dict[str, list[str]]:
    """Normalised keys of each ID: from the table's key column, or from the ID itself."""
    cells: dict[str, str]
    if table is not None:
        cells = dict(zip(table.table["id"], table.table[kind], strict=True))
    else:
        cells = {i: i for i in ids}
    out: dict[str, list[str]] = {}
    for i in ids:
        keys, rejected = split_keys(cells.get(i, ""), kind)  # type: ignore[arg-type]
        for bad in rejected:
            notes.append(
                (
                    side,
                    i,
                    "excel_date",
                    f"'{bad}' looks like a date made by a spreadsheet; "
                    "not used as a key (fix the symbol in the file)",
                )
            )
        if updater is not None and kind == "symbol":
            new: list[str] = []
            for k in keys:
                k2, issue, detail = updater.update(k)
                if issue is not None:
                    notes.append((side, i, issue, detail or ""))
                if k2 not in new:
                    new.append(k2)
            keys = new
        out[i] = keys
    return out


def bridge_modules(
    modules: ModuleSet,
    features: Sequence[str],
    *,
    source: PlatformTable | None = None,
    target: PlatformTable | None = None,
    key: BridgeKey = "auto",
    policy: Policy = "unambiguous",
    min_genes: int = 10,
    aliases: pd.DataFrame | None = None,
    collapse: Collapse = "none",
    scores: Mapping[str, float] | None = None,
) -> BridgeResult:
    """Translate modules into expression features and apply the policy.

    Parameters
    ----------
    modules
        The module file (:func:`modmap.modules.read_modules`); its feature IDs are the source IDs.
    features
        Feature IDs of the expression matrix. A target feature absent from the matrix counts
        as no target.
    source, target
        Platform tables of the module features and of the matrix features. ``None`` means the
        IDs themselves are the keys (e.g. symbol-keyed modules or a symbol-keyed matrix).
    key
        ``auto`` (default; see :func:`resolve_key`: refseq when both tables carry it),
        ``refseq``, ``entrez``, ``symbol`` or ``identity``.
    policy
        ``unambiguous`` (default, the policy in the module docstring) or ``all``.
    min_genes
        Modules with fewer members after the bridge are dropped (default 10, as in the trial).
    aliases
        Alias table (``entrez``, ``symbol``, ``alias``). When given and the key is ``symbol``,
        symbols on both sides are brought up to date (:class:`SymbolUpdater`), every renaming
        reported in ``notes``. ``None`` (default) renames nothing.
    collapse
        ``none`` (default): an ambiguous source is dropped (``policy="unambiguous"``) or kept
        with all its targets (``all``). ``mean``, ``max_mean``, ``max_iqr``: it is kept as one
        feature, status ``collapsed`` (:mod:`modmap.stats.collapse`).
    scores
        Feature ID -> mean or IQR over all samples (:func:`modmap.stats.collapse.probe_scores`);
        needed for ``max_mean`` and ``max_iqr``.

    Returns
    -------
    BridgeResult

    Raises
    ------
    InputError
        The module IDs match nothing in the source table, or no module feature reaches the
        matrix at all (the message shows how many and three examples).
    ValueError
        ``min_genes`` below 1 or an unknown ``policy``.
    """
    if isinstance(min_genes, bool) or not isinstance(min_genes, int) or min_genes < 1:
        raise ValueError(f"modules.min_genes must be an integer >= 1; got {min_genes!r}.")
    if policy not in ("unambiguous", "all"):
        raise ValueError(f"bridge.policy: '{policy}' is not one of unambiguous, all.")
    if collapse not in COLLAPSE_METHODS:
        choices = ", ".join(COLLAPSE_METHODS)
        raise ValueError(f"bridge.collapse: '{collapse}' is not one of {choices}.")
    if collapse in ("max_mean", "max_iqr") and scores is None:
        raise ValueError(f"bridge.collapse: {collapse} needs the probe scores (see run_bridge).")
    source_ids = list(dict.fromkeys(modules.members["feature_id"]))
    feature_list = [str(f) for f in features]
    kind = resolve_key(
        key,
        source=source,
        target=target,
        source_ids=source_ids,
        target_ids=feature_list,
        update_symbols=aliases is not None,
    )
    notes: list[tuple[str, str, str, str]] = []
    if kind == "identity":
        src_keys, reach, status = _translate_identity(source_ids, feature_list, notes)
    else:
        src_keys, reach, status = _translate_keyed(
            modules,
            source_ids,
            feature_list,
            kind=kind,
            source=source,
            target=target,
            policy=policy,
            aliases=aliases,
            notes=notes,
            collapse=collapse,
        )
    symbols = feature_symbols(
        reach,
        source=source,
        target=target,
        ids_are_symbols=source is None and target is None,
    )
    collapsed = _collapse(source_ids, reach, status, symbols, collapse=collapse, scores=scores)
    bridge = pd.DataFrame(
        {
            "source_id": source_ids,
            "keys": [";".join(src_keys[s]) for s in source_ids],
            "target_id": [";".join(reach.get(s, ())) for s in source_ids],
            "status": [status[s] for s in source_ids],
        }
    )
    summary = _summary(bridge, with_collapsed=collapse != "none")
    _check_something_kept(modules, bridge, kind=kind, feature_list=feature_list)
    membership, annotation, dropped = _assemble(modules, reach, symbols, min_genes)
    notes_df = pd.DataFrame(notes, columns=["side", "id", "issue", "detail"]).drop_duplicates()
    result = BridgeResult(
        bridge=bridge,
        summary=summary,
        membership=membership,
        dropped=dropped,
        annotation=annotation,
        notes=notes_df.reset_index(drop=True),
        key=kind,
        collapsed=collapsed,
    )
    _log_result(result, min_genes)
    _log_collapse(bridge, collapsed, collapse=collapse, policy=policy)
    return result


def _collapse(
    source_ids: list[str],
    reach: dict[str, list[str]],
    status: dict[str, str],
    symbols: dict[str, str],
    *,
    collapse: str,
    scores: Mapping[str, float] | None,
) -> pd.DataFrame:
    """Replace each collapsed source's probes by its one feature (in ``reach``, ``symbols``).

    Returns the collapse table (``feature_id``, ``source_id``, ``probes``, ``method``).
    """
    rows = []
    for s in source_ids:
        if status[s] != "collapsed":
            continue
        probes = reach[s]
        if collapse == "mean":
            feature = mean_feature_id(probes)
            names = [p for t in probes for p in symbols.get(t, "").split("/") if p]
            symbols[feature] = "/".join(dict.fromkeys(names))
        else:
            feature = pick_probe(probes, scores)  # type: ignore[arg-type]
        rows.append((feature, s, ";".join(probes), collapse))
        reach[s] = [feature]
    return pd.DataFrame(rows, columns=["feature_id", "source_id", "probes", "method"])


def _log_collapse(
    bridge: pd.DataFrame, collapsed: pd.DataFrame, *, collapse: str, policy: str
) -> None:
    """Say how many features were collapsed, or warn how many were dropped as ambiguous."""
    if len(collapsed):
        n_probes = sum(len(p.split(";")) for p in collapsed["probes"])
        log.info(
            "collapse (bridge.collapse: %s): %d module features reaching several matrix features "
            "kept as one each (%d matrix features involved; results/bridge/collapsed.tsv)",
            collapse,
            len(collapsed),
            n_probes,
        )
    ambiguous = bridge.loc[bridge["status"] == "ambiguous", "source_id"]
    if len(ambiguous) and policy == "unambiguous":
        log.warning(
            "%d module features dropped as ambiguous: each reaches several matrix features "
            "(e.g. probes of one gene: %s). bridge.collapse: max_mean (or max_iqr, mean) would "
            "keep each as one feature; bridge.policy: all would keep all of them.",
            len(ambiguous),
            ", ".join(ambiguous.head(5)),
        )


def _summary(bridge: pd.DataFrame, *, with_collapsed: bool = False) -> pd.DataFrame:
    """``status``, ``count``: every status of :data:`STATUSES` (plus ``collapsed`` when
    ``bridge.collapse`` is set), then ``source_total``, ``kept``."""
    counts = bridge["status"].value_counts()
    n_kept = int((bridge["target_id"] != "").sum())
    shown = [*STATUSES, "collapsed"] if with_collapsed else list(STATUSES)
    return pd.DataFrame(
        {
            "status": [*shown, "source_total", "kept"],
            "count": [int(counts.get(s, 0)) for s in shown] + [len(bridge), n_kept],
        }
    )


def _check_something_kept(
    modules: ModuleSet, bridge: pd.DataFrame, *, kind: str, feature_list: list[str]
) -> None:
    """Raise when no module feature reaches the matrix (with counts and examples)."""
    if (bridge["target_id"] != "").any():
        return
    counts = bridge["status"].value_counts()
    ex = bridge.head(3)
    raise InputError(
        f"{modules.path}: none of the {len(bridge)} module features reaches a feature "
        f"of the expression matrix (key: {kind}; "
        + ", ".join(f"{s}: {int(counts.get(s, 0))}" for s in STATUSES if counts.get(s, 0))
        + "; e.g. "
        + ", ".join(f"{r.source_id} [{r.keys}]" for r in ex.itertuples())
        + f"; matrix features look like {', '.join(feature_list[:3])}). Check modules.path, "
        "bridge.key and the bridge.source/bridge.target tables."
    )


def _log_result(result: BridgeResult, min_genes: int) -> None:
    """Log the kept line, the status counts, the module counts and every note."""
    log.info("bridge: %s", result.kept_line())
    for row in result.summary.itertuples():
        log.info("  %-12s %d", row.status, row.count)
    annotation, notes_df = result.annotation, result.notes
    log.info(
        "modules: %d in file, %d kept, %d dropped (min_genes %d)",
        len(annotation),
        int((annotation["kept"] == "true").sum()),
        len(result.dropped),
        min_genes,
    )
    if len(notes_df):
        log.warning(
            "notes: %s (every one listed below and in notes.tsv)",
            ", ".join(f"{k} {v}" for k, v in notes_df["issue"].value_counts().items()),
        )
    for n in notes_df.itertuples():
        log.info("note: %s %s: %s: %s", n.side, n.id, n.issue, n.detail)


def _translate_identity(
    source_ids: list[str], feature_list: list[str], notes: list[tuple[str, str, str, str]]
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, str]]:
    """Identity bridge: a module feature present in the matrix maps to itself.

    Returns the keys, the kept targets and the status of every source ID; Excel-mangled IDs on
    either side are added to ``notes``.
    """
    feature_set = set(feature_list)
    reach: dict[str, list[str]] = {}
    status: dict[str, str] = {}
    src_keys = {}
    for s in source_ids:
        src_keys[s] = [s]
        if is_excel_date(s):
            notes.append(
                (
                    "source",
                    s,
                    "excel_date",
                    f"'{s}' looks like a date made by a spreadsheet; "
                    "not matched (fix the symbol in the module file)",
                )
            )
            src_keys[s] = []
            status[s] = "no_key"
        elif s in feature_set:
            reach[s] = [s]
            status[s] = "identity"
        else:
            status[s] = "no_match"
    # A matrix symbol mangled by a spreadsheet can never match its module symbol: say so.
    for f in feature_list:
        if is_excel_date(f):
            notes.append(
                (
                    "target",
                    f,
                    "excel_date",
                    f"matrix feature '{f}' looks like a date made by a spreadsheet; no module "
                    "symbol can match it (fix the gene symbol in the expression matrix)",
                )
            )
    return src_keys, reach, status


def _translate_keyed(
    modules: ModuleSet,
    source_ids: list[str],
    feature_list: list[str],
    *,
    kind: str,
    source: PlatformTable | None,
    target: PlatformTable | None,
    policy: Policy,
    aliases: pd.DataFrame | None,
    notes: list[tuple[str, str, str, str]],
    collapse: str = "none",
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, str]]:
    """Keyed bridge: match source and target features through their keys, apply the policy.

    With ``collapse`` other than ``none``, a source reaching several targets is ``collapsed``
    and keeps them all (matrix order) until :func:`_collapse` picks or averages them.

    Returns the keys, the kept targets and the status of every source ID; symbol renamings and
    Excel-mangled symbols are added to ``notes``.
    """
    feature_set = set(feature_list)
    reach: dict[str, list[str]] = {}
    status: dict[str, str] = {}
    if source is not None:
        in_table = set(source.table["id"])
        missing = [s for s in source_ids if s not in in_table]
        if len(missing) == len(source_ids):
            raise InputError(
                f"{modules.path}: none of the {len(source_ids)} module feature IDs is in the "
                f"source annotation table {source.path} (e.g. {', '.join(source_ids[:3])}; "
                f"table IDs look like {', '.join(source.table['id'].head(3))}). Use the "
                "platform table of the module file's features in bridge.source, or the right "
                "ID column (bridge.source.columns.id)."
            )
    updater = SymbolUpdater(aliases) if (aliases is not None and kind == "symbol") else None
    src_keys = _keys_for(source_ids, kind, "source", source, updater, notes)
    if target is not None:
        tgt_ids = [t for t in target.table["id"] if t in feature_set]
    else:
        tgt_ids = feature_list
    tgt_keys = _keys_for(tgt_ids, kind, "target", target, updater, notes)
    order = {t: i for i, t in enumerate(tgt_ids)}
    index: dict[str, list[str]] = {}
    for t, ks in tgt_keys.items():
        for k in ks:
            index.setdefault(k, []).append(t)
    for s in source_ids:
        ks = src_keys[s]
        if not ks:
            status[s] = "no_key"
            continue
        hit = list(dict.fromkeys(t for k in ks for t in index.get(k, ())))
        if not hit:
            status[s] = "no_match"
        elif len(hit) > 1 and collapse != "none":
            status[s] = "collapsed"
            reach[s] = sorted(hit, key=order.__getitem__)  # matrix (target) order
        elif len(hit) > 1:
            status[s] = "ambiguous"
            if policy == "all":
                reach[s] = hit
        else:
            status[s] = "unambiguous"
            reach[s] = hit
    if policy == "unambiguous":
        _apply_conflicts(modules.members, reach, status)

    return src_keys, reach, status


def feature_symbols(
    reach: dict[str, list[str]],
    *,
    source: PlatformTable | None = None,
    target: PlatformTable | None = None,
    ids_are_symbols: bool = False,
) -> dict[str, str]:
    """Gene symbol of every kept expression feature, for figure labels.

    Parameters
    ----------
    reach
        Source ID -> the expression features it is kept with (the bridge's kept translations).
    source, target
        The platform tables of the bridge (``None`` when not given).
    ids_are_symbols
        True when no annotation table is given (identity bridge, or symbols taken from the IDs
        themselves): a feature ID that looks like a gene symbol (not a probe, accession, Ensembl
        or all-digit ID) is its own symbol.

    Returns
    -------
    dict
        Feature ID -> symbol, in this order of preference:

        1. a target table with a symbol column: that table's symbol cell for the feature;
        2. otherwise a source table with a symbol column: the symbols of the kept source IDs
           that reach the feature (every source, all modules), distinct, in source order;
        3. otherwise, with ``ids_are_symbols``, the feature ID when it looks like a symbol;
        4. otherwise empty.

        Several symbols (a multi-gene cell such as ``GENEH /// GENEI``, or several sources
        with different symbols) are joined by ``/``. Symbols keep the table's case;
        placeholders (``---``, ``NA``) and Excel-mangled symbols (``2-Sep``) are left out.
        Symbols are the tables' own, not updated by ``bridge.update_symbols``.
    """
    kept = list(dict.fromkeys(t for ts in reach.values() for t in ts))
    if target is not None and "symbol" in target.columns_used:
        cells = dict(zip(target.table["id"], target.table["symbol"], strict=True))
        return {t: "/".join(symbol_tokens(cells.get(t, ""))) for t in kept}
    if source is not None and "symbol" in source.columns_used:
        cells = dict(zip(source.table["id"], source.table["symbol"], strict=True))
        found: dict[str, list[str]] = {t: [] for t in kept}
        for s, ts in reach.items():
            for sym in symbol_tokens(cells.get(s, "")):
                for t in ts:
                    if sym not in found[t]:
                        found[t].append(sym)
        return {t: "/".join(v) for t, v in found.items()}
    if ids_are_symbols:
        return {t: "" if _NOT_SYMBOL.match(t) or is_excel_date(t) else t for t in kept}
    return dict.fromkeys(kept, "")


def _apply_conflicts(
    members: pd.DataFrame, reach: dict[str, list[str]], status: dict[str, str]
) -> None:
    """Mark as ``conflict`` the kept sources whose target is claimed by several modules.

    Unambiguous sources claim their target, collapsed sources every probe they reached.
    """
    claim_modules: dict[str, set[str]] = {}
    claim_sources: dict[str, set[str]] = {}
    for m, s in zip(members["module_id"], members["feature_id"], strict=True):
        if status.get(s) not in ("unambiguous", "collapsed"):
            continue
        for t in reach[s]:  # one target, or every probe of a collapsed source
            claim_modules.setdefault(t, set()).add(m)
            claim_sources.setdefault(t, set()).add(s)
    for t, mods in claim_modules.items():
        if len(mods) >= 2 and len(claim_sources[t]) >= 2:
            for s in claim_sources[t]:
                status[s] = "conflict"
                reach.pop(s, None)


def _assemble(
    modules: ModuleSet, reach: dict[str, list[str]], symbols: dict[str, str], min_genes: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    info = modules.info
    titles = dict(zip(info["module_id"], info["title"], strict=True))
    per_module: dict[str, list[str]] = {m: [] for m in info["module_id"]}
    n_source: dict[str, int] = dict.fromkeys(info["module_id"], 0)
    for m, s in zip(modules.members["module_id"], modules.members["feature_id"], strict=True):
        n_source[m] += 1
        got = per_module[m]
        for t in reach.get(s, ()):
            if t not in got:
                got.append(t)
    n_members = {m: len(v) for m, v in per_module.items()}
    keep = {m: n_members[m] >= min_genes for m in per_module}
    membership = pd.DataFrame(
        [(m, titles[m], t, symbols[t]) for m, ts in per_module.items() if keep[m] for t in ts],
        columns=["module_id", "title", "feature_id", "symbol"],
    )
    dropped = pd.DataFrame(
        [
            (
                m,
                titles[m],
                n_members[m],
                "no member reached the expression matrix"
                if n_members[m] == 0
                else f"fewer than {min_genes} members after the bridge (min_genes)",
            )
            for m in per_module
            if not keep[m]
        ],
        columns=["module_id", "title", "n_members", "reason"],
    )
    layout = [c for c in info.columns if c not in ("module_id", "title")]
    annotation = pd.DataFrame(
        {
            "module_id": info["module_id"],
            "title": info["title"],
            "n_source": [n_source[m] for m in info["module_id"]],
            "n_members": [n_members[m] for m in info["module_id"]],
            "kept": ["true" if keep[m] else "false" for m in info["module_id"]],
        }
    )
    for c in layout:
        annotation[c] = info[c].to_numpy()
    return membership, annotation, dropped


def check_kept_modules(
    result: BridgeResult, modules: Sequence[str], *, key: str = "heatmaps.modules"
) -> None:
    """Check that modules the config asks for by ID survived the bridge.

    Run before the bridge's tables are written, so that a heatmap of a module that is not there
    stops the workflow at the bridge instead of after the statistics.

    Parameters
    ----------
    result
        Output of :func:`bridge_modules` / :func:`run_bridge`.
    modules
        Module IDs named in the config (e.g. ``heatmaps.modules``).
    key
        Config key named in the error message.

    Raises
    ------
    InputError
        For the first module ID that is not in the module file, or that the bridge dropped (with
        the reason from ``dropped.tsv``).
    """
    kept = set(result.membership["module_id"].astype(str))
    dropped = result.dropped.set_index(result.dropped["module_id"].astype(str))
    known = set(result.annotation["module_id"].astype(str)) | set(dropped.index)
    for module in modules:
        if module in kept:
            continue
        if module in dropped.index:
            row = dropped.loc[module]
            reason = (
                f"the bridge dropped it ({row['reason']}; {row['n_members']} member(s) left, "
                "see the dropped-modules table)"
            )
        elif module in known:
            reason = "no member of it reached the expression matrix"
        else:
            reason = "it is not in the module file"
        raise InputError(
            f"config {key} names module {module!r}, but {reason}. Remove it from {key} or pick "
            "a module listed in the module membership table."
        )


def run_bridge(
    *,
    modules_path: str | os.PathLike,
    expression_path: str | os.PathLike,
    modules_format: ModuleFormat,
    source: dict | None,
    target: dict | None,
    key: BridgeKey,
    policy: Policy,
    min_genes: int,
    update_symbols: bool,
    alias_table: str | os.PathLike | None,
    collapse: Collapse,
) -> BridgeResult:
    """Read the bridge's inputs and run :func:`bridge_modules` (the rule's entry point).

    Every option is required: the workflow passes the schema-validated config
    (:func:`modmap.settings.rule_params`), so no default is restated here.

    Parameters
    ----------
    modules_path, modules_format
        ``modules.path`` and ``modules.format`` of the config.
    expression_path
        The validated expression matrix (parquet); only its feature IDs are read.
    source, target
        ``bridge.source`` / ``bridge.target`` config sections as the schema fills them
        (``path``, ``format``, ``columns``), or ``None``.
    key, policy, min_genes
        As in :func:`bridge_modules`.
    update_symbols, alias_table
        ``bridge.update_symbols`` and ``bridge.alias_table``.
    collapse
        ``bridge.collapse``; ``max_mean`` and ``max_iqr`` read the whole matrix for the scores.
    """
    mods = read_modules(modules_path, format=modules_format)
    scores = None
    if collapse in ("max_mean", "max_iqr"):
        matrix = read_expression(expression_path)
        features = [str(f) for f in matrix.index]
        scores = probe_scores(matrix, collapse).to_dict()
        del matrix
    else:
        features = list(read_feature_ids(expression_path))
    tables: dict[str, PlatformTable | None] = {}
    for side, spec in (("source", source), ("target", target)):
        tables[side] = (
            None
            if spec is None
            else read_platform(
                spec["path"],
                format=spec["format"],
                columns={k: v for k, v in spec["columns"].items() if v},
                config_key=f"bridge.{side}",
            )
        )
    aliases = None
    if update_symbols:
        if not alias_table:
            raise InputError("bridge.update_symbols is true but bridge.alias_table is not set.")
        aliases = read_alias_table(alias_table)
    log.info(
        "modules: %s (%d modules, %d pairs); matrix: %d features",
        modules_path,
        mods.n_modules,
        mods.n_pairs,
        len(features),
    )
    return bridge_modules(
        mods,
        features,
        source=tables["source"],
        target=tables["target"],
        key=key,
        policy=policy,
        min_genes=min_genes,
        aliases=aliases,
        collapse=collapse,
        scores=scores,
    )
