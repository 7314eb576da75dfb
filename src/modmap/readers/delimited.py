"""Delimited text tables (TSV, CSV, semicolon-separated), once :func:`~.sniffing.sniff` has
found the compression and the separator.

Matrices are parsed by pandas' C parser (fast, and the same parsing of numbers and missing values
as before: empty, ``NA``, ``NaN``, ``null`` ... are missing); sample sheets, which are small, by
the :mod:`csv` module line by line, so that every row is checked to have exactly the header's
number of fields (a row cut short is rejected with its line number instead of silently giving
empty cells).
"""

from __future__ import annotations

import csv
import lzma
import re
import zlib

import pandas as pd

from modmap.errors import InputError
from modmap.readers.sniffing import Sniffed, decode_error, open_binary, open_text

__all__ = [
    "EXACT_FLOATS",
    "check_fields",
    "find_decode_error",
    "parse_error",
    "read_header_line",
    "read_sheet",
    "read_tab_rows",
]

#: ``pandas.read_csv`` keywords that parse every decimal to the double Python's ``float()`` gives:
#: pandas >= 3 does by default (and deprecates ``float_precision``); the default parser of
#: pandas 2 can be one bit off (even on ``repr`` output), ``round_trip`` is not.
EXACT_FLOATS: dict[str, str] = (
    {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}
)
_PANDAS_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_COMPRESSION_ERRORS = (EOFError, zlib.error, lzma.LZMAError)


def read_tab_rows(handle) -> pd.DataFrame:
    """The rest of an open text handle as tab-separated rows without a header line.

    The first field of each row is its name (the index, kept as text), the other fields are the
    values, parsed as exact doubles (:data:`EXACT_FLOATS`). No rows left: an empty frame. The
    caller turns parser errors into messages (it knows the file's first line number).
    """
    try:
        return pd.read_csv(
            handle,
            sep="\t",
            header=None,
            index_col=0,
            dtype={0: str},
            low_memory=False,
            **EXACT_FLOATS,
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame(index=pd.Index([], dtype=object))


def find_decode_error(sniffed: Sniffed) -> str:
    """Scan the file line by line for the first bytes that are not UTF-8 and describe them."""
    with open_binary(sniffed.path, sniffed.compression) as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                return decode_error(sniffed.path, line, err, first_line=number)
    return f"{sniffed.path}: the file is not UTF-8 text. Save it as UTF-8."


def truncated(sniffed: Sniffed, err: Exception) -> InputError:
    """Error for a compressed file whose stream ends early or is damaged."""
    return InputError(
        f"{sniffed.path}: the {sniffed.compression} stream is cut short or damaged ({err}); the "
        "file is probably truncated (an interrupted download or copy). Copy or download it again."
    )


def parse_error(sniffed: Sniffed, err: Exception, *, what: str, first_line: int = 1) -> InputError:
    """One line for a pandas ``ParserError`` (a row with more fields than the header)."""
    found = _PANDAS_FIELDS.search(str(err))
    if found:
        expected, line, saw = (int(g) for g in found.groups())
        return InputError(
            f"{sniffed.path} line {line + first_line - 1}: {saw} fields where the header has "
            f"{expected} ({sniffed.describe}); a value holds an extra separator or the row has an "
            f"extra field. Fix that row of the {what} (quote values that contain the separator)."
        )
    return InputError(
        f"{sniffed.path}: cannot parse the {what} as {sniffed.describe} ({err}). Check the "
        "separator and the quoting of that line."
    )


def read_header_line(sniffed: Sniffed) -> list[str]:
    """The fields of the first non-blank line, exactly as written (quotes removed)."""
    with open_text(sniffed.path, sniffed.compression) as handle:
        for line in handle:
            if line.strip():
                return [
                    f.strip() for f in next(csv.reader([line], delimiter=sniffed.separator or "\t"))
                ]
    return []


def check_fields(
    rows: list[tuple[int, list[str]]], header: list[str], *, path: str, what: str
) -> None:
    """Reject rows whose field count differs from the header's, with the line number."""
    n = len(header)
    for number, row in rows:
        if len(row) == n:
            continue
        if len(row) < n:
            raise InputError(
                f"{path} line {number}: {len(row)} of the header's {n} fields; the row is cut "
                f"short (column {header[len(row)]!r} onwards missing), so this sample would be "
                f"left out of its comparisons. Complete the row of the {what} (an empty value "
                "still needs its separator)."
            )
        raise InputError(
            f"{path} line {number}: {len(row)} fields where the header has {n}; a value holds "
            f"an extra separator or the row has an extra field. Fix that row of the {what} "
            "(quote values that contain the separator)."
        )


def read_sheet(sniffed: Sniffed, *, what: str = "sample sheet") -> pd.DataFrame:
    """Read a delimited sample sheet: every cell as text, empty cells as ``""``.

    Blank lines are skipped; every other row must have exactly the header's number of fields.
    Duplicated column names are an error; an empty column name becomes ``Unnamed: <i>`` (as
    pandas names it), so a trailing separator on every line is harmless.
    """
    try:
        with open_text(sniffed.path, sniffed.compression) as handle:
            reader = csv.reader(handle, delimiter=sniffed.separator or "\t", quotechar='"')
            rows = [(reader.line_num, row) for row in reader if row]
    except UnicodeDecodeError:
        raise InputError(find_decode_error(sniffed)) from None
    except _COMPRESSION_ERRORS as err:
        raise truncated(sniffed, err) from None
    except csv.Error as err:
        raise InputError(f"{sniffed.path}: cannot parse the {what} ({err}).") from None
    if not rows:
        raise InputError(f"{sniffed.path}: the {what} holds no header line.")
    (_, header), body = rows[0], rows[1:]
    header = [h if h != "" else f"Unnamed: {i}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    for pos, name in enumerate(header, start=1):
        if name in seen:
            raise InputError(
                f"{sniffed.path} line {rows[0][0]}: column {name!r} appears twice in the header "
                f"(columns {seen[name]} and {pos}). Rename or delete one of them."
            )
        seen[name] = pos
    check_fields(body, header, path=sniffed.path, what=what)
    return pd.DataFrame([row for _, row in body], columns=header, dtype=object).astype(str)
