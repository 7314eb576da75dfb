"""Readers that go by a file's content, not its name.

:func:`read_matrix` reads an expression matrix and :func:`read_sheet` a sample sheet from any of

- delimited text: tab-, comma- or semicolon-separated, the separator sniffed from the content
  (:mod:`.sniffing`), optionally gzip / zip / bzip2 / xz compressed (magic bytes, whatever the
  name); a plain or gzipped matrix of numbers is parsed by pyarrow (:mod:`.fast_text`), anything
  else by pandas;
- a GEO series matrix (:mod:`.geo`): the table between ``!series_matrix_table_begin`` and
  ``!series_matrix_table_end``; as a sample sheet, its ``!Sample_*`` lines;
- a GCT 1.2 / 1.3 file (:mod:`.gct`); as a sample sheet, the column annotations of a 1.3 file;
- Parquet (:mod:`.parquet`).

Every problem with a file is one :class:`~modmap.errors.InputError` naming the file, the line where
there is one, and the fix. docs/formats.md describes the formats and the library choices.
"""

from __future__ import annotations

import lzma
import os
import zlib
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from modmap.errors import InputError
from modmap.readers.delimited import (
    EXACT_FLOATS,
    find_decode_error,
    parse_error,
    read_header_line,
    truncated,
)
from modmap.readers.delimited import read_sheet as _read_delimited_sheet
from modmap.readers.fast_text import read_numeric_text
from modmap.readers.gct import read_gct
from modmap.readers.geo import read_series_matrix, read_series_samples
from modmap.readers.parquet import read_parquet_matrix, read_parquet_sheet
from modmap.readers.sniffing import Sniffed, sniff

#: How delimited text is parsed (:func:`read_matrix`).
Engine = Literal["auto", "pandas"]

__all__ = [
    "Engine",
    "MatrixFile",
    "Sniffed",
    "read_matrix",
    "read_matrix_header",
    "read_sheet",
    "sniff",
]


@dataclass
class MatrixFile:
    """An expression matrix as read, before any check.

    Attributes
    ----------
    values
        Features x samples: index = the feature IDs of the first column as text (missing IDs are
        NaN), columns = the sample headers exactly as written (a repeated header stays repeated),
        cells as pandas parses them (numbers, or text where a cell is not a number).
    header
        The ID column's name, then the sample headers, as written.
    kind
        What the file is, in words (e.g. ``gzip-compressed tab-separated text``).
    first_line
        Line of the file holding the first feature row (for messages); ``None`` for Parquet.
    samples
        Sample annotations carried by the file (GEO ``!Sample_*`` lines, GCT 1.3 column
        annotations), every cell text; ``None`` when the file has none.
    series
        ``!Series_*`` fields of a GEO series matrix (e.g. ``platform_id``), else empty.
    notes
        Facts for the log (e.g. a ``.gz`` name on a plain-text file).
    """

    values: pd.DataFrame
    header: list[str]
    kind: str
    first_line: int | None
    samples: pd.DataFrame | None = None
    series: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _read_delimited_matrix(sniffed: Sniffed, *, engine: Engine, threads: int) -> MatrixFile:
    header = read_header_line(sniffed)
    # None unless plain numbers (see .fast_text): then pandas parses, with its messages
    fast = read_numeric_text(sniffed, header, threads=threads) if engine == "auto" else None
    if fast is not None:
        return MatrixFile(
            values=fast,
            header=header,
            kind=sniffed.describe,
            first_line=2,
            notes=list(sniffed.notes),
        )
    compression = sniffed.compression
    try:
        values = pd.read_csv(
            sniffed.path,
            sep=sniffed.separator,
            index_col=0,
            dtype={0: str},
            low_memory=False,
            encoding="utf-8",
            compression={"method": compression} if compression else None,
            **EXACT_FLOATS,
        )
    except UnicodeDecodeError:
        raise InputError(find_decode_error(sniffed)) from None
    except (EOFError, zlib.error, lzma.LZMAError) as err:
        raise truncated(sniffed, err) from None
    except pd.errors.ParserError as err:
        raise parse_error(sniffed, err, what="expression matrix") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{sniffed.path}: the expression matrix holds no header line.") from None
    if len(header) == values.shape[1]:  # R's write.table: no name over the row names
        header = ["", *header]
    if len(header) != values.shape[1] + 1:
        raise InputError(
            f"{sniffed.path} line 1: the header has {len(header)} fields, the rows "
            f"{values.shape[1] + 1}. Fix the header of the expression matrix."
        )
    values.columns = header[1:]
    values.index.name = header[0]
    return MatrixFile(
        values=values,
        header=header,
        kind=sniffed.describe,
        first_line=2,
        notes=list(sniffed.notes),
    )


def read_matrix(
    path: str | os.PathLike, *, engine: Engine = "auto", threads: int = 1
) -> MatrixFile:
    """Read an expression matrix of any supported format (see the module docstring).

    Parameters
    ----------
    path
        The file. Its name is not used to decide anything.
    engine
        Delimited text only: ``auto`` (default) parses a plain or gzipped table of numbers with
        pyarrow (:mod:`.fast_text`) and anything else with pandas; ``pandas`` always uses pandas
        (the reference the fast path is tested against). Both give equal frames.
    threads
        Threads for the fast path's parse of a large plain file (:mod:`.fast_text`); the values
        do not depend on it.

    Returns
    -------
    MatrixFile
        The values as read, the exact header, what the file is, and any sample annotations.

    Raises
    ------
    InputError
        Empty, truncated, non-UTF-8, decimal-comma, ragged (extra field) or otherwise unreadable
        files, with the file, the line and the fix.
    """
    sniffed = sniff(path, what="expression matrix", numeric=True)
    if sniffed.layout == "series_matrix":
        series = read_series_matrix(sniffed)
        return MatrixFile(
            values=series.values,
            header=series.header,
            kind=sniffed.describe,
            first_line=series.first_line,
            samples=series.samples,
            series=series.series,
            notes=series.notes,
        )
    if sniffed.layout == "gct":
        gct = read_gct(sniffed)
        return MatrixFile(
            values=gct.values,
            header=gct.header,
            kind=f"{sniffed.describe} {gct.version}",
            first_line=gct.first_line,
            samples=gct.samples,
            notes=gct.notes,
        )
    if sniffed.layout == "parquet":
        values, header = read_parquet_matrix(sniffed)
        return MatrixFile(values=values, header=header, kind=sniffed.describe, first_line=None)
    return _read_delimited_matrix(sniffed, engine=engine, threads=threads)


def read_matrix_header(path: str | os.PathLike) -> list[str]:
    """The ID column's name and the sample headers of a matrix, exactly as written.

    Delimited text is read only up to its first line; other layouts are parsed.
    """
    sniffed = sniff(path, what="expression matrix")
    if sniffed.layout == "delimited":
        return read_header_line(sniffed)
    return read_matrix(path).header


def read_sheet(path: str | os.PathLike) -> pd.DataFrame:
    """Read a sample sheet of any supported format, every cell as text (empty cells ``""``).

    Delimited text: every row must have the header's number of fields (a short row is rejected
    with its line number). A GEO series matrix gives its sample table (``geo_accession``,
    ``title``, ``source_name``, characteristics; see :mod:`modmap.readers.geo`), a GCT 1.3 file
    its column annotations (``id`` first), Parquet its columns.

    Raises
    ------
    InputError
        As :func:`read_matrix`, plus short rows, repeated column names, a GCT without column
        annotations.
    """
    sniffed = sniff(path, what="sample sheet")
    if sniffed.layout == "series_matrix":
        return read_series_samples(sniffed)[0]
    if sniffed.layout == "gct":
        samples = read_gct(sniffed).samples
        if samples is None:
            raise InputError(
                f"{sniffed.path}: this GCT file carries no sample annotations (GCT 1.2, or 1.3 "
                "with none), so it cannot be the sample sheet. Give a TSV/CSV sample sheet."
            )
        return samples
    if sniffed.layout == "parquet":
        return read_parquet_sheet(sniffed)
    return _read_delimited_sheet(sniffed)
