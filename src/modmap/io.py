"""Reading and writing tables.

Functions here read or write files and do nothing else; computations live in other modules.
Writes are atomic: the file is written next to its destination and renamed into place, so an
interrupted job never leaves a file that looks complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from modmap.readers import read_matrix, read_matrix_header, read_sheet

FEATURE_COLUMN = "feature_id"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path`` and rename it onto ``path`` on success.

    Parameters
    ----------
    path
        Final destination. Its parent directory is created if needed.

    Yields
    ------
    Path
        A temporary file in the same directory (same file system, so the rename is atomic). It
        keeps the suffixes of ``path`` so writers that infer a format from the name still work.
    """
    dest = Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=dest.parent, prefix=f".{dest.name}.", suffix="".join(dest.suffixes)
    )
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    tmp_path.chmod(0o666 & ~umask)  # mkstemp creates 0600; give the file the usual permissions
    try:
        yield tmp_path
        os.replace(tmp_path, dest)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_tsv(
    df: pd.DataFrame, path: str | os.PathLike, *, float_format: str | None = None
) -> None:
    """Write ``df`` as a tab-separated table without index, atomically.

    Parameters
    ----------
    df
        Table to write; missing values are written as empty cells.
    path
        Destination (``.gz`` compresses).
    float_format
        Optional printf-style format for floats (default: full precision, round-trip safe).
    """
    with atomic_path(path) as tmp:
        df.to_csv(tmp, sep="\t", index=False, na_rep="", float_format=float_format)


def read_tsv(path: str | os.PathLike, **kwargs) -> pd.DataFrame:
    """Read a tab-separated table written by modmap (``keep_default_na`` as pandas' default)."""
    return pd.read_csv(path, sep="\t", **kwargs)


def write_expression(matrix: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write the validated expression matrix as the parquet cache.

    Parameters
    ----------
    matrix
        Features x samples, float64, index = feature IDs (strings), columns = sample IDs.
    path
        Destination ``.parquet`` file. The first column is ``feature_id``.
    """
    # Column by column from one column-major copy: no pandas reset_index on a wide frame.
    values = np.asfortranarray(matrix.to_numpy(dtype=np.float64))
    arrays = [pa.array(matrix.index.astype(str).to_numpy(dtype=object), type=pa.string())]
    arrays += [pa.array(values[:, j]) for j in range(values.shape[1])]
    table = pa.Table.from_arrays(arrays, names=[FEATURE_COLUMN, *map(str, matrix.columns)])
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_expression(
    path: str | os.PathLike, *, samples: Sequence[str] | None = None
) -> pd.DataFrame:
    """Read the parquet expression cache, optionally only some samples.

    Parameters
    ----------
    path
        ``results/validated/expression.parquet``.
    samples
        Sample IDs to load, in the order wanted. ``None`` loads all samples. Only these columns
        are read from disk, so a comparison job on a large cohort reads only its own samples.

    Returns
    -------
    pandas.DataFrame
        Features x samples (float64, log2 scale), index named ``feature_id``.
    """
    columns = None if samples is None else [FEATURE_COLUMN, *samples]
    table = pq.read_table(path, columns=columns)
    df = table.to_pandas()
    return df.set_index(FEATURE_COLUMN)


def read_feature_ids(path: str | os.PathLike) -> pd.Index:
    """Read only the feature IDs of the parquet expression cache."""
    return pd.Index(
        pq.read_table(path, columns=[FEATURE_COLUMN]).column(0).to_pylist(), name=FEATURE_COLUMN
    )


def read_sample_sheet(path: str | os.PathLike) -> pd.DataFrame:
    """Read a sample sheet with every cell as text (empty cells are ``""``).

    The format is found from the content (:func:`modmap.readers.read_sheet`): tab-, comma- or
    semicolon-separated text (gzip/zip transparent), a GEO series matrix's sample lines, GCT 1.3
    column annotations or Parquet. IDs such as ``007`` or ``1e5`` stay exactly as written; a row
    with fewer or more fields than the header is an error naming its line.
    """
    return read_sheet(path)


def read_header(path: str | os.PathLike) -> list[str]:
    """Return the column names of an expression matrix exactly as written (ID column first).

    Any format :func:`modmap.readers.read_matrix` reads; delimited text is read only up to its
    header line.
    """
    return read_matrix_header(path)


def read_expression_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a features x samples expression table (any format of :mod:`modmap.readers`).

    The first column becomes the index (feature IDs, read as text); empty cells, ``NA`` and
    ``NaN`` are missing values. Columns that hold anything but numbers come back with a
    non-numeric dtype; :func:`modmap.validate.prepare_expression` reports them. Sample headers
    are kept exactly as written (a repeated header stays repeated).
    """
    return read_matrix(path).values
