"""``modmap init``: a starter sample sheet and a commented config for a new cohort.

From a GEO series matrix alone (or any matrix plus a sample sheet) it writes

- a sample sheet (unless one is given): a series matrix's ``!Sample_*`` lines as columns
  (``geo_accession``, ``title``, ``source_name``, one column per ``!Sample_characteristics_ch1``
  key; see :mod:`modmap.readers.geo`), a GCT 1.3's column annotations, or else one ``sample_id``
  column with the matrix headers for you to fill in;
- a config with every required key, the modules to use (BloodGen3 for human blood by default),
  the detected scale, the bridge (identity for gene symbols; a platform table for probe IDs) and
  the comparisons left to you, with an example built from the sheet's columns.

The rules it applies are pure functions here (:func:`detect_scale`, :func:`detect_ids`,
:func:`example_comparison`, :func:`draft_config`); :func:`main` reads and writes the files.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from modmap.annotation import read_platform
from modmap.bridge import looks_like_probe
from modmap.errors import InputError
from modmap.io import read_sample_sheet, write_tsv
from modmap.readers import read_matrix

__all__ = [
    "Example",
    "detect_ids",
    "detect_scale",
    "draft_config",
    "example_comparison",
    "main",
]

#: Modules used when none are given: BloodGen3 (382 modules, gene symbols, human whole blood).
DEFAULT_MODULES = "resources/modules/bloodgen3_modules.tsv"
#: Linear when the largest value exceeds this ...
LINEAR_MAX = 50.0
#: ... or the 99th percentile exceeds this (log2 expression rarely passes 20 even at the top).
LINEAR_P99 = 20.0
#: Probe-like share of the feature IDs above which the matrix is keyed on probes, not symbols.
PROBE_SHARE = 0.5

_CONTROL = re.compile(r"control|healthy|normal|uninfected|ctrl|\bhc\b|baseline|placebo", re.I)
_GROUPISH = re.compile(r"group|disease|status|condition|diagnos|state|class|phenotype|type", re.I)
_SKIP_COLUMNS = {"geo_accession", "title", "sample_id", "id"}


def detect_scale(values: np.ndarray) -> tuple[Literal["log2", "linear"], str]:
    """Log2 or linear, from the values, with the evidence.

    Rule: ``linear`` when the largest finite value is above :data:`LINEAR_MAX` (50) or the 99th
    percentile is above :data:`LINEAR_P99` (20); else ``log2``. Log2 intensities and log-CPM
    stay below ~20 (2^20 is a million), while linear intensities and counts reach thousands.

    Parameters
    ----------
    values
        Any array of numbers (NaN ignored).

    Returns
    -------
    scale, evidence
        ``log2`` or ``linear``, and a sentence with the maximum, the 99th percentile and the
        number of values <= 0 (which ``scale: linear`` cannot log).
    """
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return "log2", "no numeric values"
    vmax, p99 = float(finite.max()), float(np.percentile(finite, 99))
    nonpos = int((finite <= 0).sum())
    scale: Literal["log2", "linear"] = "linear" if vmax > LINEAR_MAX or p99 > LINEAR_P99 else "log2"
    evidence = f"maximum {vmax:.4g}, 99th percentile {p99:.4g}"
    if nonpos:
        evidence += f", {nonpos} value(s) <= 0"
    return scale, evidence


def detect_ids(ids: Sequence[str]) -> tuple[Literal["symbol", "probe"], str]:
    """Gene symbols or probe/accession IDs, from the feature IDs, with the evidence.

    Rule: ``probe`` when more than :data:`PROBE_SHARE` (half) of the non-empty IDs look like
    probe or accession IDs (Illumina ``ILMN_``, Affymetrix ``_at``, Agilent, RefSeq, Ensembl, all
    digits: :func:`modmap.bridge.looks_like_probe`), else ``symbol``.
    """
    ids = [str(i) for i in ids if isinstance(i, str) and i.strip()]
    if not ids:
        return "symbol", "no feature IDs"
    probes = sum(looks_like_probe(i) for i in ids)
    kind: Literal["symbol", "probe"] = "probe" if probes > PROBE_SHARE * len(ids) else "symbol"
    shown = ", ".join(ids[:3])
    return kind, f"{probes} of {len(ids)} IDs look like probe/accession IDs (e.g. {shown})"


@dataclass(frozen=True)
class Example:
    """An example comparison: a sheet column, a case value and a control value."""

    column: str
    case: str
    control: str


def _candidates(sheet: pd.DataFrame, id_column: str) -> list[tuple[str, pd.Series]]:
    found = []
    for column in sheet.columns:
        if column == id_column or column.lower() in _SKIP_COLUMNS:
            continue
        counts = sheet[column][sheet[column] != ""].value_counts()
        if 2 <= len(counts) <= 8:
            found.append((column, counts))
    return found


def example_comparison(sheet: pd.DataFrame, *, id_column: str) -> Example | None:
    """A plausible comparison from the sheet's columns, or ``None``.

    The column: among columns with 2 to 8 distinct values, one whose name suggests groups
    (group, disease, status, condition, ...) first, then the one with the fewest values. The
    control: a value that reads like one (control, healthy, normal, uninfected, ...), else the
    second most frequent value; the case: the most frequent other value.
    """
    found = _candidates(sheet, id_column)
    if not found:
        return None
    found.sort(key=lambda item: (not _GROUPISH.search(item[0]), len(item[1])))
    column, counts = found[0]
    values = list(counts.index)
    control = next((v for v in values if _CONTROL.search(v)), values[1])
    case = next(v for v in values if v != control)
    return Example(column, case, control)


def _yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar that reads back as the same text."""
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, width=1000).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def _name(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", value).strip("_").lower() or "group"


def platform_annot_url(platform: str) -> str | None:
    """GEO's annotation file of a platform (``GPL6947`` -> ``.../GPL6nnn/GPL6947/annot/...``)."""
    match = re.fullmatch(r"GPL(\d+)", platform.strip())
    if not match:
        return None
    digits = match.group(1)
    return (
        f"https://ftp.ncbi.nlm.nih.gov/geo/platforms/GPL{digits[:-3]}nnn/{platform}/annot/"
        f"{platform}.annot.gz"
    )


def draft_config(
    *,
    matrix_path: str,
    matrix_kind: str,
    sheet_path: str,
    id_column: str,
    scale: str,
    scale_evidence: str,
    id_kind: str,
    id_evidence: str,
    platform_path: str | None = None,
    platform_id: str | None = None,
    platform_evidence: str | None = None,
    modules_path: str = DEFAULT_MODULES,
    sheet: pd.DataFrame | None = None,
    duplicate_headers: str | None = None,
    source: str = "",
) -> str:
    """The text of a commented starter config (YAML) for ``modmap``.

    Every value written is valid for workflow/schemas/config.schema.yaml; ``comparisons`` is left
    empty (``[]``) with an example in comments, so the run stops with a schema error until the
    user writes at least one comparison.
    """
    lines = [
        f"# modmap config written by `modmap init`{f' from {source}' if source else ''}.",
        "# Every key is described, with its default, in workflow/schemas/config.schema.yaml.",
        "# Check the lines marked CHECK, write your comparisons (REQUIRED, at the end), then run:",
        "#   make run CONFIG=<this file>",
        "",
        "expression:",
        f"  path: {_yaml_scalar(matrix_path)}  # {matrix_kind}",
        f"  # CHECK: detected from the values: {scale_evidence}.",
        "  # Rule: linear when the maximum is above 50 or the 99th percentile above 20, else",
        "  # log2. linear values must be > 0 (modmap applies log2).",
        f"  scale: {scale}",
    ]
    if duplicate_headers:
        lines += [
            "  # The matrix's sample headers repeat: its columns are named by the sample sheet's",
            "  # order (the sheet's matrix_header column repeats them; docs/formats.md).",
            f"  duplicate_headers: {duplicate_headers}",
        ]
    lines += [
        "",
        "samples:",
        f"  path: {_yaml_scalar(sheet_path)}",
        f"  id_column: {_yaml_scalar(id_column)}",
        "",
        "modules:",
        "  # BloodGen3 (382 modules, gene symbols) for human whole blood; the Gen2 repertoire is",
        "  # resources/modules/gen2_dc_modules.tsv.",
        f"  path: {_yaml_scalar(modules_path)}",
        "  format: auto",
        "  min_genes: 10",
        "",
        "bridge:",
        f"  # CHECK: the matrix IDs are {'gene symbols' if id_kind == 'symbol' else 'probe IDs'}:",
        f"  # {id_evidence}.",
    ]
    if id_kind == "symbol":
        lines += [
            "  # Modules and matrix are both keyed on gene symbols: identity bridge, no tables.",
            "  key: auto",
            "  policy: unambiguous",
            "  source: null",
            "  target: null",
        ]
    else:
        url = platform_annot_url(platform_id) if platform_id else None
        if platform_path:
            lines.append(
                f"  # The platform table maps the probes to symbols ({platform_evidence})."
            )
            target = platform_path
        else:
            lines += [
                "  # Probe IDs need the platform's annotation table to reach the symbols of the",
                "  # modules: download it and put its path below (REQUIRED; the run stops until",
                "  # the file exists)" + (f", e.g. {url}" if url else "") + ".",
            ]
            target = f"{platform_id or 'GPLxxxx'}.annot.gz"
        lines += [
            "  key: symbol",
            "  policy: unambiguous",
            "  source: null",
            "  target:",
            f"    path: {_yaml_scalar(target)}",
        ]
    lines += [
        "  update_symbols: false",
        "",
        "statistics:",
        "  test: wilcoxon",
        "  alpha: 0.05",
        "  threshold_on: p_value",
        "  fdr: false",
        "",
        "module_map:",
        "  value: dominant",
        "  # Comparisons whose shared changed modules get a black outline; [] = none.",
        "  core_signature: []",
        "",
        "heatmaps:",
        "  # Module IDs that get a heatmap (e.g. [M10.1, M8.3], BloodGen3's interferon modules),",
        "  # with heatmaps.reference: a selector of the samples each gene is normalised to.",
        "  modules: []",
        "",
        "# REQUIRED: the comparisons (each a name used in file names, a case and a control",
        "# selector over the sample sheet's columns; optional label and paired_by). Replace []",
        "# by yours.",
    ]
    example = example_comparison(sheet, id_column=id_column) if sheet is not None else None
    if example is not None:
        lines += [
            "# For example:",
            "# comparisons:",
            f"#   - name: {_name(example.case)}_vs_{_name(example.control)}",
            f"#     label: {_yaml_scalar(f'{example.case} vs {example.control}')}",
            f"#     case: {{{_yaml_scalar(example.column)}: {_yaml_scalar(example.case)}}}",
            f"#     control: {{{_yaml_scalar(example.column)}: {_yaml_scalar(example.control)}}}",
        ]
    if sheet is not None:
        found = _candidates(sheet, id_column)
        if found:
            lines.append(
                "# Columns of the sample sheet with few values (value: number of samples):"
            )
            for column, counts in found[:12]:
                shown = ", ".join(f"{v}: {n}" for v, n in counts.items())
                lines.append(f"#   {column}: {shown}")
    lines.append("comparisons: []")
    return "\n".join(lines) + "\n"


def starter_sheet(headers: Sequence[str]) -> pd.DataFrame:
    """A sample sheet with one row per matrix column, for a matrix that carries no annotations.

    ``sample_id`` is the header; when headers repeat (``TB, TB, NID``), ``sample_id`` numbers
    them (``TB_1, TB_2, NID_1``) and ``matrix_header`` keeps the header as written, so that
    ``expression.duplicate_headers: sheet_order`` can name the columns by the sheet's order.
    """
    headers = [str(h) for h in headers]
    if len(set(headers)) == len(headers):
        return pd.DataFrame({"sample_id": headers})
    seen: dict[str, int] = {}
    ids = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        ids.append(f"{header}_{seen[header]}")
    if len(set(ids)) < len(ids):  # e.g. headers "A_1" and "A" twice
        ids = [f"sample_{k}" for k in range(1, len(headers) + 1)]
    return pd.DataFrame({"sample_id": ids, "matrix_header": headers})


def _id_column(sheet: pd.DataFrame, samples: Sequence[str], path: str) -> str:
    wanted = set(samples)
    overlap = {c: int(sheet[c].isin(wanted).sum()) for c in sheet.columns}
    best = max(overlap, key=lambda c: overlap[c]) if overlap else None
    if best is None or overlap[best] == 0:
        raise InputError(
            f"{path}: no column of the sample sheet holds the matrix's sample headers "
            f"({', '.join(list(samples)[:3])}, ...). Add a column with them (one row per matrix "
            "column) and run modmap init again."
        )
    return best


def main(argv: Sequence[str] | None = None, *, prog: str = "modmap init") -> int:
    """Command line of ``modmap init`` (see ``modmap init --help``); returns the exit status.

    Raises
    ------
    InputError
        An unreadable matrix, sheet or platform table, a sheet none of whose columns holds the
        matrix's sample headers, or output files that exist (without ``--force``).
    """
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Write a starter sample sheet and a commented config for a new cohort, "
        "from a GEO series matrix (or any expression matrix plus a sample sheet).",
    )
    parser.add_argument(
        "matrix", help="expression matrix: GEO series matrix, TSV/CSV, GCT or Parquet"
    )
    parser.add_argument("--samples", help="sample sheet (default: from the series matrix)")
    parser.add_argument("--platform", help="platform annotation table, for probe IDs")
    parser.add_argument("--modules", default=DEFAULT_MODULES, help="module file")
    parser.add_argument("--config", help="config to write (default config/<name>.yaml)")
    parser.add_argument(
        "--sheet-out", help="sample sheet to write (default config/<name>_samples.tsv)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    args = parser.parse_args(argv)

    read = read_matrix(args.matrix)
    name = read.series.get("geo_accession") or re.sub(
        r"(_series_matrix)?(\.[A-Za-z0-9]+)*$", "", Path(args.matrix).name
    )
    name = _name(name.split(";")[0]) if name else "cohort"
    config_path = Path(args.config or f"config/{name}.yaml")
    samples = [str(s) for s in read.header[1:]]
    written: list[Path] = []
    if args.samples:
        sheet = read_sample_sheet(args.samples)
        sheet_path = args.samples
        if len(set(samples)) < len(samples):  # named by the sheet's order: its unique IDs
            id_column = next(
                (c for c in sheet.columns if sheet[c].is_unique and (sheet[c] != "").all()),
                str(sheet.columns[0]),
            )
        else:
            id_column = _id_column(sheet, samples, args.samples)
    else:
        sheet = read.samples
        if sheet is None:
            sheet = starter_sheet(samples)
            id_column = "sample_id"
        else:
            id_column = "geo_accession" if "geo_accession" in sheet.columns else sheet.columns[0]
        sheet_path = args.sheet_out or f"config/{name}_samples.tsv"
    repeated = len(set(samples)) < len(samples)
    targets = [config_path] + ([] if args.samples else [Path(sheet_path)])
    existing = [str(p) for p in targets if p.exists()]
    if existing and not args.force:
        raise InputError(
            f"{', '.join(existing)} already exist(s); choose other names with "
            "--config / --sheet-out, or overwrite with --force."
        )
    numbers = read.values.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    scale, scale_evidence = detect_scale(numbers)
    id_kind, id_evidence = detect_ids(list(read.values.index))
    platform_evidence = None
    if args.platform:
        table = read_platform(args.platform, config_key="bridge.target")
        known = set(table.table["id"])
        hits = sum(i in known for i in read.values.index)
        platform_evidence = (
            f"{hits} of {len(read.values)} matrix IDs are in it; symbol column "
            f"{table.columns_used.get('symbol', 'NOT FOUND')!r}"
        )
        if hits > PROBE_SHARE * len(read.values):
            id_kind = "probe"
    text = draft_config(
        matrix_path=args.matrix,
        matrix_kind=read.kind,
        sheet_path=sheet_path,
        id_column=id_column,
        scale=scale,
        scale_evidence=scale_evidence,
        id_kind=id_kind,
        id_evidence=id_evidence,
        platform_path=args.platform,
        platform_id=read.series.get("platform_id"),
        platform_evidence=platform_evidence,
        modules_path=args.modules,
        sheet=sheet,
        duplicate_headers="sheet_order" if repeated else None,
        source=os.path.basename(args.matrix),
    )
    if not args.samples:
        write_tsv(sheet, sheet_path)
        written.append(Path(sheet_path))
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(text, encoding="utf-8")
    written.append(config_path)
    print(
        f"modmap init: wrote {', '.join(map(str, written))} ({len(samples)} samples, "
        f"{len(read.values)} features, scale {scale}, IDs {id_kind}). Write your comparisons at "
        f"the end of {config_path}, then: make run CONFIG={config_path}"
    )
    return 0
