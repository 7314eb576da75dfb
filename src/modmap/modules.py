"""Module files: the long TSV format modmap ships, GMT, and the layouts found in the wild.

The documented format (``resources/modules/*.tsv``) is a **long TSV**, one row per
(module, feature) pair::

    module_id   title        feature_id   [position  aggregate  color ...]
    M1.2        Interferon   IFIT1
    M1.2        Interferon   OAS1

``title`` is optional (the module ID is used when absent); any further columns are module
layout columns (one value per module: ``position`` as in BloodGen3 ``A28.1``, ``aggregate``
``A28``, ``color`` ``#00D7D6``) carried to ``results/modules/annotation.tsv`` for the figures.
Module order is the order of first appearance; member order is file order.

``format="auto"`` also reads, by their header, the BloodGen3 R-package layout (``Module``,
``Gene``, ``Function``, ``position``; ``aggregate`` is derived from ``position``), the tmod-like
long layout (``module_id``, ``title``, ``gene``), the wide layout (``module_id``, ``title``,
``genes`` comma-separated) and GMT files (``.gmt``: name, description, members, tab-separated).
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from modmap.errors import InputError

__all__ = ["ModuleFormat", "ModuleSet", "read_modules"]

ModuleFormat = Literal["auto", "long", "gmt", "wide"]

_ALIASES = {
    "module_id": ("module_id", "module", "Module"),
    "title": ("title", "Function", "function", "description", "name"),
    "feature_id": ("feature_id", "gene", "Gene", "symbol", "probe_id"),
}
_RENAME_LAYOUT = {"Module_color": "color", "colour": "color", "Cluster": "aggregate"}


@dataclass(frozen=True)
class ModuleSet:
    """Modules read from a file.

    Attributes
    ----------
    members
        ``module_id``, ``feature_id``: one row per unique pair, modules in file order.
    info
        One row per module in file order: ``module_id``, ``title``, then layout columns.
    path
        Source file (for messages).
    n_duplicate_pairs
        Repeated (module, feature) rows removed while reading.
    """

    members: pd.DataFrame
    info: pd.DataFrame
    path: str
    n_duplicate_pairs: int = 0

    @property
    def n_modules(self) -> int:
        return len(self.info)

    @property
    def n_pairs(self) -> int:
        return len(self.members)


def _read_text(p: Path) -> str:
    import gzip

    with open(p, "rb") as fh:
        raw = fh.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig", errors="replace")


def _from_gmt(text: str, p: Path) -> pd.DataFrame:
    rows = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) < 3:
            raise InputError(
                f"{p} line {lineno}: a GMT line needs name, description and at least one member "
                f"separated by tabs; found {len(fields)} field(s)."
            )
        name, desc = fields[0].strip(), fields[1].strip()
        title = name if desc in ("", "NA", "na") or desc.lower().startswith("http") else desc
        for feat in fields[2:]:
            if feat.strip():
                rows.append((name, title, feat.strip()))
    return pd.DataFrame(rows, columns=["module_id", "title", "feature_id"], dtype=str)


def _pick(cols: list[str], role: str) -> str | None:
    for cand in _ALIASES[role]:
        if cand in cols:
            return cand
    return None


def _from_table(text: str, p: Path, format: ModuleFormat) -> pd.DataFrame:
    first = text.splitlines()[0] if text.strip() else ""
    sep = "," if first.count(",") > first.count("\t") else "\t"
    df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    cols = list(df.columns)
    mod_col = _pick(cols, "module_id")
    if mod_col is None:
        raise InputError(
            f"{p}: no module ID column (module_id, or Module in the BloodGen3 layout); columns "
            f"found: {', '.join(cols)}. Rename the column or set modules.format."
        )
    wide = "genes" in cols and _pick(cols, "feature_id") is None
    if format == "wide" or (format == "auto" and wide):
        if "genes" not in cols:
            raise InputError(f"{p}: modules.format is wide but there is no 'genes' column.")
        title_col = _pick(cols, "title")
        rows = []
        for _, r in df.iterrows():
            for g in re.split(r"\s*[,;]\s*", r["genes"].strip()):
                if g:
                    rows.append((r[mod_col], r[title_col] if title_col else r[mod_col], g))
        return pd.DataFrame(rows, columns=["module_id", "title", "feature_id"], dtype=str)
    feat_col = _pick(cols, "feature_id")
    if feat_col is None:
        raise InputError(
            f"{p}: no feature column (feature_id; gene or Gene are accepted too); columns "
            f"found: {', '.join(cols)}."
        )
    title_col = _pick(cols, "title")
    out = pd.DataFrame(
        {
            "module_id": df[mod_col],
            "title": df[title_col] if title_col else df[mod_col],
            "feature_id": df[feat_col],
        }
    )
    skip = {mod_col, feat_col, title_col, "Probes", "Module_gene", "Cluter", "Cluster_location"}
    for c in cols:
        if c not in skip:
            out[_RENAME_LAYOUT.get(c, c)] = df[c]
    if "position" in out.columns and "aggregate" not in out.columns:
        out["aggregate"] = out["position"].str.extract(r"^([^.]+)\.", expand=False).fillna("")
    return out


def read_modules(path: str | os.PathLike, *, format: ModuleFormat = "auto") -> ModuleSet:
    """Read a module file.

    Parameters
    ----------
    path
        Long TSV (documented format), BloodGen3 R-package TSV/CSV, wide TSV or GMT; gzip
        transparent.
    format
        ``auto`` (default): ``.gmt``/``.gmt.gz`` names are GMT, otherwise the header decides
        (``genes`` column -> wide, else long). ``long``, ``gmt``, ``wide`` force a reader.

    Returns
    -------
    ModuleSet
        Whitespace stripped from every cell; repeated (module, feature) pairs kept once.

    Raises
    ------
    InputError
        Missing file, no module/feature column, an empty file, a module with two titles, or a
        layout column with two values for one module.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"modules.path: file not found: {p}")
    text = _read_text(p)
    if not text.strip():
        raise InputError(f"{p}: the module file is empty. Point modules.path to a module file.")
    is_gmt = format == "gmt" or (
        format == "auto" and p.name.lower().removesuffix(".gz").endswith(".gmt")
    )
    df = _from_gmt(text, p) if is_gmt else _from_table(text, p, format)
    df = df.apply(lambda s: s.str.strip())
    df = df[(df["module_id"] != "") & (df["feature_id"] != "")]
    if df.empty:
        raise InputError(
            f"{p}: the module file has no (module, feature) rows. Point modules.path to a "
            "module file with module_id, title, feature_id rows."
        )
    n_before = len(df)
    df = df.drop_duplicates(["module_id", "feature_id"]).reset_index(drop=True)
    layout_cols = [c for c in df.columns if c not in ("module_id", "feature_id")]
    info = df.drop_duplicates(["module_id", *layout_cols])
    clash = info["module_id"].duplicated(keep=False)
    if clash.any():
        mod = info.loc[clash, "module_id"].iloc[0]
        sub = info[info["module_id"] == mod]
        differing = [c for c in layout_cols if sub[c].nunique() > 1]
        raise InputError(
            f"{p}: module '{mod}' has more than one value in column(s) {differing} "
            f"({sub[differing[0]].unique().tolist()[:3]}); title and layout columns must be the "
            "same on every row of a module."
        )
    info = info[["module_id", *layout_cols]].reset_index(drop=True)
    members = df[["module_id", "feature_id"]].reset_index(drop=True)
    return ModuleSet(members=members, info=info, path=str(p), n_duplicate_pairs=n_before - len(df))


def check_module_ids(
    ids: list[str] | tuple[str, ...],
    path: str | os.PathLike,
    *,
    format: ModuleFormat = "auto",
    key: str = "heatmaps.modules",
) -> None:
    """Check that every module ID named in the config is in the module file.

    Cheap (the module file is small), so the workflow runs it when it parses the Snakefile: a
    heatmap of a module that does not exist stops the run before any statistics. Whether the
    bridge keeps the module is checked later, by the bridge job
    (:func:`modmap.bridge.check_kept_modules`).

    Parameters
    ----------
    ids
        Module IDs from the config (``heatmaps.modules``); nothing is read when empty.
    path, format
        ``modules.path`` and ``modules.format`` of the config.
    key
        Config key named in the message.

    Raises
    ------
    InputError
        The first ID that is not a module of the file, with the closest IDs of the file.
    """
    if not ids:
        return
    import difflib

    known = list(read_modules(path, format=format).info["module_id"])
    present = set(known)
    for module in ids:
        if str(module) not in present:
            close = difflib.get_close_matches(str(module), known, n=3, cutoff=0.6)
            hint = f" Closest IDs in the file: {', '.join(close)}." if close else ""
            raise InputError(
                f"config {key} names module {str(module)!r}, but it is not in the module file "
                f"{path} ({len(known)} modules, {known[0]} ... {known[-1]}).{hint} Remove it from "
                f"{key} or use a module ID of that file."
            )
