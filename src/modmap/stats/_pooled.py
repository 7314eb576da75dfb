"""Rank sums of heavily tied genes straight from one pooled histogram, without sorting.

For one gene, both groups' values go to buckets of one monotone function of the pooled range,
``b(v) = min(B - 1, int((v - lo) * (B / (hi - lo))))`` (``lo``, ``hi``: the pooled minimum and
maximum of the non-missing values; ``B``: buckets). As in :mod:`modmap.stats._buckets`,
``v < w`` gives ``b(v) <= b(w)`` and equal values (``-0.0`` and ``0.0`` included) share a
bucket. When moreover every bucket holds one distinct value (a *pure* gene: values with few
distinct levels, such as values rounded to two decimals, counts, or detection floors, and a
bucket narrower than the gap between levels), the buckets in order are the runs of tied values
of the pooled sorted sample, so one walk over the buckets gives everything exactly:

- ``W = sum_b cases_b * (controls_below_b + controls_b / 2)`` (R's mid-ranks: a case tied with
  ``d`` controls counts each of them as one half);
- the tie term ``sum_b t_b^3 - t_b`` with ``t_b = cases_b + controls_b``;
- each group's median, from the bucket holding its middle position(s).

Twice W and the tie term are summed as int64, so both are exact. A gene is declined (left to the
sort-and-merge path of :mod:`modmap.stats.ranks`) as soon as a bucket receives a second distinct
value, and when it has an infinity, a range overflowing float64, all values equal, or an empty
group. On smooth data nearly every gene is declined after a few values; so that such data pay
almost nothing, after a gene declined for a second value in a bucket the next ``_RETRY - 1``
genes of the block are declined untried.
"""

from __future__ import annotations

import numba
import numpy as np

from modmap.stats._buckets import pooled_bucket_scale

# Buckets per pooled value. More buckets make a gene pure more often (a bucket must be narrower
# than the gap between distinct values: at 2,000 + 2,000, values rounded to two decimals are pure
# up to a range of 20) but lengthen the walk. At 2,000 + 2,000, values rounded to two decimals,
# one thread, AMD EPYC host: ~4.8 ns per value with 1/2 bucket per value, ~5.0 with 1, ~6.4
# with 2 (the sort and merge: ~7.5-8.5 ns).
BUCKETS_PER_VALUE = 0.5

# After a gene declined for a second value in a bucket, the next _RETRY - 1 genes are not tried.
_RETRY = 16

_LOW = np.int64(0xFFFFFFFF)  # the case count, in the low 32 bits of a packed bucket count
_CONTROL = np.int64(1) << np.int64(32)  # one control, in the high 32 bits


@numba.njit(cache=True, nogil=True, inline="always")
def _fill(a, m, lo, scale, top, nan_b, counts, rep, inc):
    # Count a[:m] into the buckets (NaN into bucket nan_b) and keep a value of each bucket in
    # rep; then check that every value equals its bucket's: False at the first that does not.
    # (Two passes: a load of rep[b] in the counting pass would wait on the previous stores.)
    # Bucket indices are unsigned: numba wraps a signed index that may be negative (a shift, a
    # mask and a conditional move per access), an unsigned one it does not.
    for i in range(m):
        v = a[i]
        b = nan_b if v != v else min(np.uint64(np.int32((v - lo) * scale)), top)
        counts[b] += inc
        rep[b] = v + 0.0  # -0.0 + 0.0 is 0.0
    for i in range(m):
        v = a[i]
        if v == v and rep[min(np.uint64(np.int32((v - lo) * scale)), top)] != v:
            return False
    return True


@numba.njit(cache=True, nogil=True, inline="always")
def _median(counts, rep, m, shift):
    # Median of one group (m values, counts in bits `shift` of the packed counts; rep its
    # bucket values): the values at 0-based positions (m - 1) // 2 and m // 2, in one pass.
    p0 = (m - 1) // 2
    acc = np.int64(0)
    b = 0
    while True:
        acc += (counts[b] >> shift) & _LOW
        if acc > p0:
            break
        b += 1
    v0 = rep[b]
    if m % 2 == 1:
        return v0
    while acc <= p0 + 1:  # position m // 2 lies in a later bucket
        b += 1
        acc += (counts[b] >> shift) & _LOW
    return 0.5 * (v0 + rep[b])


@numba.njit(cache=True, nogil=True)
def pooled_block(xs, ys, mx, my, n_x, n_y, stat, ties, med_x, med_y, declined, buckets_per_value):
    """Per-gene rank statistics of the pure genes of a block of gathered, unsorted rows.

    Parameters
    ----------
    xs, ys
        2-D float64 arrays, one row per gene: the cases in ``xs[g, :mx]``, the controls in
        ``ys[g, :my]`` (NaN = missing). Not modified.
    mx, my
        Values per gene in each group (before dropping NaN).
    n_x, n_y, stat, ties, med_x, med_y
        Outputs, one entry per gene (see :class:`modmap.stats.ranks.RankSums`); a declined
        gene's entries are left untouched.
    declined
        int64 array of at least ``xs.shape[0]`` entries; receives the declined genes, in order.
    buckets_per_value
        Buckets per pooled value.

    Returns
    -------
    int
        Number of declined genes (their indices are ``declined[:k]``).
    """
    n_rows = xs.shape[0]
    n_b = max(1, int(buckets_per_value * (mx + my)))
    counts = np.empty(n_b + 1, np.int64)  # packed: cases + (controls << 32); [n_b]: NaN
    rep_x = np.empty(n_b + 1)  # a case value of each bucket
    rep_y = np.empty(n_b + 1)  # a control value of each bucket
    top = np.uint64(n_b - 1)
    nan_b = np.uint64(n_b)
    n_declined = 0
    wait = 0  # genes to skip before the next try, after a declined gene
    for r in range(n_rows):
        if wait > 0:
            wait -= 1
            declined[n_declined] = r
            n_declined += 1
            continue
        x = xs[r]
        y = ys[r]
        lo, scale, _ = pooled_bucket_scale(x, mx, y, my, n_b)
        # No bucket function: all missing, all equal, an infinity, an overflow.
        if scale == 0.0:
            declined[n_declined] = r
            n_declined += 1
            continue
        counts[:] = 0
        if not (
            _fill(x, mx, lo, scale, top, nan_b, counts, rep_x, np.int64(1))
            and _fill(y, my, lo, scale, top, nan_b, counts, rep_y, _CONTROL)
        ):
            declined[n_declined] = r
            n_declined += 1
            wait = _RETRY - 1
            continue
        nx = mx - (counts[n_b] & _LOW)
        ny = my - (counts[n_b] >> 32)
        if nx == 0 or ny == 0:
            declined[n_declined] = r
            n_declined += 1
            continue
        # Walk the buckets in order: W and the tie term.
        below = np.int64(0)  # controls in lower buckets
        w2 = np.int64(0)  # twice W
        tie = np.int64(0)
        pure = True  # a bucket holding both groups holds one value
        for b in range(n_b):
            c = counts[b]
            cx = c & _LOW
            cy = c >> 32
            w2 += cx * (2 * below + cy)
            t = cx + cy
            tie += t * t * t - t
            pure &= (cx == 0) | (cy == 0) | (rep_x[b] == rep_y[b])
            below += cy
        if not pure:
            declined[n_declined] = r
            n_declined += 1
            wait = _RETRY - 1
            continue
        n_x[r] = nx
        n_y[r] = ny
        stat[r] = w2 / 2.0
        ties[r] = float(tie)
        med_x[r] = _median(counts, rep_x, nx, 0)
        med_y[r] = _median(counts, rep_y, ny, 32)
    return n_declined
