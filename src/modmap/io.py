"""Reading and writing tables.

Functions here read or write files and do nothing else; computations live in other modules.
Writes are atomic: the file is written next to its destination and renamed into place, so an
interrupted job never leaves a file that looks complete.

Every table and the expression cache written here get a **manifest**, a small JSON sidecar
``<file>.manifest.json`` (rows, columns, size in bytes, SHA-256 of a table's bytes), written
right after the file. Readers check it: a TSV must have the recorded size and SHA-256, the
expression cache the recorded size, rows and columns (read from its footer; hashing a large
cache on every write and read would cost more than reading it, so its manifest has no
SHA-256). Under ``results/`` the manifest is required, so a table cut short, edited or left by
an interrupted copy stops the next stage with a message saying which file to delete, instead of
changing its results (docs/architecture.md, "Manifests").
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
import pyarrow.ipc as ipc

from modmap.errors import InputError

# modmap.readers is imported inside the three functions that read input files (at the end): most
# jobs only read and write modmap's own TSVs and the expression cache, and the readers (pyarrow's
# CSV and Parquet modules, the format sniffers) cost each of them ~25 ms of start-up (issue 16).

FEATURE_COLUMN = "feature_id"
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
def _with_manifest(
    path: str | os.PathLike, *, manifest: bool, digest: bool = True
) -> Iterator[tuple[Path, dict]]:
    """Atomic write of ``path``; the caller fills ``meta`` (rows, columns) for the manifest.

    The old manifest is removed first and the new one written after the file is in place, so an
    interruption leaves a file without (or with a mismatching) manifest, never a false match.
    ``digest=False`` records no SHA-256 (``null``; the expression cache, checked by size, rows
    and columns).
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
                "sha256": file_sha256(tmp) if digest else None,
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
        The table or expression cache.
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


def write_expression(matrix: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write the validated expression matrix as the expression cache (an Arrow IPC file).

    The cache is one uncompressed record batch (Arrow IPC file format, also called Feather v2):
    a ``feature_id`` column (string), then one float64 column per sample, so each sample's values
    are contiguous and the file holds the features x samples matrix column-major, the columns
    one after the other at a constant distance. Readers memory-map it: the whole matrix is a
    zero-copy view (:func:`open_expression`). Each column is handed to Arrow without a copy.
    See docs/performance.md, "The expression cache".

    Parameters
    ----------
    matrix
        Features x samples, float64 (log2; NaN = missing, stored as NaN values, not nulls),
        index = feature IDs (strings), columns = sample IDs.
    path
        Destination (``results/validated/expression.arrow``), written atomically with its
        manifest (size, rows, columns; no SHA-256).
    """
    values = np.asfortranarray(matrix.to_numpy(dtype=np.float64))  # no copy from the reader
    arrays = [pa.array(matrix.index.astype(str).to_numpy(dtype=object), type=pa.string())]
    arrays += [pa.array(values[:, j]) for j in range(values.shape[1])]
    names = [FEATURE_COLUMN, *map(str, matrix.columns)]
    batch = pa.RecordBatch.from_arrays(arrays, names=names)
    with _with_manifest(path, manifest=True, digest=False) as (tmp, meta):
        with pa.OSFile(os.fspath(tmp), "wb") as sink, ipc.new_file(sink, batch.schema) as writer:
            writer.write_batch(batch)
        meta.update(rows=batch.num_rows, columns=names)


class _Cache:
    """The memory-mapped expression cache: feature IDs, sample IDs and the values block."""

    def __init__(self, path: str | os.PathLike, *, manifest: ManifestCheck) -> None:
        info = read_manifest(path, check=manifest)
        problem = None
        try:
            reader = ipc.open_file(pa.memory_map(os.fspath(path), "r"))
            if reader.num_record_batches != 1:
                raise pa.ArrowInvalid(f"{reader.num_record_batches} record batches, not 1")
            batch = reader.get_batch(0)
            names = batch.schema.names
            if names[:1] != [FEATURE_COLUMN] or not all(
                pa.types.is_floating(t) for t in batch.schema.types[1:]
            ):
                raise pa.ArrowInvalid(f"columns {names[:4]}... are not feature_id then numbers")
        except (pa.ArrowException, OSError) as error:
            problem = f"it cannot be read ({' '.join(str(error).split())})"
        if problem is None and info is not None:
            size = os.path.getsize(path)
            found = (size, batch.num_rows, batch.num_columns)
            wanted = (info.get("bytes"), info.get("rows"), len(info.get("columns", [])))
            if found != wanted:
                problem = (
                    f"it has {size} bytes, {batch.num_rows} rows and {batch.num_columns} "
                    f"columns but its manifest {manifest_path(path).name} records {wanted[0]} "
                    f"bytes, {wanted[1]} rows and {wanted[2]} columns"
                )
        if problem is not None:
            raise InputError(
                f"{os.fspath(path)}: the expression cache is damaged or incomplete: {problem}. "
                "Rebuild it: delete it and run the workflow again, or run snakemake --forcerun "
                "validate."
            )
        self.path = os.fspath(path)
        self.batch = batch
        self.ids = batch.column(0)
        self.samples = [str(s) for s in names[1:]]

    def view(self) -> np.ndarray | None:
        """All values as one read-only, column-major view of the mapped file, or ``None``.

        ``None`` when the columns are not float64 without nulls at one constant distance in
        the file (a cache not written by :func:`write_expression`).
        """
        columns = self.batch.columns[1:]
        rows = self.batch.num_rows
        if not columns or rows == 0:
            return None
        data = []
        for column in columns:
            if column.type != pa.float64() or column.null_count:
                return None
            buffer = column.buffers()[1]
            data.append(buffer.address + 8 * column.offset)
        starts = np.array(data, dtype=np.int64)
        step = int(starts[1] - starts[0]) if len(starts) > 1 else 8 * rows
        if step < 8 * rows or step % 8 or (np.diff(starts) != step).any():
            return None
        # One buffer spanning every column, from the first column's start to the last's end
        # (all inside the mapped file; ``base`` keeps the mapping alive with the array).
        span = pa.foreign_buffer(starts[0], step * (len(starts) - 1) + 8 * rows, base=self.batch)
        flat = np.frombuffer(span, dtype=np.float64)
        return np.lib.stride_tricks.as_strided(
            flat, shape=(rows, len(starts)), strides=(8, step), writeable=False
        )

    def block(self, cols: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
        """A column-major copy of the values at ``rows`` (all when ``None``) and ``cols``."""
        view = self.view()
        n = self.batch.num_rows if rows is None else len(rows)
        out = np.empty((n, len(cols)), order="F")
        for j, c in enumerate(cols):
            if view is not None:
                column = view[:, c]
            else:
                column = self.batch.column(int(c) + 1).to_numpy(zero_copy_only=False)
            out[:, j] = column if rows is None else column[rows]
        return out

    def index(self, ids: pa.Array | None = None) -> pd.Index:
        """Feature IDs as a pandas index named ``feature_id`` (as ``Table.to_pandas`` makes it)."""
        table = pa.table({FEATURE_COLUMN: self.ids if ids is None else ids})
        return pd.Index(table.to_pandas()[FEATURE_COLUMN], name=FEATURE_COLUMN)

    def columns(self, samples: Sequence[str]) -> pd.Index:
        """Sample IDs as a pandas column index (as ``Table.to_pandas`` makes it)."""
        fields = [pa.field(FEATURE_COLUMN, pa.string())]
        fields += [pa.field(s, pa.float64()) for s in samples]
        empty = pa.schema(fields).empty_table().to_pandas().set_index(FEATURE_COLUMN)
        return empty.columns

    def positions(self, samples: Sequence[str]) -> np.ndarray:
        """Column positions of ``samples``; an absent one is an error saying how to rebuild."""
        where = {s: i for i, s in enumerate(self.samples)}
        missing = [s for s in samples if s not in where]
        if missing:
            raise InputError(
                f"{self.path}: sample(s) {', '.join(map(repr, missing[:5]))} are not in "
                "the expression cache, which was made from another sample sheet or config. "
                "Rebuild it: snakemake --forcerun validate."
            )
        return np.array([where[s] for s in samples], dtype=np.int64)


def open_expression(path: str | os.PathLike, *, manifest: ManifestCheck = "auto") -> pd.DataFrame:
    """The whole expression cache as a read-only, zero-copy, memory-mapped frame.

    Nothing is read until values are used, and then only the pages touched (the cache is
    column-major: a sample's values are contiguous), from the operating system's file cache, so
    a job holds no private copy of the matrix (its resident memory counts the mapped pages it
    touched). The values cannot be modified: take a copy (``frame.copy()``) or use
    :func:`read_expression` to change them.

    Parameters
    ----------
    path
        ``results/validated/expression.arrow``.
    manifest
        How the cache is checked against its manifest first (see :func:`read_manifest`).

    Returns
    -------
    pandas.DataFrame
        Features x samples (float64, log2 scale, column-major), index named ``feature_id``.

    Raises
    ------
    InputError
        The cache is damaged, truncated or does not match its manifest (with how to rebuild it).
    """
    cache = _Cache(path, manifest=manifest)
    values = cache.view()
    if values is None:  # not written by modmap: decoded once
        values = cache.block(np.arange(len(cache.samples)), None)
    return pd.DataFrame(
        values, index=cache.index(), columns=cache.columns(cache.samples), copy=False
    )


def read_expression(
    path: str | os.PathLike,
    *,
    samples: Sequence[str] | None = None,
    features: Sequence[str] | None = None,
    manifest: ManifestCheck = "auto",
) -> pd.DataFrame:
    """Read the expression cache (a copy), optionally only some samples and features.

    Parameters
    ----------
    path
        ``results/validated/expression.arrow``.
    samples
        Sample IDs to load, in the order wanted. ``None`` loads all samples. Only their columns
        are touched.
    features
        Feature IDs to keep (``None`` = all): only their rows are copied, so a heatmap of one
        module holds only the module's rows (the mapped pages of the samples read are touched);
        they come back in cache order, and IDs absent from the cache are simply not returned.
    manifest
        How the cache is checked against its manifest first (see :func:`read_manifest`).

    Returns
    -------
    pandas.DataFrame
        Features x samples (float64, log2 scale; a writable, column-major copy), index named
        ``feature_id``.

    Raises
    ------
    InputError
        The cache is damaged, truncated or does not match its manifest (with how to rebuild it),
        or a sample is not in it.
    """
    cache = _Cache(path, manifest=manifest)
    names = cache.samples if samples is None else list(samples)
    cols = cache.positions(names)
    ids, rows = cache.ids, None
    if features is not None:
        wanted = pa.array(list(dict.fromkeys(map(str, features))), type=pa.string())
        hit = pc.is_in(ids, value_set=wanted).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(hit)
        ids = ids.take(pa.array(rows))
    block = cache.block(cols, rows)
    return pd.DataFrame(block, index=cache.index(ids), columns=cache.columns(names), copy=False)


def read_feature_ids(path: str | os.PathLike, *, manifest: ManifestCheck = "auto") -> pd.Index:
    """Read only the feature IDs of the expression cache (checked as in :func:`read_expression`)."""
    cache = _Cache(path, manifest=manifest)
    return pd.Index(cache.ids.to_pylist(), name=FEATURE_COLUMN)


def read_sample_sheet(path: str | os.PathLike) -> pd.DataFrame:
    """Read a sample sheet with every cell as text (empty cells are ``""``).

    The format is found from the content (:func:`modmap.readers.read_sheet`): tab-, comma- or
    semicolon-separated text (gzip/zip transparent), a GEO series matrix's sample lines, GCT 1.3
    column annotations or Parquet. IDs such as ``007`` or ``1e5`` stay exactly as written; a row
    with fewer or more fields than the header is an error naming its line.
    """
    from modmap.readers import read_sheet  # see the note at the imports

    return read_sheet(path)


def read_header(path: str | os.PathLike) -> list[str]:
    """Return the column names of an expression matrix exactly as written (ID column first).

    Any format :func:`modmap.readers.read_matrix` reads; delimited text is read only up to its
    header line.
    """
    from modmap.readers import read_matrix_header  # see the note at the imports

    return read_matrix_header(path)


def read_expression_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read a features x samples expression table (any format of :mod:`modmap.readers`).

    The first column becomes the index (feature IDs, read as text); empty cells, ``NA`` and
    ``NaN`` are missing values. Columns that hold anything but numbers come back with a
    non-numeric dtype; :func:`modmap.validate.prepare_expression` reports them. Sample headers
    are kept exactly as written (a repeated header stays repeated).
    """
    from modmap.readers import read_matrix  # see the note at the imports

    return read_matrix(path).values
