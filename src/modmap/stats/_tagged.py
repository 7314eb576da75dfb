"""Rank sums of tie-free genes from one pooled sort, each value's group in its lowest bit.

For a complete, finite gene, every value ``v`` is first normalised (``v + 0.0``: ``-0.0``
becomes ``0.0``) and then *tagged*: the lowest bit of its IEEE-754 bit pattern is set to 0 for
a case and 1 for a control. A tag moves a value by at most one unit in the last place and never
across another value whose bits differ from it above the lowest bit. Both groups are then
sorted together as floats (the bucket sort of :mod:`modmap.stats._buckets`: a counting sort on
a monotone bucket of the pooled range, then an insertion sort within buckets), and the sorted
row is checked: if no two neighbours are equal as floats and no two have the same bits above
the lowest one, then

- the original values are all distinct (no ties, so the tie term is 0), and tagging preserved
  their order, so the sorted row is the pooled sample in order with each value's group readable
  from its lowest bit;
- ``W = sum of the cases' 0-based positions - n_case (n_case - 1) / 2`` (R's statistic: the
  cases' rank sum minus its minimum), summed as an unsigned integer;
- each group's median is the mean of its middle value(s) in that order; a middle value's
  original bits are found again as the one value of its group with the same bits above the
  lowest (unique, by the check), so the medians are the exact input values, as the
  sort-and-merge path gives them.

Otherwise (two neighbours equal or a unit in the last place apart: a tie, or values the tag may
have reordered) the gene is declined, as are genes with a missing value or an infinity, a
range that overflows float64, and rows the insertion sort's move budget rejects; the caller
sends those to the sort-and-merge path. Against that path (both groups sorted, then merged),
this one sorts once, needs no merge and no copy back, and reads the medians off the tags.

A declined gene costs nearly a whole sort, so the path backs off on data that decline: after a
gene is declined for a tie or the move budget (properties of the data rather than of one gene),
the next ``_RETRY - 1`` genes are declined untried, and each further such decline doubles that
wait (up to ``_MAX_RETRY`` genes) until a gene is taken again. The wait carries over from one
block to the next through ``state``, so data where nearly every gene has a tie (values rounded
to a few decimals, counts) pay for about one try in ``_MAX_RETRY`` genes.
"""

from __future__ import annotations

import numba
import numpy as np

# Buckets per pooled value and the insertion sort's budget (moves per value) are the bucket
# sort's (_BUCKETS_PER_VALUE, _SHIFTS_PER_VALUE).
from modmap.stats._buckets import (
    _BUCKETS_PER_VALUE,
    _SHIFTS_PER_VALUE,
    insertion_sort,
    pooled_bucket_scale,
)

# After a gene declined for a tie or the budget, the next _RETRY - 1 genes are not tried; the
# wait doubles with each such decline in a row, up to _MAX_RETRY genes.
_RETRY = 16
_MAX_RETRY = 1024

# Cases counted per block of sorted positions (to find a group's k-th value quickly).
_BLOCK = 64

_ONE = np.uint64(1)
_TWO = np.uint64(2)
_ZERO = np.uint64(0)
_CLEAR = ~np.uint64(1)


@numba.njit(cache=True, nogil=True, inline="always")
def _bits(v):
    # The bit pattern of v + 0.0 (-0.0 normalised to 0.0).
    return np.float64(v + 0.0).view(np.uint64)


@numba.njit(cache=True, nogil=True, inline="always")
def _case(v):
    return np.uint64(_bits(v) & _CLEAR).view(np.float64)


@numba.njit(cache=True, nogil=True, inline="always")
def _control(v):
    return np.uint64(_bits(v) | _ONE).view(np.float64)


@numba.njit(cache=True, nogil=True, inline="always")
def _bucket(v, lo, scale, top):
    # Monotone bucket of a tagged value; a tag may move a value one unit in the last place
    # below lo or above the maximum, hence the clamp at both ends.
    return np.uint32(min(max((v - lo) * scale, 0.0), top))


@numba.njit(cache=True, nogil=True, inline="always")
def _nth(bits, n, block_cases, k, tag):
    # Bits of the k-th (0-based) value of group `tag` (0: cases, 1: controls) in the sorted
    # row bits[2:n + 2], using the cases counted per block of _BLOCK positions.
    blk = 0
    seen = _ZERO
    while True:
        size = np.uint64(min(_BLOCK, n - blk * _BLOCK))
        c = block_cases[blk] if tag == 0 else size - block_cases[blk]
        if seen + c > k:
            break
        seen += c
        blk += 1
    p = np.uint64(blk * _BLOCK) + _TWO
    while True:
        if (bits[p] & _ONE) == tag:
            if seen == k:
                return bits[p]
            seen += _ONE
        p += _ONE


@numba.njit(cache=True, nogil=True, inline="always")
def _originals(a, m, k0, k1):
    # The normalised values of a[:m] whose bits agree with k0 (k1) above the lowest bit. Each
    # is unique, so an OR over the masked bit patterns is exact (and vectorises).
    h0 = k0 >> _ONE
    h1 = k1 >> _ONE
    f0 = _ZERO
    f1 = _ZERO
    for i in range(m):
        r = _bits(a[i])
        q = r >> _ONE
        f0 |= r if q == h0 else _ZERO
        f1 |= r if q == h1 else _ZERO
    return np.uint64(f0).view(np.float64), np.uint64(f1).view(np.float64)


@numba.njit(cache=True, nogil=True)
def tagged_block(xs, ys, mx, my, rows, n_x, n_y, stat, ties, med_x, med_y, declined, state):
    """Per-gene rank statistics of the tie-free genes among ``rows`` of a gathered block.

    Parameters
    ----------
    xs, ys
        2-D float64 arrays, one row per gene: the cases in ``xs[g, :mx]``, the controls in
        ``ys[g, :my]`` (NaN = missing), unsorted. Not modified.
    mx, my
        Values per gene in each group (before dropping NaN); both at least 1.
    rows
        int64 indices of the rows to try, in order.
    n_x, n_y, stat, ties, med_x, med_y
        Outputs indexed by row (see :class:`modmap.stats.ranks.RankSums`); a declined row's
        entries are left untouched.
    declined
        int64 array of at least ``rows.size`` entries; receives the declined rows, in order.
    state
        int64 array of 2, the back-off carried from block to block (start with
        ``new_state()``): genes still to decline untried, and the wait after the next decline.

    Returns
    -------
    int
        Number of declined rows (they are ``declined[:k]``).
    """
    n = mx + my
    s = np.empty(n + 2)
    s[0] = s[1] = -np.inf  # sentinels: the insertion sort needs no bound checks
    bits = s.view(np.uint64)
    idx = np.empty(n, np.uint32)
    n_b = int(_BUCKETS_PER_VALUE * n)
    starts = np.empty(n_b + 1, np.uint32)
    top = float(n_b - 1)
    budget = np.uint64(_SHIFTS_PER_VALUE * n)
    n_blocks = (n + _BLOCK - 1) // _BLOCK
    block_cases = np.empty(n_blocks, np.uint64)
    n_declined = 0
    wait = state[0]
    backoff = state[1]
    for r in rows:
        if wait > 0:
            wait -= 1
            declined[n_declined] = r
            n_declined += 1
            continue
        x = xs[r]
        y = ys[r]
        lo, scale, n_nan = pooled_bucket_scale(x, mx, y, my, n_b)
        # A missing value, all values equal, an infinity, a range overflowing float64.
        if n_nan > 0 or scale == 0.0:
            declined[n_declined] = r
            n_declined += 1
            continue
        # Counting sort of the tagged values on their buckets.
        for i in range(mx):
            idx[i] = _bucket(_case(x[i]), lo, scale, top)
        for i in range(my):
            idx[mx + i] = _bucket(_control(y[i]), lo, scale, top)
        starts[:] = 0
        for i in range(n):
            starts[np.uint64(idx[i]) + _ONE] += np.uint32(1)
        for b in range(_ONE, np.uint64(n_b)):
            starts[b] += starts[b - _ONE]
        for i in range(mx):
            b = np.uint64(idx[i])
            s[_TWO + np.uint64(starts[b])] = _case(x[i])
            starts[b] += np.uint32(1)
        for i in range(my):
            b = np.uint64(idx[mx + i])
            s[_TWO + np.uint64(starts[b])] = _control(y[i])
            starts[b] += np.uint32(1)
        # Insertion sort within buckets; then neighbours equal, or equal above the lowest bit:
        # a tie, or an order the tag may have changed.
        near = not insertion_sort(s, n, budget)
        if not near:
            for i in range(_TWO, np.uint64(n + 1)):
                near |= (s[i] == s[i + _ONE]) | ((bits[i] >> _ONE) == (bits[i + _ONE] >> _ONE))
        if near:
            declined[n_declined] = r
            n_declined += 1
            wait = backoff - 1
            backoff = min(2 * backoff, _MAX_RETRY)
            continue
        backoff = _RETRY
        # W from the cases' positions; cases per block for the medians.
        w = _ZERO
        for blk in range(n_blocks):
            p0 = blk * _BLOCK
            c = _ZERO
            for p in range(np.uint64(p0), np.uint64(min(p0 + _BLOCK, n))):
                is_case = (bits[p + _TWO] & _ONE) ^ _ONE
                w += p * is_case
                c += is_case
            block_cases[blk] = c
        w -= np.uint64(mx * (mx - 1) // 2)
        fx0, fx1 = _originals(
            x,
            mx,
            _nth(bits, n, block_cases, np.uint64((mx - 1) // 2), 0),
            _nth(bits, n, block_cases, np.uint64(mx // 2), 0),
        )
        fy0, fy1 = _originals(
            y,
            my,
            _nth(bits, n, block_cases, np.uint64((my - 1) // 2), 1),
            _nth(bits, n, block_cases, np.uint64(my // 2), 1),
        )
        n_x[r] = mx
        n_y[r] = my
        stat[r] = float(w)
        ties[r] = 0.0
        med_x[r] = fx0 if mx % 2 == 1 else 0.5 * (fx0 + fx1)
        med_y[r] = fy0 if my % 2 == 1 else 0.5 * (fy0 + fy1)
    state[0] = wait
    state[1] = backoff
    return n_declined


def new_state() -> np.ndarray:
    """The back-off state of :func:`tagged_block` before its first block: try the first gene."""
    return np.array([0, _RETRY], np.int64)
