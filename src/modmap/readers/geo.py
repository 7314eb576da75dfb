"""GEO series matrix files (``GSExxxx_series_matrix.txt.gz``, as GEO serves them).

A series matrix is a block of ``!Series_*`` and ``!Sample_*`` header lines (tab-separated, every
value in double quotes, one value per sample on ``!Sample_*`` lines), then the expression table
between ``!series_matrix_table_begin`` and ``!series_matrix_table_end`` (``ID_REF`` and one column
per GSM accession). :func:`read_series_samples` turns the ``!Sample_*`` lines into a sample table;
:func:`read_series_matrix` also reads the table (pandas' C parser, from the line after the begin
marker).

Sample table columns: ``geo_accession``, ``title``, ``source_name`` (``!Sample_source_name_ch1``),
then one column per key of the ``!Sample_characteristics_ch1`` lines. GEO writes characteristics as
``key: value``; the key becomes the column name in lower case with every run of characters other
than letters and digits replaced by ``_`` (``disease state`` -> ``disease_state``). A value without
``key:`` goes to ``characteristics_<n>`` (n = the line's rank among the characteristics lines). A
key met twice for one sample keeps both values joined by ``"; "``.
"""

from __future__ import annotations

import csv
import lzma
import re
import zlib
from dataclasses import dataclass, field

import pandas as pd

from modmap.errors import InputError
from modmap.readers.delimited import find_decode_error, parse_error, read_tab_rows, truncated
from modmap.readers.sniffing import Sniffed, open_text

__all__ = ["SeriesMatrix", "column_name", "read_series_matrix", "read_series_samples"]

BEGIN = "!series_matrix_table_begin"
END = "!series_matrix_table_end"
_FIXED = {
    "!Sample_geo_accession": "geo_accession",
    "!Sample_title": "title",
    "!Sample_source_name_ch1": "source_name",
}
_CHARACTERISTICS = "!Sample_characteristics_ch1"


@dataclass
class SeriesMatrix:
    """A parsed series matrix.

    Attributes
    ----------
    values
        Features x samples as read (index = ``ID_REF`` values as text, columns = the table's
        header, normally GSM accessions; numbers as pandas parses them).
    header
        The table's header line (``ID_REF`` first).
    first_line
        Line of the file holding the first table row (for messages).
    samples
        The sample table (see the module docstring), every cell text.
    series
        ``!Series_*`` fields (key without ``!Series_``) -> their values joined by ``"; "``.
    notes
        Facts for the log.
    """

    values: pd.DataFrame
    header: list[str]
    first_line: int
    samples: pd.DataFrame
    series: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def column_name(key: str) -> str:
    """Column name of a characteristics key (``Disease State`` -> ``disease_state``)."""
    return re.sub(r"[^0-9a-z]+", "_", key.strip().lower()).strip("_")


def _split(line: str) -> list[str]:
    return next(csv.reader([line.rstrip("\r\n")], delimiter="\t", quotechar='"'), [])


def _read_header_block(sniffed: Sniffed, handle) -> tuple[list[tuple[int, list[str]]], int | None]:
    lines: list[tuple[int, list[str]]] = []
    number = 0
    while True:
        line = handle.readline()
        if not line:
            return lines, None
        number += 1
        if line.startswith(BEGIN):
            return lines, number
        if line.startswith("!"):
            lines.append((number, _split(line)))


def _sample_table(path: str, lines: list[tuple[int, list[str]]]) -> pd.DataFrame:
    by_key = {fields[0]: (number, fields[1:]) for number, fields in reversed(lines)}
    if "!Sample_geo_accession" not in by_key:
        raise InputError(
            f"{path}: no !Sample_geo_accession line among the series matrix header lines, so the "
            "samples cannot be named. Download the series matrix again from GEO."
        )
    ids = by_key["!Sample_geo_accession"][1]
    n = len(ids)
    columns: dict[str, list[str]] = {}
    for key, name in _FIXED.items():
        if key in by_key:
            columns[name] = by_key[key][1]
    rank = 0
    for number, fields in lines:
        if fields[0] != _CHARACTERISTICS:
            continue
        rank += 1
        values = fields[1:]
        if len(values) != n:
            raise InputError(
                f"{path} line {number}: {len(values)} values on {_CHARACTERISTICS} for {n} "
                "samples; the file is damaged. Download it again from GEO."
            )
        for i, cell in enumerate(values):
            cell = cell.strip()
            if not cell:
                continue
            key, sep, value = cell.partition(":")
            name = column_name(key) if sep and column_name(key) else f"characteristics_{rank}"
            value = value.strip() if sep and column_name(key) else cell
            if name in _FIXED.values():
                name = f"characteristics_{name}"
            column = columns.setdefault(name, [""] * n)
            column[i] = f"{column[i]}; {value}" if column[i] else value
    for name, values in columns.items():
        if len(values) != n:
            key = next(k for k, v in _FIXED.items() if v == name)
            raise InputError(
                f"{path} line {by_key[key][0]}: {len(values)} values on {key} for {n} samples; "
                "the file is damaged. Download it again from GEO."
            )
    return pd.DataFrame(columns, dtype=object).astype(str)


def _series(lines: list[tuple[int, list[str]]]) -> dict[str, str]:
    series: dict[str, str] = {}
    for _, fields in lines:
        if fields[0].startswith("!Series_"):
            key = fields[0].removeprefix("!Series_")
            value = "; ".join(v for v in fields[1:] if v)
            series[key] = f"{series[key]}; {value}" if key in series else value
    return series


def read_series_samples(sniffed: Sniffed) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read only the header lines: the sample table and the ``!Series_*`` fields."""
    try:
        with open_text(sniffed.path, sniffed.compression) as handle:
            lines, _ = _read_header_block(sniffed, handle)
    except UnicodeDecodeError:
        raise InputError(find_decode_error(sniffed)) from None
    except (EOFError, OSError, zlib.error, lzma.LZMAError) as err:
        raise truncated(sniffed, err) from None
    return _sample_table(sniffed.path, lines), _series(lines)


def read_series_matrix(sniffed: Sniffed) -> SeriesMatrix:
    """Read a series matrix: the expression table, the sample table and the series fields.

    Raises
    ------
    InputError
        No ``!series_matrix_table_begin`` or ``!series_matrix_table_end`` line (a truncated
        file), rows with more fields than the header, text that is not UTF-8, a damaged gzip
        stream, sample lines whose value count does not match the samples.
    """
    path = sniffed.path
    try:
        with open_text(path, sniffed.compression) as handle:
            lines, begin = _read_header_block(sniffed, handle)
            if begin is None:
                raise InputError(
                    f"{path}: no {BEGIN} line: this series matrix has no expression table (or "
                    "is cut short). Download it again from GEO, or give the table itself."
                )
            header_line = handle.readline()
            header = [h.strip() for h in _split(header_line)]
            values = read_tab_rows(handle)
    except UnicodeDecodeError:
        raise InputError(find_decode_error(sniffed)) from None
    except (EOFError, OSError, zlib.error, lzma.LZMAError) as err:
        raise truncated(sniffed, err) from None
    except pd.errors.ParserError as err:
        raise parse_error(sniffed, err, what="series matrix", first_line=begin + 2) from None
    ends = [i for i, name in enumerate(values.index) if name == END]
    if not ends:
        raise InputError(
            f"{path}: no {END} line after the table: the file is cut short (an interrupted "
            "download). Download it again from GEO."
        )
    values = values.iloc[: ends[0]]
    if values.shape[1] > len(header) - 1:
        raise InputError(
            f"{path} line {begin + 2}: {values.shape[1] + 1} fields where the table header (line "
            f"{begin + 1}) has {len(header)}. Fix the header or that row."
        )
    values = values.reindex(columns=range(1, len(header)))
    values.columns = header[1:]
    values.index.name = header[0] if header else "ID_REF"
    return SeriesMatrix(
        values=values,
        header=header,
        first_line=begin + 2,
        samples=_sample_table(path, lines),
        series=_series(lines),
        notes=list(sniffed.notes),
    )
