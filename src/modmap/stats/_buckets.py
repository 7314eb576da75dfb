"""Bucket sort of the rows of a genes x samples block: exact, O(n) per row for smooth data.

Per row, over its finite values: ``lo`` = min, ``hi`` = max, and value ``v`` goes to bucket
``min(B - 1, int((v - lo) * (B / (hi - lo))))`` with ``B`` = twice the number of finite
values. Each step (an IEEE subtraction of a constant, a product with a positive constant,
truncation of a non-negative number, the clamp) is monotone non-decreasing, so ``v < w``
gives ``b(v) <= b(w)`` and equal values (``-0.0`` and ``0.0`` included) share a bucket: a
counting sort on the bucket orders the row exactly up to the order inside each bucket, and an
insertion sort over the whole row, which only moves values within their bucket, finishes the
sort. Missing values (NaN) go to an extra last bucket, so a row ends sorted with its NaN last,
as ``numpy.sort`` leaves it.

The insertion sort is bounded: a row with an infinity, with a range that does not fit a float64,
or whose insertion sort moves more than ``_SHIFTS_PER_VALUE`` values per value on average (many
distinct values in a few buckets: an extreme outlier, a heavy tail) is left untouched and
reported, and the caller sorts it with ``numpy.sort``. Ties cost no moves (equal values are not
moved past each other), so heavily tied rows (rounded values, many zeros) stay on this path.
"""

from __future__ import annotations

import numba
import numpy as np

# Insertion-sort budget: moves per finite value, averaged over the row, before the row is handed
# back to numpy.sort. Smooth data move ~0.1 values per value beyond one place.
_SHIFTS_PER_VALUE = 4

# Buckets per finite value. Normal values, 2,000 per row, CPU time per value on the AMD EPYC
# host: 6.1 ns with 1 bucket per value (11 % of values move more than one place), 5.0-5.6 ns
# with 2 (4 %), 5.4-5.5 ns with 3 or 4 (longer counting passes); numpy.sort there: 17 ns.
_BUCKETS_PER_VALUE = 2.0

# Rows of at most this many values are sorted with numpy.sort: on the AMD EPYC benchmark host its
# sorting networks beat the bucket sort up to 256 values (0.6-0.8x the time per value), the
# bucket sort is faster from ~350 on (1.1-1.3x at 350, 1.3-1.4x at 500, 2-2.5x at 2,000).
NUMPY_MAX_WIDTH = 256

_ONE = np.uint64(1)
_TWO = np.uint64(2)


@numba.njit(cache=True, nogil=True, inline="always")
def min_max_nan(row, width):
    """Minimum and maximum of the non-NaN values of ``row[:width]`` and the number of NaN.

    Four independent accumulators: one running minimum would chain every compare-and-select
    on the previous one. (With no non-NaN value: ``inf``, ``-inf``. Of ``-0.0`` and ``0.0``
    either may be returned: they compare equal and give every value the same bucket.)
    """
    lo0 = lo1 = lo2 = lo3 = np.inf
    hi0 = hi1 = hi2 = hi3 = -np.inf
    n_nan = 0
    stop = width - width % 4
    for i in range(0, stop, 4):
        v0 = row[i]
        v1 = row[i + 1]
        v2 = row[i + 2]
        v3 = row[i + 3]
        n_nan += np.int64(v0 != v0) + np.int64(v1 != v1) + np.int64(v2 != v2) + np.int64(v3 != v3)
        lo0 = v0 if v0 < lo0 else lo0
        lo1 = v1 if v1 < lo1 else lo1
        lo2 = v2 if v2 < lo2 else lo2
        lo3 = v3 if v3 < lo3 else lo3
        hi0 = v0 if v0 > hi0 else hi0
        hi1 = v1 if v1 > hi1 else hi1
        hi2 = v2 if v2 > hi2 else hi2
        hi3 = v3 if v3 > hi3 else hi3
    for i in range(stop, width):
        v = row[i]
        n_nan += np.int64(v != v)
        lo0 = v if v < lo0 else lo0
        hi0 = v if v > hi0 else hi0
    return min(min(lo0, lo1), min(lo2, lo3)), max(max(hi0, hi1), max(hi2, hi3)), n_nan


@numba.njit(cache=True, nogil=True, inline="always")
def bucket_scale(lo, hi, n_b):
    """Scale ``n_b / (hi - lo)`` of the bucket function ``int((v - lo) * scale)`` over [lo, hi].

    0.0 where no such function exists: ``hi - lo`` not positive (no two distinct finite values,
    all missing), infinite (an infinity, or a range that overflows float64), or so small that
    the scale overflows.
    """
    span = hi - lo
    if not (span > 0.0) or span == np.inf:
        return 0.0
    scale = n_b / span
    return 0.0 if scale == np.inf else scale


@numba.njit(cache=True, nogil=True, inline="always")
def pooled_bucket_scale(x, mx, y, my, n_b):
    """One gene's two groups ``x[:mx]`` and ``y[:my]`` on ``n_b`` buckets of their pooled range.

    Returns ``lo``, the :func:`bucket_scale` of the pooled range (0.0: none) and the number
    of missing values.
    """
    lo_x, hi_x, nan_x = min_max_nan(x, mx)
    lo_y, hi_y, nan_y = min_max_nan(y, my)
    lo = min(lo_x, lo_y)
    return lo, bucket_scale(lo, max(hi_x, hi_y), n_b), nan_x + nan_y


@numba.njit(cache=True, nogil=True, inline="always")
def insertion_sort(s, n, budget):
    """Insertion sort of ``s[2:n + 2]`` in place, after ``s[0] = s[1] = -inf`` (sentinels).

    Meant for values already in bucket order, where few move more than one place: the step by
    one place is branch-free (min/max); a value moving further takes the loop, whose moves
    count against ``budget`` (uint64). Returns False, leaving ``s`` partly sorted, as soon as
    the moves exceed the budget. Equal values are never moved past each other.
    """
    moved = np.uint64(0)
    top1 = s[2]  # the largest and second largest value sorted so far, kept in registers
    top2 = -np.inf
    for i in range(np.uint64(3), np.uint64(n + 2)):
        v = s[i]
        a = max(top1, v)
        b = min(top1, v)
        s[i] = a
        s[i - _ONE] = b
        if top2 > v:
            j = i - _ONE
            while s[j - _ONE] > v:
                s[j] = s[j - _ONE]
                j -= _ONE
            s[j] = v
            moved += i - j
            if moved > budget:
                return False
        top1 = a
        top2 = max(top2, b)
    return True


@numba.njit(cache=True, nogil=True)
def bucket_sort_rows(buf, width, failed, rows, buckets_per_value=_BUCKETS_PER_VALUE):
    """Sort ``buf[r, :width]`` ascending (NaN last) in place for every row ``r`` of ``rows``.

    Parameters
    ----------
    buf
        2-D float64 array, C-ordered rows of at least ``width`` columns.
    width
        Number of leading columns to sort in each row.
    failed
        int64 array of at least ``rows.size`` entries; receives the indices of the rows left
        unsorted (an infinity, a range overflowing float64, the insertion budget exceeded).
    rows
        int64 indices of the rows to sort; the others are not touched.
    buckets_per_value
        Buckets per finite value of the row (more buckets: fewer values out of order within a
        bucket, a longer counting pass).

    Returns
    -------
    int
        Number of failed rows (their indices are ``failed[:k]``); those rows are unchanged.
        In a sorted row, ``-0.0`` is written as ``0.0`` (the two are one tied value).
    """
    n_failed = 0
    # Two -inf sentinels in front of the values: the insertion sort needs no bound checks.
    scratch = np.empty(width + 2)
    scratch[0] = scratch[1] = -np.inf
    s = scratch
    # Unsigned indices throughout the passes below: numba wraps a signed index that may be
    # negative (a shift, a mask and a conditional move per access), an unsigned one it does not.
    idx = np.empty(width, np.uint32)
    starts = np.empty(int(buckets_per_value * width) + 2, np.uint32)
    for r in rows:
        row = buf[r]
        lo, hi, n_nan = min_max_nan(row, width)
        nf = width - n_nan
        if nf <= 1 or lo == hi:
            # At most one distinct finite value (maybe as -0.0 and 0.0): finite values first.
            k = 0
            for i in range(width):
                v = row[i]
                if v == v:
                    row[k] = v + 0.0
                    k += 1
            for i in range(k, width):
                row[i] = np.nan
            continue
        n_b = max(1, int(buckets_per_value * nf))
        scale = bucket_scale(lo, hi, n_b)
        if scale == 0.0:  # an infinity, a range overflowing float64
            failed[n_failed] = r
            n_failed += 1
            continue
        top = np.int32(n_b - 1)
        # Bucket of every value (NaN: the extra bucket n_b), then a counting sort on it.
        if n_nan == 0:
            for i in range(width):
                idx[i] = min(np.int32((row[i] - lo) * scale), top)
        else:
            for i in range(width):
                v = row[i]
                idx[i] = n_b if v != v else min(np.int32((v - lo) * scale), top)
        starts[: n_b + 2] = 0
        for i in range(width):
            starts[np.uint64(idx[i]) + _ONE] += np.uint32(1)
        for b in range(_ONE, np.uint64(n_b + 1)):
            starts[b] += starts[b - _ONE]
        for i in range(width):
            b = np.uint64(idx[i])
            s[_TWO + np.uint64(starts[b])] = row[i] + 0.0  # -0.0 + 0.0 is 0.0
            starts[b] += np.uint32(1)
        # Insertion sort of the finite values s[2:nf + 2]; only values of one bucket can be out
        # of order.
        if not insertion_sort(s, nf, np.uint64(_SHIFTS_PER_VALUE * nf)):
            failed[n_failed] = r
            n_failed += 1
            continue
        row[:width] = s[2:]
    return n_failed


def sort_rows(buf: np.ndarray, width: int, rows: np.ndarray | None = None) -> int:
    """Sort ``buf[:, :width]`` row-wise in place (ascending, NaN last); returns the fallbacks.

    Rows longer than ``NUMPY_MAX_WIDTH`` go through :func:`bucket_sort_rows`, and the rows it
    declines are sorted with ``numpy.sort``; shorter rows all go to ``numpy.sort``, which is
    faster there (both release the GIL). ``buf`` must have C-ordered (contiguous) rows. With
    ``rows`` (int64 indices), only those rows are sorted, in place, and the others not touched.

    Returns
    -------
    int
        Number of rows sorted by ``numpy.sort`` (the fallback).
    """
    if width <= NUMPY_MAX_WIDTH:
        if rows is None:
            buf[:, :width].sort(axis=1)
            return buf.shape[0]
        buf[rows, :width] = np.sort(buf[rows, :width], axis=1)
        return rows.size
    if rows is None:
        rows = np.arange(buf.shape[0])
    failed = np.empty(rows.size, np.int64)
    k = bucket_sort_rows(buf, width, failed, rows)
    if k:
        back = failed[:k]
        buf[back, :width] = np.sort(buf[back, :width], axis=1)
    return k
