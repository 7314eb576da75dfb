"""Parquet tables (pyarrow): an expression matrix or a sample sheet.

The feature IDs (or sample IDs) are the stored pandas index when the file has one (a frame
written with ``DataFrame.to_parquet()``), else the first column. Reading a damaged or truncated
file is one clear error.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from modmap.errors import InputError
from modmap.readers.sniffing import Sniffed

__all__ = ["read_parquet_matrix", "read_parquet_sheet"]


def _read(sniffed: Sniffed, what: str) -> pd.DataFrame:
    try:
        return pq.read_table(sniffed.path).to_pandas()
    except (pa.ArrowInvalid, pa.ArrowException, OSError) as err:
        raise InputError(
            f"{sniffed.path}: not a readable Parquet {what} ({err}); the file is probably "
            "truncated. Write it again."
        ) from None


def read_parquet_matrix(sniffed: Sniffed) -> tuple[pd.DataFrame, list[str]]:
    """Features x samples and the header (ID column name first)."""
    df = _read(sniffed, "expression matrix")
    if isinstance(df.index, pd.RangeIndex) and df.index.name is None:
        if df.shape[1] == 0:
            raise InputError(f"{sniffed.path}: the Parquet file has no columns.")
        df = df.set_index(df.columns[0])
    name = str(df.index.name) if df.index.name is not None else ""
    df.index = pd.Index([None if pd.isna(i) else str(i) for i in df.index], dtype=object)
    df.columns = [str(c) for c in df.columns]
    return df, [name, *df.columns]


def read_parquet_sheet(sniffed: Sniffed) -> pd.DataFrame:
    """A sample sheet: every cell as text, missing values as ``""``."""
    df = _read(sniffed, "sample sheet")
    if not (isinstance(df.index, pd.RangeIndex) and df.index.name is None):
        df = df.reset_index()
    df.columns = [str(c) for c in df.columns]
    return df.astype(object).where(df.notna(), "").astype(str)
