"""Fast path for the common matrix: plain or gzip-compressed delimited text of numbers.

:func:`read_numeric_text` parses the file with ``pyarrow.csv`` (multi-threaded, streaming) straight
into one column-major float64 array, so the matrix is held once (plus a few parse blocks) instead
of pandas' parse buffers, its frame and the copies made from it. It only answers when the file
is exactly what pandas would read into a frame of finite floats and missing values; in every
other case it returns ``None`` and :func:`modmap.readers.read_matrix` parses the file with
pandas as before, so every message about a bad file (a text cell, a ragged row, an infinite
value, bytes that are not UTF-8 ...) is the one the pandas path gives. It declines:

- other compressions (zip, bzip2, xz) and a first line that is blank or not the header;
- a row whose field count differs from the header's (pyarrow raises; pandas fills a short row
  with missing values and reads a header one field short, R's ``write.table``, as row names);
- any cell after the first column that is not a number, a missing-value token or empty (pandas
  would give that column a text or boolean dtype);
- any infinite value, or a NaN written other than as one of pandas' missing-value tokens
  (e.g. ``inf``, ``+nan``): the pandas path gives those their messages;
- an ID column that is not valid UTF-8;
- a file with a header and no rows.

With ``threads`` > 1, a plain (uncompressed) file of at least :data:`SPLIT_MIN_BYTES` after its
header is cut at line ends into ``threads`` byte ranges of about equal size, each parsed by its
own pyarrow reader on its own thread (pyarrow parses without holding the GIL) into its own rows
of the one output array: the same parser on the same lines, so the same values, about
``threads`` times faster. Anything that could make the parts disagree with one serial parse (a
cut inside a quoted field, i.e. after an odd number of quote characters, where a line end may be
part of a field; a blank line, which leaves a part with fewer rows than lines; any part that
declines) parses the file again in one stream.

Numbers are parsed by Arrow's correctly rounded parser (the same double as Python's ``float()``
gives for every decimal string; pandas' C parser agrees, checked by tests/test_readers_fast.py
on tricky decimals); missing values are pandas' default tokens (``""``, ``NA``, ``NaN``,
``null`` ...; ``pandas._libs.parsers.STR_NA_VALUES``) in every column, the ID column included.
"""

from __future__ import annotations

import gzip
import io
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from modmap.readers.sniffing import Sniffed

__all__ = ["BLOCK_BYTES", "SPLIT_MIN_BYTES", "read_numeric_text"]

#: Bytes of text per parsed block: large enough that the per-block overhead (one copy per column)
#: stays small, small enough that the blocks in flight stay far below the matrix.
BLOCK_BYTES = 4 << 20

#: Smallest plain file (bytes after the header) cut into parts parsed on parallel threads; below
#: it one stream is as fast as the threads' start-up.
SPLIT_MIN_BYTES = 16 << 20

#: Bytes read at a time by the passes that count lines and quote characters.
_SCAN_BYTES = 16 << 20

try:  # pandas' default missing-value tokens; without them the fast path cannot match pandas
    from pandas._libs.parsers import STR_NA_VALUES as _NA_VALUES
except ImportError:  # pragma: no cover - a pandas without the constant: always the pandas path
    _NA_VALUES = None

#: The dtype pandas gives a text column read with ``dtype=str``: ``str`` with pandas >= 3,
#: ``object`` before.
_ID_DTYPE = pd.Series(["a"]).dtype


def _line_count(sniffed: Sniffed) -> int:
    """Newlines in the (decompressed) file: an upper bound on its rows after the header."""
    opener = gzip.open if sniffed.compression == "gzip" else open
    count = 0
    with opener(sniffed.path, "rb") as handle:
        for block in iter(lambda: handle.read(_SCAN_BYTES), b""):
            count += block.count(b"\n")
    return count + 1


def _first_line_is_header(sniffed: Sniffed) -> bool:
    opener = gzip.open if sniffed.compression == "gzip" else open
    with opener(sniffed.path, "rb") as handle:
        first = handle.readline()
    return bool(first.strip())


class _Scan(NamedTuple):
    """One pass over a plain file: where its lines end and where its quote characters are."""

    size: int
    ends: np.ndarray  # offset of every line end (rows are few: a small array)
    blocks: np.ndarray  # start offset of each block read
    quotes_before: np.ndarray  # quote characters before each block (one more entry: the total)


def _scan(path: str) -> _Scan:
    """Line ends and quote counts of a plain file, in one pass."""
    ends, blocks, quotes = [], [], [0]
    with open(path, "rb") as handle:
        offset = 0
        for block in iter(lambda: handle.read(_SCAN_BYTES), b""):
            ends.append(np.flatnonzero(np.frombuffer(block, np.uint8) == 10) + offset)
            blocks.append(offset)
            quotes.append(quotes[-1] + block.count(b'"'))
            offset += len(block)
    return _Scan(
        offset,
        np.concatenate(ends) if ends else np.empty(0, np.int64),
        np.asarray(blocks, dtype=np.int64),
        np.asarray(quotes, dtype=np.int64),
    )


def _split_points(path: str, scan: _Scan, parts: int) -> tuple[list[int], list[int]] | None:
    """Byte offsets cutting the rows of a plain file into ``parts`` ranges at line ends, and the
    lines of each range; ``None`` when the file must be parsed in one stream (a header-only or
    small file, or a cut that would fall inside a quoted field)."""
    size, ends = scan.size, scan.ends
    if ends.size == 0:
        return None
    start = int(ends[0]) + 1  # first byte after the header line
    if size - start < SPLIT_MIN_BYTES:
        return None
    cuts = [start]
    for k in range(1, parts):
        target = start + (size - start) * k // parts
        i = int(np.searchsorted(ends, target))  # first line end at or after the target
        if i >= ends.size or int(ends[i]) + 1 >= size:
            break
        cut = int(ends[i]) + 1
        if cut > cuts[-1]:
            cuts.append(cut)
    cuts.append(size)
    if len(cuts) < 3 or not _outside_quotes(path, scan, cuts[1:-1], start):
        return None
    lines = []
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        n = int(np.count_nonzero((ends >= a) & (ends < b)))
        lines.append(n + (1 if b == size and ends[-1] != size - 1 else 0))
    return cuts, lines


class _FileRange(io.RawIOBase):
    """Bytes ``start`` to ``stop`` of a file, as a readable binary stream."""

    def __init__(self, path: str, start: int, stop: int) -> None:
        super().__init__()
        self._handle = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close()
        self._handle.seek(start)
        self._left = stop - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self._left)
        if n <= 0:
            return 0
        got = self._handle.readinto(memoryview(buffer)[:n])
        self._left -= got
        return got

    def close(self) -> None:
        self._handle.close()
        super().close()


def _outside_quotes(path: str, scan: _Scan, cuts: list[int], start: int) -> bool:
    """Whether every cut lies outside quoted fields: an even number of quote characters between
    the first row and the cut (a doubled quote inside a field counts two, keeping the parity).
    The scan's counts per block give the full blocks; only the block holding a cut is read."""
    if scan.quotes_before[-1] == 0:
        return True
    with open(path, "rb") as handle:

        def before(offset: int) -> int:
            b = int(np.searchsorted(scan.blocks, offset, side="right")) - 1
            handle.seek(int(scan.blocks[b]))
            return int(scan.quotes_before[b]) + handle.read(offset - int(scan.blocks[b])).count(
                b'"'
            )

        header = before(start)
        return all((before(cut) - header) % 2 == 0 for cut in cuts)


def _parse_parts(path, names, types, separator, cuts, lines):
    """Parse the byte ranges ``cuts`` on one thread each into one column-major array; ``None``
    to decline (then the caller parses the file in one stream)."""
    total = sum(lines)
    out = np.empty((total, len(names) - 1), order="F")
    starts = np.cumsum([0, *lines])

    def one(k: int):
        view = out[starts[k] : starts[k + 1]]
        # read, not memory-mapped: mapped pages of the file would count in the job's RSS
        with _FileRange(path, cuts[k], cuts[k + 1]) as raw:
            try:
                return _parse(
                    pa.PythonFile(raw, mode="r"),
                    names,
                    types,
                    lines[k],
                    separator,
                    header=False,
                    out=view,
                )
            except (pa.ArrowException, OSError, EOFError, ValueError):
                return None, [], 0

    with ThreadPoolExecutor(len(lines)) as pool:
        results = list(pool.map(one, range(len(lines))))
    ids: list[pa.Array] = []
    for (part, part_ids, rows), n in zip(results, lines, strict=True):
        if part is None or rows != n:  # declined, or blank lines (fewer rows than lines)
            return None, [], 0
        ids.extend(part_ids)
    return out, ids, total


def _parse(source, names, types, capacity, separator, *, header=True, out=None):
    """Stream the blocks into a (capacity x samples) column-major array; (None, ..) to decline.

    ``header=False`` parses a range of rows without a header line; ``out`` is the array to fill
    (a column-major view of ``capacity`` rows), else a new one."""
    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=1 if header else 0, block_size=BLOCK_BYTES
        ),
        parse_options=pacsv.ParseOptions(delimiter=separator, quote_char='"', double_quote=True),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            null_values=sorted(_NA_VALUES),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            check_utf8=True,
        ),
    )
    if out is None:
        out = np.empty((capacity, len(names) - 1), order="F")
    ids: list[pa.Array] = []
    row = 0
    for batch in reader:
        k = batch.num_rows
        if row + k > capacity:
            return None, ids, row
        values = batch.select(names[1:])
        nulls = sum(column.null_count for column in values.columns)
        # one column-major block per batch (missing = NaN), copied into place in one go
        out[row : row + k] = np.asarray(values.to_tensor(null_to_nan=True, row_major=False))
        # Only missing cells may be non-finite: inf and NaN written otherwise go to pandas.
        if np.count_nonzero(~np.isfinite(out[row : row + k])) != nulls:
            return None, ids, row
        ids.append(batch.column(0))
        row += k
    return out, ids, row


def read_numeric_text(
    sniffed: Sniffed, header: list[str], *, threads: int = 1
) -> pd.DataFrame | None:
    """Parse a delimited matrix of numbers with pyarrow, or ``None`` when the fast path does not
    apply (see the module docstring).

    Parameters
    ----------
    sniffed
        What :func:`~modmap.readers.sniffing.sniff` found (layout ``delimited``).
    header
        The fields of the header line as written (ID column first).
    threads
        Threads parsing parts of a large plain file at once (see the module docstring); the
        values do not depend on it.

    Returns
    -------
    pandas.DataFrame or None
        Features x samples, float64 (NaN = missing), one column-major block; index = the IDs of
        the first column as text (missing tokens are NaN), named ``header[0]``; columns =
        ``header[1:]``. Equal to what ``pandas.read_csv(..., index_col=0, dtype={0: str})``
        gives after ``astype(float64)``.
    """
    if (
        _NA_VALUES is None
        or sniffed.layout != "delimited"
        or sniffed.compression not in (None, "gzip")
        or len(header) < 2
        or not _first_line_is_header(sniffed)
    ):
        return None
    names = [f"c{i}" for i in range(len(header))]
    types = {name: pa.float64() for name in names[1:]}
    types[names[0]] = pa.string()
    separator = sniffed.separator or "\t"
    try:
        out, scan = None, None
        if threads > 1 and sniffed.compression is None:
            scan = _scan(sniffed.path)
            split = _split_points(sniffed.path, scan, threads)
            if split is not None:
                cuts, lines = split
                out, ids, row = _parse_parts(sniffed.path, names, types, separator, cuts, lines)
                capacity = row
        if out is None:  # one stream (the scan, when made, already counted the lines)
            capacity = _line_count(sniffed) if scan is None else scan.ends.size + 1
            with pa.input_stream(sniffed.path, compression=sniffed.compression) as source:
                out, ids, row = _parse(source, names, types, capacity, separator)
    except (pa.ArrowException, OSError, EOFError, ValueError):
        return None
    if out is None or row == 0:
        return None
    n, m = row, len(names) - 1
    if n < capacity:  # move the columns together in place (each moves to a lower offset)
        flat = out.reshape(-1, order="F")
        for j in range(1, m):
            flat[j * n : (j + 1) * n] = flat[j * capacity : j * capacity + n]
        out = flat[: n * m].reshape((n, m), order="F")
    labels = pa.chunked_array(ids, type=pa.string()).to_numpy(zero_copy_only=False)
    labels = np.where(pd.isna(labels), np.nan, labels).astype(object)
    index = pd.Index(pd.Series(labels, dtype=object).astype(_ID_DTYPE))
    index.name = header[0]
    return pd.DataFrame(out, index=index, columns=header[1:], copy=False)
