"""GenePattern GCT files, versions 1.2 and 1.3 (tab-separated).

- 1.2: line 1 ``#1.2``; line 2 ``<rows> <columns>``; line 3 ``Name``, ``Description``, then one
  sample per column; then one row per feature. The ``Description`` column is dropped.
- 1.3 (as written by cmapPy / Morpheus): line 2 ``<rows> <columns> <row annotations> <column
  annotations>``; line 3 ``id``, the row-annotation names, then the samples; then one line per
  column annotation (its name first, ``<row annotations>`` filler cells, then one value per
  sample); then the feature rows (ID, row annotations, values). Row annotations are dropped;
  column annotations become the sample table (``id`` = the sample column, then one column per
  annotation).

The stated dimensions are checked against what the file holds, so a truncated file is caught.
"""

from __future__ import annotations

import csv
import lzma
import zlib
from dataclasses import dataclass, field

import pandas as pd

from modmap.errors import InputError
from modmap.readers.delimited import find_decode_error, parse_error, read_tab_rows, truncated
from modmap.readers.sniffing import Sniffed, open_text

__all__ = ["GCT", "read_gct"]


@dataclass
class GCT:
    """A parsed GCT file.

    Attributes
    ----------
    values
        Features x samples (index = feature IDs as text, columns = sample names as written).
    header
        Feature-ID column name, then the sample names.
    first_line
        Line of the file holding the first feature row (for messages).
    samples
        Column annotations of a 1.3 file (``id`` first, all text), else ``None``.
    version
        ``1.2`` or ``1.3``.
    """

    values: pd.DataFrame
    header: list[str]
    first_line: int
    samples: pd.DataFrame | None
    version: str
    notes: list[str] = field(default_factory=list)


def _split(line: str) -> list[str]:
    return next(csv.reader([line.rstrip("\r\n")], delimiter="\t", quotechar='"'), [])


def _dims(path: str, line: str, version: str) -> list[int]:
    want = 2 if version == "1.2" else 4
    fields = [f for f in _split(line) if f.strip()]
    try:
        dims = [int(f) for f in fields[:want]]
    except ValueError:
        dims = []
    if len(dims) != want or any(d < 0 for d in dims):
        names = "<rows> <columns>" + ("" if version == "1.2" else " <row ann.> <column ann.>")
        raise InputError(
            f"{path} line 2: GCT {version} needs {want} whole numbers ({names}) on line 2, found "
            f"{line.strip()!r}. Fix the dimension line."
        )
    return dims


def read_gct(sniffed: Sniffed) -> GCT:
    """Read a GCT 1.2 or 1.3 file.

    Raises
    ------
    InputError
        A malformed dimension line, a header that does not start with ``Name Description``
        (1.2) or ``id`` (1.3), dimensions that differ from the content (with both counts), rows
        with extra fields, text that is not UTF-8, a damaged compressed stream.
    """
    path = sniffed.path
    try:
        with open_text(path, sniffed.compression) as handle:
            version = handle.readline().strip().split("\t")[0].removeprefix("#")
            dims = _dims(path, handle.readline(), version)
            header = [h.strip() for h in _split(handle.readline())]
            n_rows, n_cols = dims[0], dims[1]
            n_rmeta, n_cmeta = (1, 0) if version == "1.2" else (dims[2], dims[3])
            expected_first = ["Name", "Description"] if version == "1.2" else ["id"]
            if [h.lower() for h in header[: len(expected_first)]] != [
                e.lower() for e in expected_first
            ]:
                raise InputError(
                    f"{path} line 3: a GCT {version} header starts with "
                    f"{' '.join(expected_first)}, found {' '.join(header[:2])!r}. Fix the header."
                )
            annotations = [_split(handle.readline()) for _ in range(n_cmeta)]
            first_line = 4 + n_cmeta
            values = read_tab_rows(handle)
    except UnicodeDecodeError:
        raise InputError(find_decode_error(sniffed)) from None
    except (EOFError, OSError, zlib.error, lzma.LZMAError) as err:
        raise truncated(sniffed, err) from None
    except pd.errors.ParserError as err:
        raise parse_error(sniffed, err, what="GCT file", first_line=first_line) from None
    samples = header[1 + n_rmeta :]
    if len(samples) != n_cols:
        raise InputError(
            f"{path} line 3: the header names {len(samples)} samples, line 2 says {n_cols}. Fix "
            "the dimension line or the header."
        )
    if len(values) != n_rows:
        raise InputError(
            f"{path}: line 2 says {n_rows} feature rows, the file holds {len(values)} (truncated "
            "or edited). Fix the dimension line, or export the file again."
        )
    if values.shape[1] > n_rmeta + n_cols:
        raise InputError(
            f"{path} line {first_line}: {values.shape[1] + 1} fields where the header has "
            f"{len(header)}. Fix the header or that row."
        )
    values = values.reindex(columns=range(1, 1 + n_rmeta + n_cols)).iloc[:, n_rmeta:]
    values.columns = samples
    values.index.name = header[0]
    sample_table = None
    if n_cmeta:
        table = {"id": samples}
        for number, fields in enumerate(annotations, start=4):
            cells = fields[1 + n_rmeta :]
            if len(cells) != n_cols:
                raise InputError(
                    f"{path} line {number}: column annotation {fields[0]!r} has {len(cells)} "
                    f"values for {n_cols} samples. Fix that line."
                )
            table[fields[0]] = cells
        sample_table = pd.DataFrame(table, dtype=object).astype(str)
    return GCT(
        values=values,
        header=[header[0], *samples],
        first_line=first_line,
        samples=sample_table,
        version=version,
        notes=list(sniffed.notes),
    )
