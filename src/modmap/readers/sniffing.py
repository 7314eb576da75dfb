"""What a file is, from its bytes: compression, encoding, layout and separator.

Nothing here trusts the file name. :func:`sniff` reads the first bytes of a file and says

- how it is compressed: gzip, zip (one member), bzip2 or xz by their magic bytes; a file named
  ``.gz`` that holds plain text is read as plain text and the truth is put in the notes;
- what layout it has: Parquet (``PAR1``), a GEO series matrix (``!Series_`` / ``!Sample_`` header
  lines, ``!series_matrix_table_begin``), a GenePattern GCT (first line ``#1.2`` or ``#1.3``), or a
  delimited text table;
- for delimited text, the separator: tab, comma or semicolon, chosen from the header line and the
  next lines (the one that splits the header into the most fields, among those that give the data
  lines the header's field count); quoted fields are honoured (:mod:`csv`);
- whether numbers are written with decimal commas (``1,25``), which modmap does not guess: the
  error says so and how to re-export.

Every problem is an :class:`~modmap.errors.InputError` naming the file, the line where there is
one, and the fix. The choice of libraries is stated in docs/formats.md.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import lzma
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Literal

from modmap.errors import InputError

__all__ = [
    "Compression",
    "Layout",
    "Sniffed",
    "decode_error",
    "open_binary",
    "open_text",
    "sniff",
]

Compression = Literal["gzip", "zip", "bz2", "xz"] | None
Layout = Literal["delimited", "series_matrix", "gct", "parquet"]

#: Bytes read to decide the layout and the separator (decompressed).
HEAD_BYTES = 256 * 1024
#: Data lines after the header used to choose the separator.
SNIFF_LINES = 50

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
)
_SEPARATORS = {"\t": "tab", ",": "comma", ";": "semicolon"}
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
_DECIMAL_POINT = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GCT = re.compile(r"#1\.[23]")


@dataclass(frozen=True)
class Sniffed:
    """What :func:`sniff` found.

    Attributes
    ----------
    path
        The file, as given.
    compression
        ``gzip``, ``zip``, ``bz2``, ``xz`` (from the magic bytes) or ``None``.
    layout
        ``delimited``, ``series_matrix``, ``gct`` or ``parquet``.
    separator
        ``"\\t"``, ``","`` or ``";"`` for delimited text (and ``"\\t"`` for series matrix and
        GCT); ``None`` for Parquet.
    notes
        Facts worth a log line (e.g. a ``.gz`` name on a plain-text file).
    """

    path: str
    compression: Compression
    layout: Layout
    separator: str | None
    notes: tuple[str, ...] = field(default=())

    @property
    def describe(self) -> str:
        """One phrase for logs, e.g. ``gzip-compressed tab-separated text``."""
        kind = {
            "delimited": f"{_SEPARATORS.get(self.separator or '', '?')}-separated text",
            "series_matrix": "GEO series matrix",
            "gct": "GCT",
            "parquet": "Parquet",
        }[self.layout]
        return f"{self.compression}-compressed {kind}" if self.compression else kind


def _magic(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(8)


def _compression(path: str, magic: bytes) -> Compression:
    for prefix, name in _MAGIC:
        if magic.startswith(prefix):
            return name  # type: ignore[return-value]
    return None


def _zip_member(path: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except zipfile.BadZipFile as err:
        raise InputError(
            f"{path}: the file starts like a zip archive but cannot be opened ({err}); it is "
            "probably truncated. Copy or download it again."
        ) from None
    if any(n == "[Content_Types].xml" for n in names):
        raise InputError(
            f"{path}: this is an Excel workbook (.xlsx), not a text table. Save the sheet as "
            "tab-separated text (File > Save As > Text (Tab delimited)) or CSV and point the "
            "config at that file."
        )
    if len(names) != 1:
        raise InputError(
            f"{path}: a zip archive must hold exactly one table, this one holds {len(names)} "
            f"file(s) ({', '.join(names[:5]) or 'none'}). Unzip it and point the config at the "
            "table."
        )
    return names[0]


@contextmanager
def open_binary(path: str | os.PathLike, compression: Compression) -> Iterator[IO[bytes]]:
    """Open ``path`` for reading decompressed bytes (``compression`` as :func:`sniff` found it)."""
    path = str(path)
    if compression == "gzip":
        handle: IO[bytes] = gzip.open(path, "rb")
    elif compression == "bz2":
        handle = bz2.open(path, "rb")
    elif compression == "xz":
        handle = lzma.open(path, "rb")
    elif compression == "zip":
        archive = zipfile.ZipFile(path)
        handle = archive.open(_zip_member(path))
    else:
        handle = open(path, "rb")  # noqa: SIM115
    try:
        yield handle
    finally:
        handle.close()
        if compression == "zip":
            archive.close()


@contextmanager
def open_text(path: str | os.PathLike, compression: Compression) -> Iterator[IO[str]]:
    """Open ``path`` as UTF-8 text (a byte-order mark is skipped), decompressing as needed."""
    with open_binary(path, compression) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            yield text
        finally:
            text.detach()


def _truncated(path: str, compression: Compression, err: Exception) -> InputError:
    return InputError(
        f"{path}: the {compression} stream is cut short or damaged ({err}); the file is probably "
        "truncated (an interrupted download or copy). Copy or download it again "
        f"({compression} -t checks a file)."
    )


def _read_head(path: str, compression: Compression) -> tuple[bytes, bool]:
    """The first :data:`HEAD_BYTES` decompressed bytes and whether that is the whole file."""
    try:
        with open_binary(path, compression) as handle:
            head = handle.read(HEAD_BYTES)
            complete = len(head) < HEAD_BYTES or handle.read(1) == b""
    except (EOFError, zlib.error, OSError, lzma.LZMAError) as err:
        if isinstance(err, FileNotFoundError | PermissionError | IsADirectoryError):
            raise
        raise _truncated(path, compression, err) from None
    return head, complete


def decode_error(path: str, data: bytes, err: UnicodeDecodeError, *, first_line: int = 1) -> str:
    """Message for bytes of ``data`` that are not UTF-8: the line, the byte and the fix."""
    before = data[: err.start]
    line = first_line + before.count(b"\n")
    column = err.start - (before.rfind(b"\n") + 1) + 1
    byte = data[err.start : err.start + 1].hex().upper()
    return (
        f"{path} line {line}, character {column}: byte 0x{byte} is not UTF-8 text (the file "
        "is probably Latin-1 or Windows-1252, e.g. an accented character saved by Excel). Save "
        "the file as UTF-8 (in Excel: CSV UTF-8 or Unicode text; or iconv -f latin1 -t utf-8)."
    )


def _decode(path: str, head: bytes, complete: bool) -> str:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        return decoder.decode(head, final=complete)
    except UnicodeDecodeError as err:
        # The incremental decoder counts from the start of ``head`` (after a BOM, 3 bytes).
        offset = 3 if head.startswith(codecs.BOM_UTF8) else 0
        err = UnicodeDecodeError(
            err.encoding, head, err.start + offset, err.end + offset, err.reason
        )
        raise InputError(decode_error(path, head, err)) from None


def _split_lines(text: str, complete: bool) -> list[str]:
    lines = text.splitlines()
    if not complete and lines and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line was cut by the head size
    return lines


def _fields(line: str, separator: str) -> list[str]:
    return next(csv.reader([line], delimiter=separator, quotechar='"'), [])


def _choose_separator(path: str, lines: list[str]) -> str:
    content = [line for line in lines if line.strip() and not line.startswith("#")]
    if not content:
        return "\t"
    header, data = content[0], content[1 : 1 + SNIFF_LINES]
    best, best_score = "\t", None
    for sep in _SEPARATORS:
        n_header = len(_fields(header, sep))
        counts = [len(_fields(line, sep)) for line in data]
        agree = sum(c in (n_header, n_header + 1) for c in counts) / len(counts) if counts else 1.0
        score = (n_header >= 2, agree, n_header)
        if best_score is None or score > best_score:
            best, best_score = sep, score
    return best


def _check_decimal_commas(path: str, lines: list[str], separator: str, *, what: str) -> None:
    if separator == ",":  # "1,5" in a CSV is two fields or a quoted cell, never a number
        return
    content = [line for line in lines if line.strip() and not line.startswith("#")]
    comma_cell, points = None, 0
    for number, line in enumerate(content[1 : 1 + SNIFF_LINES], start=2):
        for col, cell in enumerate(_fields(line, separator)[1:], start=2):
            cell = cell.strip()
            if _DECIMAL_POINT.fullmatch(cell):
                points += 1
            elif comma_cell is None and _DECIMAL_COMMA.fullmatch(cell):
                comma_cell = (number, col, cell)
    if comma_cell is not None and points == 0:
        number, col, cell = comma_cell
        raise InputError(
            f"{path} line {number}, column {col}: {cell!r} is written with a decimal comma "
            f"({_SEPARATORS[separator]}-separated {what}); modmap reads '.' as the decimal mark "
            "and does not guess (1,500 could be one and a half or fifteen hundred). Re-export the "
            "table with '.' decimals (e.g. in R write.table(..., dec = '.'), or in a spreadsheet "
            "set the decimal separator to '.' before saving)."
        )


def sniff(path: str | os.PathLike, *, what: str = "table", numeric: bool = False) -> Sniffed:
    """Find out how ``path`` is compressed, laid out and separated, from its content.

    Parameters
    ----------
    path
        The file.
    what
        What the file should be (``expression matrix``, ``sample sheet``), for messages.
    numeric
        The cells after the first column are numbers (a matrix): reject decimal commas.

    Returns
    -------
    Sniffed
        Compression, layout, separator and notes.

    Raises
    ------
    InputError
        An empty (0-byte) file, a truncated or damaged compressed file, a zip archive that does
        not hold exactly one table (or is an Excel workbook), text that is not UTF-8 (with the
        line), numbers with decimal commas (with the line and column).
    """
    path = str(path)
    if os.path.getsize(path) == 0:
        raise InputError(
            f"{path}: the {what} file is empty (0 bytes). Point the config at the right file, or "
            "export the table again (an interrupted copy or download leaves an empty file)."
        )
    magic = _magic(path)
    notes: list[str] = []
    if magic.startswith(b"PAR1"):
        return Sniffed(path, None, "parquet", None)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{path}: this is an Excel workbook (.xls), not a text table. Save the sheet as "
            "tab-separated text or CSV and point the config at that file."
        )
    compression = _compression(path, magic)
    if compression == "zip":
        _zip_member(path)
    suffix = path.lower().rsplit(".", 1)[-1]
    expected = {"gz": "gzip", "zip": "zip", "bz2": "bz2", "xz": "xz"}.get(suffix)
    if expected and compression != expected:
        notes.append(
            f"{path}: named .{suffix} but the content is "
            f"{'plain text' if compression is None else compression + '-compressed'}; "
            "read as what it is."
        )
    head, complete = _read_head(path, compression)
    if not head.strip():
        raise InputError(
            f"{path}: the {what} file holds no text (only blank lines"
            f"{' after decompression' if compression else ''}). Point the config at the right "
            "file or export the table again."
        )
    if compression is None and b"\x00" in head[:4096]:
        raise InputError(
            f"{path}: the {what} file is binary, not a text table (NUL bytes in its first "
            "kilobytes). Give a TSV/CSV (optionally gzipped), a GEO series matrix, a GCT or a "
            "Parquet file."
        )
    lines = _split_lines(_decode(path, head, complete), complete)
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith(("^DATABASE", "^SERIES", "^PLATFORM", "^SAMPLE")):
        raise InputError(
            f"{path}: this is a GEO SOFT file, not a table. For a series, download its series "
            "matrix (GSExxx_series_matrix.txt.gz, GEO's 'Series Matrix File(s)' link) and give "
            "that; a platform SOFT file belongs in bridge.source / bridge.target."
        )
    if first.startswith(("!Series_", "!Sample_", "!series_matrix_table_begin")):
        return Sniffed(path, compression, "series_matrix", "\t", tuple(notes))
    if _GCT.fullmatch(first.split("\t")[0].strip()):
        return Sniffed(path, compression, "gct", "\t", tuple(notes))
    separator = _choose_separator(path, lines)
    if numeric:
        _check_decimal_commas(path, lines, separator, what=what)
    return Sniffed(path, compression, "delimited", separator, tuple(notes))
