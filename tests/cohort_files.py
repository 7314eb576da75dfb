"""Writers of public file formats for tests, written from the formats' documentation (not from
modmap's readers): GEO series matrix, GCT 1.2 / 1.3, CSV.

GEO series matrix (https://www.ncbi.nlm.nih.gov/geo/info/matrix.html): ``!Series_*`` and
``!Sample_*`` lines, tab-separated, every value in double quotes; then the table between
``!series_matrix_table_begin`` and ``!series_matrix_table_end`` with ``"ID_REF"`` and quoted GSM
accessions in the header and quoted feature IDs. GCT
(https://software.broadinstitute.org/cancer/software/gsea/wiki/index.php/Data_formats): ``#1.2``,
dimensions, ``Name Description samples...``; 1.3 adds row/column annotation counts and lines.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd


def _q(values) -> str:
    return "\t".join(f'"{v}"' for v in values)


def write_series_matrix(
    matrix: pd.DataFrame,
    characteristics: pd.DataFrame,
    path: Path,
    *,
    titles: list[str] | None = None,
    platform: str = "GPL6106",
    accession: str = "GSE13015",
) -> Path:
    """A gzipped GEO series matrix: ``characteristics`` (one row per matrix column, in order)
    become ``!Sample_characteristics_ch1`` lines of ``key: value``, one line per column."""
    samples = list(matrix.columns)
    lines = [
        '!Series_title\t"Test series"',
        f'!Series_geo_accession\t"{accession}"',
        f'!Series_platform_id\t"{platform}"',
        "",
        f"!Sample_title\t{_q(titles or samples)}",
        f"!Sample_geo_accession\t{_q(samples)}",
        f"!Sample_source_name_ch1\t{_q(['whole blood'] * len(samples))}",
        f"!Sample_organism_ch1\t{_q(['Homo sapiens'] * len(samples))}",
    ]
    for column in characteristics.columns:
        cells = [f"{column}: {v.strip()}" for v in characteristics[column]]
        lines.append(f"!Sample_characteristics_ch1\t{_q(cells)}")
    lines.append(f"!Sample_platform_id\t{_q([platform] * len(samples))}")
    lines.append("!series_matrix_table_begin")
    lines.append(_q(["ID_REF", *samples]))
    body = matrix.copy()
    body.index = [f'"{i}"' for i in body.index]
    table = body.to_csv(sep="\t", header=False, quoting=3)  # csv.QUOTE_NONE
    text = "\n".join(lines) + "\n" + table + "!series_matrix_table_end\n"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(text)
    return path


def write_gct(matrix: pd.DataFrame, path: Path, *, version: str = "1.2", annotations=None) -> Path:
    """A GCT file; 1.3 with one row annotation (``symbol``) and the column ``annotations``."""
    n, m = matrix.shape
    if version == "1.2":
        head = ["#1.2", f"{n}\t{m}", "\t".join(["Name", "Description", *matrix.columns])]
        body = matrix.copy()
        body.insert(0, "Description", "na")
    else:
        annotations = annotations if annotations is not None else pd.DataFrame(index=matrix.columns)
        head = [
            "#1.3",
            f"{n}\t{m}\t1\t{annotations.shape[1]}",
            "\t".join(["id", "symbol", *matrix.columns]),
        ]
        for column in annotations.columns:
            head.append("\t".join([column, "na", *annotations[column].astype(str)]))
        body = matrix.copy()
        body.insert(0, "symbol", list(matrix.index))
    path.write_text("\n".join(head) + "\n" + body.to_csv(sep="\t", header=False))
    return path
