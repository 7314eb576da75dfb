"""Platform annotation tables as GEO serves them, and the keys they carry.

Readers (they read and do nothing else):

- :func:`read_platform` reads a platform table from a full SOFT file (``GPLxxx_family.soft.gz``
  or ``.soft``: the table between ``!platform_table_begin`` and ``!platform_table_end``), a GEO
  ``.annot.gz`` file (same markers) or a plain TSV/CSV export (``#`` comment lines skipped).
  Gzip is detected from the file's first bytes, whatever its name.
- :func:`read_alias_table` reads the ``ENTREZID, SYMBOL, ALIAS`` table used to bring outdated
  gene symbols up to date.

Key normalisation (pure functions, no files):

- :func:`split_keys` turns one annotation cell into normalised keys: RefSeq accessions without
  their version (``NM_002038.3`` -> ``NM_002038``), Entrez Gene IDs as digit strings, gene symbols
  in upper case. Values are split on ``///`` (Affymetrix, GEO) and on ``,``, ``;``, ``|``.
- :func:`is_excel_date` detects symbols that a spreadsheet turned into dates (``2-Sep``,
  ``1-Mar``, ``Sep-02``, ``2002-09-02``).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from modmap.errors import InputError

__all__ = [
    "KEY_KINDS",
    "Key",
    "PlatformFormat",
    "PlatformTable",
    "is_excel_date",
    "read_alias_table",
    "read_platform",
    "split_keys",
    "symbol_tokens",
]

Key = Literal["refseq", "entrez", "symbol"]
KEY_KINDS: tuple[Key, ...] = ("refseq", "entrez", "symbol")
PlatformFormat = Literal["auto", "soft", "annot", "tsv", "csv"]

#: Column names recognised for each role, in order of preference. Matching ignores case, spaces,
#: underscores and dashes, so ``Gene Symbol``, ``GENE_SYMBOL`` and ``gene-symbol`` are one name.
COLUMN_CANDIDATES: dict[str, tuple[str, ...]] = {
    "id": ("ID", "ID_REF", "Probe_Id", "ProbeID", "Probe Set ID", "feature_id", "Array_Address_Id"),
    "refseq": (
        "RefSeq Transcript ID",
        "RefSeq_ID",
        "RefSeq",
        "REFSEQ",
        "RefSeq_NM",
        "RefSeq Accession",
    ),
    "entrez": (
        "ENTREZ_GENE_ID",
        "Entrez_Gene_ID",
        "Gene ID",
        "ENTREZID",
        "Entrez",
        "EntrezGene",
        "GENE",
    ),
    "symbol": ("Gene Symbol", "Symbol", "SYMBOL", "IDENTIFIER", "GENE_SYMBOL", "ILMN_Gene"),
}

_MISSING = frozenset({"", "---", "--", "-", "NA", "N/A", "NAN", "NULL", "NONE"})
_SPLIT = re.compile(r"\s*(?:///|//|[,;|])\s*")
_REFSEQ = re.compile(r"^((?:NM|NR|XM|XR)_\d+)(?:\.\d+)?\Z")
_ENTREZ = re.compile(r"^\d+\Z")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_EXCEL_DATE = re.compile(
    rf"^(?:\d{{1,2}}-(?:{_MONTHS})|(?:{_MONTHS})-\d{{1,2}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})\Z",
    re.IGNORECASE,
)


def _norm_name(name: str) -> str:
    return re.sub(r"[\s_\-]", "", str(name)).lower()


@dataclass(frozen=True)
class PlatformTable:
    """A platform annotation table reduced to the columns the bridge uses.

    Attributes
    ----------
    table
        One row per platform feature, all strings, original cell values (not yet normalised):
        ``id`` and, for each key found, ``refseq``, ``entrez``, ``symbol``.
    path
        The file it was read from (for messages).
    columns_found
        Every column name of the file, in file order.
    columns_used
        Role -> original column name, e.g. ``{"id": "ID", "refseq": "RefSeq Transcript ID"}``.
    """

    table: pd.DataFrame
    path: str
    columns_found: tuple[str, ...]
    columns_used: dict[str, str] = field(default_factory=dict)

    @property
    def keys_available(self) -> tuple[str, ...]:
        """Key kinds this table carries (subset of ``refseq``, ``entrez``, ``symbol``)."""
        return tuple(k for k in KEY_KINDS if k in self.columns_used)


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


def _open_text(path: Path) -> io.TextIOBase:
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace", newline="")  # noqa: SIM115


def _sniff_format(path: Path) -> Literal["soft", "tsv", "csv"]:
    """Guess the layout from the first lines: GEO markers -> soft, else tab or comma."""
    with _open_text(path) as fh:
        head: list[str] = []
        for line in fh:
            head.append(line)
            if len(head) >= 200:
                break
    for line in head:
        if line.startswith(("^", "!platform_table_begin", "!Platform", "!Annotation")):
            return "soft"
    data = [ln for ln in head if not ln.startswith("#") and ln.strip()]
    if not data:
        return "tsv"
    return "csv" if data[0].count(",") > data[0].count("\t") else "tsv"


def _read_soft_table(path: Path) -> pd.DataFrame:
    """Read the table between ``!platform_table_begin`` and ``!platform_table_end``.

    Reading stops at the end marker, so a family SOFT file with thousands of sample tables
    after the platform costs no more than the platform table itself.
    """
    lines: list[str] = []
    began = ended = False
    with _open_text(path) as fh:
        for line in fh:
            if not began:
                if line.lower().startswith("!platform_table_begin"):
                    began = True
                continue
            if line.lower().startswith("!platform_table_end"):
                ended = True
                break
            lines.append(line)
    if not began:
        raise InputError(
            f"{path}: no '!platform_table_begin' line found; this is not a GEO SOFT/annot "
            "platform file. Set the table's format (bridge.source.format or bridge.target.format: "
            "tsv or csv) if it is a plain export."
        )
    if not ended:
        raise InputError(
            f"{path}: '!platform_table_begin' without '!platform_table_end' "
            f"(after {len(lines)} lines); the file looks truncated. Download it again."
        )
    if not lines:
        raise InputError(f"{path}: the platform table is empty (no header row).")
    return pd.read_csv(
        io.StringIO("".join(lines)),
        sep="\t",
        dtype=str,
        keep_default_na=False,
        quoting=csv.QUOTE_NONE,
    )


def _read_delimited(path: Path, sep: str) -> pd.DataFrame:
    with _open_text(path) as fh:
        text = "".join(ln for ln in fh if not ln.startswith("#"))
    if not text.strip():
        raise InputError(f"{path}: the file has no table (empty or only '#' comment lines).")
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def _pick_column(found: list[str], role: str) -> str | None:
    by_norm: dict[str, str] = {}
    for name in found:
        by_norm.setdefault(_norm_name(name), name)
    for cand in COLUMN_CANDIDATES[role]:
        hit = by_norm.get(_norm_name(cand))
        if hit is not None:
            return hit
    return None


def read_platform(
    path: str | os.PathLike,
    *,
    format: PlatformFormat = "auto",
    columns: dict[str, str] | None = None,
    config_key: str = "bridge.source",
) -> PlatformTable:
    """Read a platform annotation table and find its ID and key columns.

    Parameters
    ----------
    path
        SOFT (``.soft``/``.soft.gz``, full family files included), GEO ``.annot.gz``, or a
        TSV/CSV export. Gzip is transparent.
    format
        ``auto`` (default) detects GEO markers (``^PLATFORM``, ``!platform_table_begin``) and
        otherwise tabs versus commas; ``soft`` and ``annot`` are read identically.
    columns
        Overrides for the column roles: ``{"id": ..., "refseq": ..., "entrez": ..., "symbol":
        ...}``; roles not given are detected from :data:`COLUMN_CANDIDATES` (Affymetrix ``ID``,
        ``Gene Symbol``, ``ENTREZ_GENE_ID``, ``RefSeq Transcript ID``; Illumina ``ID``,
        ``Symbol``, ``Entrez_Gene_ID``, ``RefSeq_ID``; GEO annot ``Gene symbol``, ``Gene ID``).
    config_key
        Where the table is configured, named in error messages (``bridge.source`` or
        ``bridge.target``).

    Returns
    -------
    PlatformTable

    Raises
    ------
    InputError
        No ID column, a configured column that does not exist, no key column at all, or
        duplicate feature IDs.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{config_key}.path: file not found: {p}")
    fmt = _sniff_format(p) if format == "auto" else format
    if fmt in ("soft", "annot"):
        raw = _read_soft_table(p)
    elif fmt == "csv":
        raw = _read_delimited(p, ",")
    elif fmt == "tsv":
        raw = _read_delimited(p, "\t")
    else:
        raise InputError(
            f"{config_key}.format: '{format}' is not one of auto, soft, annot, tsv, csv."
        )
    found = [str(c) for c in raw.columns]
    columns = dict(columns or {})
    unknown_roles = sorted(set(columns) - {"id", *KEY_KINDS})
    if unknown_roles:
        raise InputError(
            f"{config_key}.columns: unknown role(s) {unknown_roles}; "
            "use id, refseq, entrez, symbol."
        )
    used: dict[str, str] = {}
    for role in ("id", *KEY_KINDS):
        if columns.get(role):
            if columns[role] not in found:
                raise InputError(
                    f"{p}: column '{columns[role]}' set in {config_key}.columns.{role} is not in "
                    f"the table; columns found: {', '.join(found)}."
                )
            used[role] = columns[role]
        else:
            hit = _pick_column(found, role)
            if hit is not None:
                used[role] = hit
    if "id" not in used:
        raise InputError(
            f"{p}: no feature ID column found (looked for {', '.join(COLUMN_CANDIDATES['id'])}); "
            f"columns found: {', '.join(found)}. Set {config_key}.columns.id."
        )
    if not any(k in used for k in KEY_KINDS):
        raise InputError(
            f"{p}: no usable key column (RefSeq, Entrez Gene ID or gene symbol); columns found: "
            f"{', '.join(found)}. Name one in {config_key}.columns.refseq, "
            f"{config_key}.columns.entrez or {config_key}.columns.symbol."
        )
    table = pd.DataFrame({role: raw[col].astype(str).str.strip() for role, col in used.items()})
    dup = table["id"].duplicated(keep=False) & (table["id"] != "")
    if dup.any():
        ids = list(dict.fromkeys(table.loc[dup, "id"]))
        rows = [int(i) + 1 for i in table.index[dup][:6]]
        raise InputError(
            f"{p}: {len(ids)} feature ID(s) occur more than once in column '{used['id']}' "
            f"(e.g. {', '.join(ids[:3])}; table rows {rows}). A platform table needs one row "
            "per feature: remove the duplicates or point to the right ID column "
            f"({config_key}.columns.id)."
        )
    table = table[table["id"] != ""].reset_index(drop=True)
    return PlatformTable(table=table, path=str(p), columns_found=tuple(found), columns_used=used)


def read_alias_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read the gene alias table (``ENTREZID``, ``SYMBOL``, ``ALIAS``; gzip transparent).

    Returns
    -------
    pandas.DataFrame
        Columns ``entrez``, ``symbol``, ``alias`` as strings (empty cells dropped).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"bridge.alias_table: file not found: {p}")
    with _open_text(p) as fh:  # gzip recognised by its magic bytes, whatever the file name
        df = pd.read_csv(fh, sep="\t", dtype=str, keep_default_na=False)
    need = {"ENTREZID", "SYMBOL", "ALIAS"}
    if not need <= set(df.columns):
        raise InputError(
            f"{p}: an alias table needs columns ENTREZID, SYMBOL, ALIAS; found "
            f"{', '.join(df.columns)}. Point bridge.alias_table to such a table."
        )
    out = df[["ENTREZID", "SYMBOL", "ALIAS"]].set_axis(["entrez", "symbol", "alias"], axis=1)
    return out[(out["symbol"] != "")].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# normalising keys
# --------------------------------------------------------------------------------------------


def is_excel_date(value: str) -> bool:
    """True when ``value`` looks like a gene symbol a spreadsheet turned into a date.

    Recognised: ``2-Sep``, ``1-Mar``, ``Sep-02``, ``2002-09-02``, ``9/2/2002`` (case-insensitive).
    Such a value cannot be traced back safely (``1-Mar`` was MARCH1 or MARC1), so it is never
    used as a key.
    """
    return bool(_EXCEL_DATE.match(value.strip()))


def split_keys(value: str, kind: Key) -> tuple[list[str], list[str]]:
    """Split one annotation cell into normalised keys.

    Parameters
    ----------
    value
        The cell, e.g. ``"NM_000014.4 /// NM_001347423"``, ``"780 /// 100616237"``,
        ``"DDR1///MIR4640"``.
    kind
        ``refseq``: tokens matching ``NM_``/``NR_``/``XM_``/``XR_`` + digits, version removed
        (other accessions dropped). ``entrez``: digit tokens. ``symbol``: upper-cased tokens.

    Returns
    -------
    keys, rejected
        Unique keys in order of appearance, and the tokens rejected as Excel dates (symbols
        only). Placeholders such as ``---`` and ``NA`` give no key.
    """
    keys: list[str] = []
    rejected: list[str] = []
    if value is None:
        return keys, rejected
    for token in _SPLIT.split(str(value).strip()):
        token = token.strip()
        if token.upper() in _MISSING:
            continue
        if kind == "refseq":
            m = _REFSEQ.match(token.upper())
            key = m.group(1) if m else None
        elif kind == "entrez":
            key = token if _ENTREZ.match(token) else None
            if key is None and re.fullmatch(r"\d+\.0", token):
                key = token[:-2]
        else:
            if is_excel_date(token):
                rejected.append(token)
                continue
            key = token.upper()
        if key is not None and key not in keys:
            keys.append(key)
    return keys, rejected


def symbol_tokens(cell: str) -> list[str]:
    """Gene symbols of one annotation cell in their original case (for labels, not keys).

    Split as keys are (``///``, ``,``, ``;``, ``|``); placeholders (``---``, ``NA``) and
    Excel-mangled symbols (``2-Sep``) are left out.
    """
    out: list[str] = []
    for token in _SPLIT.split(str(cell or "").strip()):
        token = token.strip()
        if token.upper() in _MISSING or is_excel_date(token) or token in out:
            continue
        out.append(token)
    return out
