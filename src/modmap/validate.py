"""Checks of the expression matrix against the sample sheet (the ``validate`` stage).

:func:`prepare_expression` turns the matrix as read into the validated float64 matrix that every
later stage reads from the parquet cache, and says what it found. It raises
:class:`~modmap.errors.InputError` naming the file, the row (feature and line) or the column
(sample), and the fix.
"""

from __future__ import annotations

import re
import warnings as warnings_module
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from modmap.errors import InputError, first_true
from modmap.stats.checks import looks_unlogged
from modmap.stats.collapse import probe_scores

_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")


def _show(values: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(repr(v) for v in list(values)[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def check_header(header: Sequence[str], *, path: str) -> None:
    """Reject duplicated or empty sample columns in the matrix header (``header[0]`` = IDs).

    Parameters
    ----------
    header
        Column names of the expression matrix as read (:func:`modmap.io.read_header`): the
        feature-ID column first (not checked), then one name per sample. Names are compared
        exactly as given (case-sensitive).
    path
        File the header came from, for messages.

    Raises
    ------
    InputError
        An empty sample column name, or a sample name that appears twice; the message gives the
        1-based column positions in the file (the ID column is column 1) and the two ways out.
    """
    samples = list(header[1:])
    seen: dict[str, int] = {}
    for pos, name in enumerate(samples, start=2):
        if name == "":
            raise InputError(f"{path}: column {pos} of the header is empty; name every sample.")
        if name in seen:
            raise InputError(
                f"{path}: sample column {name!r} appears twice (columns {seen[name]} and {pos}). "
                "Sample IDs must be unique in the matrix header: rename the columns to the sample "
                "IDs, or, when the sample sheet lists the samples in the matrix's column order, "
                "set expression.duplicate_headers: sheet_order (docs/formats.md)."
            )
        seen[name] = pos


def headers_from_sheet(
    header: Sequence[str], sheet: pd.DataFrame, *, path: str, sheet_path: str
) -> tuple[list[str], str]:
    """Name the matrix's sample columns by the sample sheet's order (``duplicate_headers:
    sheet_order``).

    For a matrix whose headers are not sample IDs but repeat (``TB, TB, ..., NID, NID``): the
    k-th sample column becomes the k-th sample of the sheet. The order is only trusted when a
    column of the sheet holds, row by row, exactly the matrix's headers (e.g. a ``group`` column
    ``TB, TB, ..., NID, NID``): that column is the evidence that sheet and matrix are in the
    same order.

    Parameters
    ----------
    header
        The matrix header as written (ID column first).
    sheet
        The checked sample sheet (:func:`modmap.design.check_sample_sheet`), in file order.
    path, sheet_path
        The matrix and the sheet, for messages.

    Returns
    -------
    names, evidence
        The new header (ID column first, then the sheet's sample IDs) and the sheet column that
        matched the headers, for the log.

    Raises
    ------
    InputError
        Different numbers of sample columns and sheet rows, or no sheet column that repeats the
        matrix headers in order.
    """
    samples = list(header[1:])
    if len(samples) != len(sheet):
        raise InputError(
            f"{path}: expression.duplicate_headers is sheet_order but the matrix has "
            f"{len(samples)} sample columns and {sheet_path} {len(sheet)} samples. List every "
            "matrix column in the sheet, one row each, in the matrix's column order."
        )
    for column in sheet.columns:
        if list(sheet[column]) == samples:
            return [header[0], *sheet["sample_id"]], column
    raise InputError(
        f"{path}: expression.duplicate_headers is sheet_order but no column of {sheet_path} "
        f"repeats the matrix headers ({_show(samples)}) row by row, so the order cannot be "
        "trusted. Add a column holding each sample's matrix header (in the matrix's column "
        "order) to the sample sheet."
    )


def resolve_headers(
    header: Sequence[str],
    sheet: pd.DataFrame,
    *,
    policy: Literal["error", "sheet_order"],
    path: str,
    sheet_path: str,
) -> tuple[list[str], str | None]:
    """The matrix header to use, after ``expression.duplicate_headers`` and the header checks.

    Parameters
    ----------
    header
        The matrix header as written (ID column first).
    sheet
        The checked sample sheet, in file order.
    policy
        Config ``expression.duplicate_headers``. ``error``: repeated sample headers are an
        error (:func:`check_header`). ``sheet_order``: repeated headers are replaced by the
        sheet's sample IDs in order (:func:`headers_from_sheet`); unique headers are used as
        they are.
    path, sheet_path
        The matrix and the sheet, for messages.

    Returns
    -------
    header, note
        The header to use and a log line saying what was done (``None`` when nothing was).
    """
    header = list(header)
    note = None
    if policy == "sheet_order" and len(set(header[1:])) < len(header) - 1:
        header, evidence = headers_from_sheet(header, sheet, path=path, sheet_path=sheet_path)
        note = (
            f"{path}: repeated sample headers named by the order of {sheet_path} "
            f"(expression.duplicate_headers: sheet_order; its column {evidence!r} repeats the "
            "headers row by row)"
        )
    check_header(header, path=path)
    return header, note


def prepare_expression(
    raw: pd.DataFrame,
    *,
    sample_ids: Sequence[str],
    path: str,
    scale: Literal["log2", "linear"] = "log2",
    offset: float = 0.0,
    first_line: int = 2,
    collapse: Literal["none", "mean", "max_mean", "max_iqr"] = "none",
) -> tuple[pd.DataFrame, list[str]]:
    """Check and subset an expression matrix for the samples of the sample sheet.

    Parameters
    ----------
    raw
        Features x samples as read by :func:`modmap.io.read_expression_table` (index = feature
        IDs from the first column).
    sample_ids
        Sample IDs of the checked sample sheet, in sheet order.
    path
        File the matrix came from, for messages.
    scale
        ``log2``: values are used as they are, with a warning when they look unlogged.
        ``linear``: values must be > ``-offset`` and are transformed to ``log2(x + offset)``.
    offset
        Added before the log2 of linear values (``expression.offset``; default 0 = ``log2(x)``;
        1 = ``log2(x + 1)`` as BloodGen3Module, which allows zeros). Must be 0 with ``log2``.
    first_line
        Line of the file holding the first feature row (2 for a table with one header line; a
        GEO series matrix or GCT says where), for the line numbers of messages.
    collapse
        ``bridge.collapse``. ``none`` (default): a feature ID on several rows is an error.
        Otherwise rows sharing a feature ID (e.g. several probes named by their gene symbol)
        become one row, chosen as the bridge chooses probes (:mod:`modmap.stats.collapse`):
        ``max_mean`` / ``max_iqr`` keep the row with the highest mean / IQR over all sheet
        samples (log2; ties to the first row), ``mean`` averages the rows per sample.

    Returns
    -------
    matrix, warnings
        Float64 matrix (features x sheet samples, sheet order, log2 scale; NaN = missing) and
        human-readable warnings (rows with an empty feature ID, skipped; samples of the matrix
        not in the sheet; missing values; features with no value; matrix that looks unlogged).

    Raises
    ------
    InputError
        A matrix with no feature rows, duplicated feature IDs, a non-numeric cell (named by
        feature, line and sample), a sheet sample that is not a matrix column, values
        ``x + offset <= 0`` with ``scale: linear``, a non-zero offset with ``scale: log2``.
    """
    if not (np.isfinite(offset) and offset >= 0):
        raise InputError(
            f"expression.offset is {offset!r}; use 0 (log2(x)) or a positive number such as 1 "
            "(log2(x + 1))"
        )
    if offset and scale != "linear":
        raise InputError(
            f"expression.offset is {offset} but expression.scale is {scale!r}: the offset is "
            "added to linear values before log2. Set expression.scale: linear, or offset: 0."
        )
    warnings: list[str] = []
    if len(raw) == 0:
        raise InputError(
            f"{path}: the expression matrix has a header but no feature rows. Export the whole "
            "table (one row per feature), or point expression.path at the right file."
        )
    ids = pd.Series(raw.index.astype(str), index=range(len(raw)))
    empty = raw.index.isna() | (ids.str.strip() == "").to_numpy()
    if empty.any():
        lines = [str(int(i) + first_line) for i in np.flatnonzero(empty)]
        warnings.append(
            f"{path}: {len(lines)} row(s) with an empty feature ID in the first column are "
            f"skipped (line(s) {', '.join(lines[:5])}{', ...' if len(lines) > 5 else ''})."
        )
        raw = raw.loc[~empty]
        if len(raw) == 0:
            raise InputError(
                f"{path}: every row has an empty feature ID; the first column must hold the "
                "feature IDs (probe IDs or gene symbols)."
            )
    dup = raw.index.duplicated(keep=False)
    if dup.any() and collapse == "none":
        first = raw.index[dup][0]
        positions = np.flatnonzero(np.asarray(raw.index == first))
        lines = [str(int(np.flatnonzero(~empty)[i]) + first_line) for i in positions]
        raise InputError(
            f"{path}: feature ID {first!r} appears on lines {', '.join(lines)} "
            f"({int(raw.index[dup].nunique())} duplicated ID(s) in all). Collapse duplicated "
            "features with the bridge.collapse option (max_mean keeps the row with the highest "
            "mean; also max_iqr, mean), or collapse them in the file before running modmap."
        )
    missing = [s for s in sample_ids if s not in raw.columns]
    if missing:
        raise InputError(
            f"{path}: {len(missing)} sample(s) of the sample sheet are not columns of the "
            f"expression matrix: {_show(missing)}. Check the sample IDs (column headers must "
            "match the sample sheet exactly) or remove these rows from the sample sheet."
        )
    extra = [c for c in raw.columns if c not in set(sample_ids)]
    if extra:
        warnings.append(
            f"{path}: {len(extra)} matrix column(s) not in the sample sheet are ignored: "
            f"{_show(extra)}"
        )
    kept_rows = np.flatnonzero(~empty)

    def _line(pos: int) -> int:
        return int(kept_rows[pos]) + first_line

    # No copy when the matrix holds exactly the sheet's samples in sheet order (the usual case).
    matrix = raw if list(raw.columns) == list(sample_ids) else raw.loc[:, list(sample_ids)]
    for column, dtype in zip(matrix.columns, matrix.dtypes, strict=True):
        if is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            continue
        values = matrix[column]
        if pd.api.types.is_bool_dtype(values):
            bad = values.notna()  # TRUE/FALSE (pandas reads a column of them as booleans)
        else:
            bad = pd.to_numeric(values, errors="coerce").isna() & values.notna()
        if not bad.any():  # e.g. object dtype holding numbers only
            continue
        pos = first_true(bad)
        cell = values.iloc[pos]
        hint = (
            " It is written with a decimal comma: re-export the table with '.' as the decimal mark."
            if isinstance(cell, str) and _DECIMAL_COMMA.fullmatch(cell.strip())
            else ""
        )
        raise InputError(
            f"{path} line {_line(pos)}, feature {matrix.index[pos]!r}, sample column {column!r}: "
            f"{cell!r} is not a number. Use a plain number, or leave the cell empty "
            f"(or NA) for a missing value.{hint}"
        )
    # One float64 array (a view when the frame is one float64 block, as the fast reader gives)
    # and a new frame around it: no copy of the matrix on the way to the parquet cache.
    if not (matrix.dtypes == np.float64).all():
        matrix = matrix.astype(np.float64)
    values = matrix.to_numpy(dtype=np.float64)
    index = pd.Index(matrix.index.astype(str), name="feature_id")
    columns = matrix.columns
    del matrix
    inf = np.isinf(values)
    if inf.any():
        row, col = (int(i[0]) for i in np.nonzero(inf))
        raise InputError(
            f"{path} line {_line(row)}, feature {index[row]!r}, sample column "
            f"{columns[col]!r}: infinite value. Replace it with a number or leave it empty."
        )
    del inf
    if scale == "linear":
        shifted = values + offset  # the values log2 is taken of (a new array)
        nonpos = shifted <= 0
        if nonpos.any():
            row, col = (int(i[0]) for i in np.nonzero(nonpos))
            shown = f"value {values[row, col]}" + (f" + offset {offset}" if offset else "")
            raise InputError(
                f"{path} line {_line(row)}, feature {index[row]!r}, sample column "
                f"{columns[col]!r}: {shown} <= 0 cannot be log2-transformed "
                "(expression.scale: linear). Floor the intensities (e.g. at 10), set "
                "expression.offset: 1 for log2(x + 1) of counts with zeros, or give log2 values "
                "with expression.scale: log2."
            )
        del nonpos
        values = np.log2(shifted, out=shifted)
    else:
        evidence = looks_unlogged(values)
        if evidence:
            warnings.append(
                f"{path}: the values look unlogged although expression.scale is log2 ({evidence}). "
                "If the matrix holds linear intensities or counts, set expression.scale: linear so "
                "that modmap takes log2."
            )
    matrix = pd.DataFrame(values, index=index, columns=columns, copy=False)
    if dup.any():
        matrix, note = collapse_duplicated_ids(matrix, method=collapse)
        warnings.append(f"{path}: {note}")
    missing = np.isnan(matrix.to_numpy())
    n_missing = int(np.count_nonzero(missing))
    if n_missing:
        all_missing = matrix.index[missing.all(axis=1)]
        warnings.append(
            f"{path}: {n_missing} missing value(s); they are dropped gene by gene in the tests."
            + (
                f" {len(all_missing)} feature(s) have no value at all and are not tested: "
                f"{_show(list(all_missing))}"
                if len(all_missing)
                else ""
            )
        )
    return matrix, warnings


def collapse_duplicated_ids(
    matrix: pd.DataFrame, *, method: Literal["mean", "max_mean", "max_iqr"]
) -> tuple[pd.DataFrame, str]:
    """One row per feature ID: rows that share an ID are collapsed by ``method``.

    Parameters
    ----------
    matrix
        Features x samples, log2, index = feature IDs (some repeated), in file order.
    method
        ``max_mean`` / ``max_iqr``: keep the row with the highest mean / interquartile range
        over all samples (NaN ignored; ties to the first row in file order); ``mean``: per
        sample, the mean of the rows' values (NaN ignored).

    Returns
    -------
    matrix, note
        The collapsed matrix (one row per ID, in file order) and a sentence for the log.
    """
    ids = matrix.index
    dup = ids.duplicated(keep=False)
    n_ids, n_rows = int(ids[dup].nunique()), int(dup.sum())
    if method == "mean":
        with warnings_module.catch_warnings():
            warnings_module.simplefilter("ignore", RuntimeWarning)  # all-missing groups
            collapsed = matrix.groupby(level=0, sort=False).mean()
    else:
        score = probe_scores(matrix, method).to_numpy()
        order = pd.DataFrame(
            {"id": ids, "score": np.where(np.isnan(score), -np.inf, score), "pos": range(len(ids))}
        )
        best = order.sort_values(["id", "score", "pos"], ascending=[True, False, True])
        keep = np.sort(best.drop_duplicates("id")["pos"].to_numpy())
        collapsed = matrix.iloc[keep]
    collapsed.index.name = "feature_id"
    note = (
        f"{n_ids} feature ID(s) on several rows ({n_rows} rows) collapsed to one row each "
        f"with bridge.collapse: {method}."
    )
    return collapsed, note
