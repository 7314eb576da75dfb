"""Reading and writing tables.

Functions here read or write files and do nothing else; computations live in other modules.
Writes are atomic: the file is written next to its destination and renamed into place, so an
interrupted job never leaves a file that looks complete.

Every table and the parquet cache written here get a **manifest**, a small JSON sidecar
``<file>.manifest.json`` (rows, columns, size in bytes, SHA-256 of the file's bytes), written
right after the file. Readers check it: a TSV must have the recorded size and SHA-256, the parquet
cache the recorded size, rows and columns (read from its footer; hashing a large cache on every
read would cost more than reading it). Under ``results/`` the manifest is required, so a table cut
short, edited or left by an interrupted copy stops the next stage with a message saying which file
to delete, instead of changing its results (docs/architecture.md, "Manifests").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from modmap.errors import InputError
from modmap.readers import read_matrix, read_matrix_header, read_sheet

FEATURE_COLUMN = "feature_id"
#: Target bytes of values (float64, uncompressed) per parquet row group of the expression cache.
#: A job that reads a few features (a heatmap's module) decodes one row group at a time, and
#: ``gene_tests`` holds one row group of its columns besides its matrix, so a group stays far
#: below the matrix; but writing and reading cost per column chunk (row group x column), so a
#: group holds as many rows as this allows (8,388 at 2,000 samples, one group up to 83,886
#: features at 200 samples; docs/performance.md, "The parquet cache").
ROW_GROUP_BYTES = 128 << 20
#: Fewest rows per row group, however many samples (a column chunk of at least 8 KB).
ROW_GROUP_MIN_ROWS = 1024
#: Compression of the cache: LZ4 decodes and encodes about twice as fast as zstd on expression
#: values and, with dictionary pages, is as small (docs/performance.md).
CACHE_COMPRESSION = "lz4"

MANIFEST_SUFFIX = ".manifest.json"
#: The directory of modmap's outputs: tables under it must have a manifest (``check="auto"``).
RESULTS_DIR = "results"

ManifestCheck = Literal["auto", "require", "if_present", "ignore"]


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
    suffix = "".join(dest.suffixes)
    # Temporary files left by a killed job writing this same destination (mkstemp's random part
    # has 8 characters; Snakemake never runs two jobs writing one file).
    for stale in dest.parent.glob(f".{glob_escape(dest.name)}.{'?' * 8}{glob_escape(suffix)}"):
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=suffix)
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


def glob_escape(text: str) -> str:
    """``text`` with the glob wildcards ``*?[`` taken literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def manifest_path(path: str | os.PathLike) -> Path:
    """The manifest of ``path``: ``<path>.manifest.json`` next to it."""
    return Path(f"{os.fspath(path)}{MANIFEST_SUFFIX}")


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of the bytes of ``path``, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _with_manifest(path: str | os.PathLike, *, manifest: bool) -> Iterator[tuple[Path, dict]]:
    """Atomic write of ``path``; the caller fills ``meta`` (rows, columns) for the manifest.

    The old manifest is removed first and the new one written after the file is in place, so an
    interruption leaves a file without (or with a mismatching) manifest, never a false match.
    """
    dest = Path(path)
    meta: dict[str, Any] = {}
    if manifest:
        manifest_path(dest).unlink(missing_ok=True)
    with atomic_path(dest) as tmp:
        yield tmp, meta
        if manifest:
            info = {
                "file": dest.name,
                "rows": int(meta["rows"]),
                "columns": [str(c) for c in meta["columns"]],
                "bytes": tmp.stat().st_size,
                "sha256": file_sha256(tmp),
            }
    if manifest:
        with atomic_path(manifest_path(dest)) as tmp:
            tmp.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")


def _is_result(path: str | os.PathLike) -> bool:
    """True when ``path`` lies under ``results/`` of the working directory."""
    try:
        relative = Path(path).resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return False
    return relative.parts[:1] == (RESULTS_DIR,)


def _rebuild_hint(path: str | os.PathLike) -> str:
    return (
        f"Delete {os.fspath(path)} (and {manifest_path(path).name} if present) and run the "
        "workflow again: Snakemake rebuilds missing files and everything made from them "
        "(or rerun its rule with --forcerun RULE)."
    )


def read_manifest(path: str | os.PathLike, *, check: ManifestCheck = "auto") -> dict | None:
    """The manifest of ``path`` as a dict, or ``None`` when it has none and none is required.

    Parameters
    ----------
    path
        The table or parquet file.
    check
        ``"auto"`` (default): required under ``results/`` of the working directory, else read
        when present; ``"require"``; ``"if_present"``; ``"ignore"`` (never read).

    Raises
    ------
    InputError
        A required manifest is missing or unreadable.
    """
    if check == "ignore":
        return None
    required = check == "require" or (check == "auto" and _is_result(path))
    mpath = manifest_path(path)
    if not mpath.is_file():
        if required:
            raise InputError(
                f"{os.fspath(path)}: its manifest {mpath.name} is missing, so the file cannot be "
                "checked: modmap writes one next to every table of results/ once the table is "
                "complete, so this file was interrupted, copied without it, or made by an older "
                f"modmap. {_rebuild_hint(path)}"
            )
        return None
    try:
        return json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{mpath}: unreadable manifest ({error}). {_rebuild_hint(path)}") from None


def check_manifest(path: str | os.PathLike, *, check: ManifestCheck = "auto") -> None:
    """Check a TSV against its manifest: same size in bytes and same SHA-256.

    Raises
    ------
    InputError
        The file differs from what modmap wrote (cut short, edited, replaced), naming the file,
        what differs (rows recorded vs lines found) and how to rebuild it.
    """
    info = read_manifest(path, check=check)
    if info is None:
        return
    size = os.path.getsize(path)
    if size == info.get("bytes") and file_sha256(path) == info.get("sha256"):
        return
    with open(path, "rb") as handle:
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    raise InputError(
        f"{os.fspath(path)}: the file does not match its manifest {manifest_path(path).name} "
        f"({size} bytes and {max(lines - 1, 0)} data line(s) found; modmap wrote "
        f"{info.get('bytes')} bytes and {info.get('rows')} row(s)): it was cut short or changed "
        f"after it was written, and later results would be wrong. {_rebuild_hint(path)}"
    )


def write_tsv(
    df: pd.DataFrame,
    path: str | os.PathLike,
    *,
    float_format: str | None = None,
    manifest: bool = True,
) -> None:
    """Write ``df`` as a tab-separated table without index, atomically, with its manifest.

    Parameters
    ----------
    df
        Table to write; missing values are written as empty cells.
    path
        Destination (``.gz`` compresses).
    float_format
        Optional printf-style format for floats (default: full precision, round-trip safe).
    manifest
        Also write ``<path>.manifest.json`` (rows, columns, bytes, SHA-256; default true), which
        :func:`read_tsv` checks.
    """
    with _with_manifest(path, manifest=manifest) as (tmp, meta):
        df.to_csv(tmp, sep="\t", index=False, na_rep="", float_format=float_format)
        meta.update(rows=len(df), columns=list(df.columns))


def read_tsv(
    path: str | os.PathLike, *, manifest: ManifestCheck = "auto", **kwargs
) -> pd.DataFrame:
    """Read a tab-separated table written by modmap (``keep_default_na`` as pandas' default).

    Parameters
    ----------
    path
        The table.
    manifest
        How its manifest is checked before reading (see :func:`read_manifest`): by default
        required under ``results/`` and checked elsewhere when present.
    **kwargs
        Passed to :func:`pandas.read_csv`.

    Raises
    ------
    InputError
        The table does not match its manifest, or a required manifest is missing.
    """
    check_manifest(path, check=manifest)
    return pd.read_csv(path, sep="\t", **kwargs)


def row_group_rows(
    samples: int, *, target_bytes: int = ROW_GROUP_BYTES, min_rows: int = ROW_GROUP_MIN_ROWS
) -> int:
    """Rows per row group of a cache with ``samples`` value columns.

    Parameters
    ----------
    samples
        Number of sample (float64) columns.
    target_bytes
        Bytes of values per row group wanted (8 bytes per value, uncompressed).
    min_rows
        Lower bound, for very wide matrices.

    Returns
    -------
    int
        ``max(min_rows, target_bytes // (8 * samples))`` (``samples`` counted as at least 1).
    """
    return max(int(min_rows), int(target_bytes) // (8 * max(int(samples), 1)))


def write_expression(
    matrix: pd.DataFrame, path: str | os.PathLike, *, rows_per_group: int | None = None
) -> None:
    """Write the validated expression matrix as the parquet cache.

    Parameters
    ----------
    matrix
        Features x samples, float64, index = feature IDs (strings), columns = sample IDs.
    path
        Destination ``.parquet`` file. The first column is ``feature_id``; LZ4-compressed
        (:data:`CACHE_COMPRESSION`).
    rows_per_group
        Rows per parquet row group; ``None`` (default): :func:`row_group_rows` of the number of
        samples (about :data:`ROW_GROUP_BYTES` of values per group).
    """
    # Column by column from one column-major copy: no pandas reset_index on a wide frame.
    values = np.asfortranarray(matrix.to_numpy(dtype=np.float64))
    arrays = [pa.array(matrix.index.astype(str).to_numpy(dtype=object), type=pa.string())]
    arrays += [pa.array(values[:, j]) for j in range(values.shape[1])]
    table = pa.Table.from_arrays(arrays, names=[FEATURE_COLUMN, *map(str, matrix.columns)])
    rows = row_group_rows(values.shape[1]) if rows_per_group is None else int(rows_per_group)
    with _with_manifest(path, manifest=True) as (tmp, meta):
        pq.write_table(table, tmp, compression=CACHE_COMPRESSION, row_group_size=max(rows, 1))
        meta.update(rows=table.num_rows, columns=table.column_names)


def _open_parquet(path: str | os.PathLike, *, manifest: ManifestCheck) -> pq.ParquetFile:
    """Open the parquet cache after checking it against its manifest (size, rows, columns)."""
    info = read_manifest(path, check=manifest)
    problem = None
    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        problem, handle = f"it cannot be read ({' '.join(str(error).split())})", None
    if info is not None and problem is None:
        size = os.path.getsize(path)
        meta = handle.metadata
        found = (size, meta.num_rows, meta.num_columns)
        wanted = (info.get("bytes"), info.get("rows"), len(info.get("columns", [])))
        if found != wanted:
            problem = (
                f"it has {size} bytes, {meta.num_rows} rows and {meta.num_columns} columns but "
                f"its manifest {manifest_path(path).name} records {wanted[0]} bytes, "
                f"{wanted[1]} rows and {wanted[2]} columns"
            )
    if problem is not None:
        raise InputError(
            f"{os.fspath(path)}: the expression cache is damaged or incomplete: {problem}. "
            f"Rebuild it: delete it and run the workflow again, or run snakemake --forcerun "
            "validate."
        )
    return handle


def read_expression(
    path: str | os.PathLike,
    *,
    samples: Sequence[str] | None = None,
    features: Sequence[str] | None = None,
    manifest: ManifestCheck = "auto",
) -> pd.DataFrame:
    """Read the parquet expression cache, optionally only some samples and features.

    Parameters
    ----------
    path
        ``results/validated/expression.parquet``.
    samples
        Sample IDs to load, in the order wanted. ``None`` loads all samples. Only these columns
        are read from disk, so a comparison job on a large cohort reads only its own samples.
    features
        Feature IDs to keep (``None`` = all). Rows are filtered one row group at a time while
        reading, so a heatmap of one module holds only the module's rows; they come back in
        cache order, and IDs absent from the cache are simply not returned.
    manifest
        How the cache is checked against its manifest first (see :func:`read_manifest`).

    Returns
    -------
    pandas.DataFrame
        Features x samples (float64, log2 scale), index named ``feature_id``.

    Raises
    ------
    InputError
        The cache is damaged, truncated or does not match its manifest (with how to rebuild it).
    """
    handle = _open_parquet(path, manifest=manifest)
    columns = None if samples is None else [FEATURE_COLUMN, *samples]
    if columns is not None:
        names = set(handle.schema_arrow.names)  # once: schema_arrow is rebuilt on every access
        missing = [c for c in columns if c not in names]
        if missing:
            raise InputError(
                f"{os.fspath(path)}: sample(s) {', '.join(map(repr, missing[:5]))} are not in "
                "the expression cache, which was made from another sample sheet or config. "
                "Rebuild it: snakemake --forcerun validate."
            )
    if features is None:
        return _read_column_major(handle, columns)
    table = _read_rows(path, columns, features)
    df = table.to_pandas()
    return df.set_index(FEATURE_COLUMN)


def _read_column_major(handle: pq.ParquetFile, columns: list[str] | None) -> pd.DataFrame:
    """All rows of ``columns`` as one column-major float64 block, filled one row group at a time.

    The frame equals ``table.to_pandas().set_index("feature_id")`` of the whole table, without
    holding the decoded table and the frame at once: peak memory is the block plus a row group.
    """
    names = handle.schema_arrow.names if columns is None else columns
    samples = [c for c in names if c != FEATURE_COLUMN]
    out = np.empty((handle.metadata.num_rows, len(samples)), order="F")
    ids, row = [], 0
    for group in range(handle.num_row_groups):
        part = handle.read_row_group(group, columns=[FEATURE_COLUMN, *samples])
        k = part.num_rows
        for j, column in enumerate(part.columns[1:]):
            start = row
            for chunk in column.chunks:  # zero-copy views of the decoded values
                out[start : start + len(chunk), j] = chunk.to_numpy(zero_copy_only=False)
                start += len(chunk)
        ids.append(part.select([FEATURE_COLUMN]))
        row += k
    # Index and column labels converted as to_pandas converts them (dtypes differ by version).
    empty = handle.schema_arrow.empty_table().select([FEATURE_COLUMN, *samples])
    template = empty.to_pandas().set_index(FEATURE_COLUMN)
    index = pa.concat_tables([empty.select([FEATURE_COLUMN]), *ids]).to_pandas()[FEATURE_COLUMN]
    return pd.DataFrame(
        out[:row], index=pd.Index(index, name=FEATURE_COLUMN), columns=template.columns, copy=False
    )


def _read_rows(path: str | os.PathLike, columns: list[str] | None, features: Sequence[str]):
    """The cache's rows whose feature ID is in ``features``, one row group at a time.

    The feature IDs are read first, so only the row groups holding a wanted feature are read.
    """
    wanted = pa.array(list(dict.fromkeys(map(str, features))), type=pa.string())
    source = pq.ParquetFile(path)
    ids = source.read(columns=[FEATURE_COLUMN]).column(FEATURE_COLUMN)
    hit = pc.is_in(ids, value_set=wanted).to_numpy(zero_copy_only=False)
    sizes = [source.metadata.row_group(g).num_rows for g in range(source.num_row_groups)]
    starts = np.cumsum([0, *sizes])
    kept = []
    for group in range(source.num_row_groups):
        if not hit[starts[group] : starts[group + 1]].any():
            continue
        part = source.read_row_group(group, columns=columns)
        kept.append(part.filter(pc.is_in(part.column(FEATURE_COLUMN), value_set=wanted)))
    if not kept:
        return source.schema_arrow.empty_table().select(columns or source.schema_arrow.names)
    return pa.concat_tables(kept)


def read_feature_ids(path: str | os.PathLike, *, manifest: ManifestCheck = "auto") -> pd.Index:
    """Read only the feature IDs of the parquet expression cache (checked as in
    :func:`read_expression`)."""
    _open_parquet(path, manifest=manifest)
    table = pq.read_table(path, columns=[FEATURE_COLUMN])
    return pd.Index(table.column(0).to_pylist(), name=FEATURE_COLUMN)


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
