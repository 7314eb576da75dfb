"""Rank kernels: the per-gene sufficient statistics of the Wilcoxon tests, vectorised over genes.

The kernels take a genes x samples block for each group and return, per gene, the number of
non-missing values, the rank statistic (R's ``W`` or ``V``), the tie term ``sum(t^3 - t)`` over
groups of tied values, and the group medians. They compile with numba and drop missing values
(NaN) per gene.

Two-sample kernel (:func:`rank_sums`): chunks of genes are spread over worker threads; in each,
both groups are gathered into per-thread buffers. When both groups have more than 256 values,
genes with few distinct values (rounded values, counts) are first tried by
:func:`modmap.stats._pooled.pooled_block`, which reads W, the tie term and the medians off one
pooled histogram without sorting; it declines every other gene. Those are then tried by
:func:`modmap.stats._tagged.tagged_block`, which sorts both groups together once with each
value's group in its lowest bit and takes the genes without ties (W from the cases' positions,
no merge). The remaining genes are sorted row-wise, then a numba kernel merges
the two sorted runs of every gene, 4 genes at once: a branch-free counting merge for complete,
tie-free genes and a merge of run-length encoded runs, handing out mid-ranks as R's
``rank(ties.method = "average")``, for the rest. Ties are exact float64 equality (so
``-0.0 == 0.0``, as in R). The sort (:func:`modmap.stats._buckets.sort_rows`) is an exact
bucket sort in numba for rows of more than 256 values: a counting sort on a monotone bucket of
each value (``int((v - min) * B / (max - min))``, so ``v < w`` never puts ``w`` in a lower
bucket and equal values share one), then an insertion sort that only reorders values within a
bucket; rows it declines (an infinity, a range overflowing float64, many distinct values in a
few buckets such as an extreme outlier) and shorter rows are sorted with ``numpy.sort``. Either
way the merge sees the same sorted values, so W, the tie term and the medians do not depend on
the path (except the sign of a median that is zero: the bucket sort writes ``-0.0`` as
``0.0``; ``numpy.sort`` leaves tied zeros in no defined order).
Signed-rank kernel (:func:`signed_ranks`): a numba ``prange`` loop over genes.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numba
import numpy as np

from modmap.stats._buckets import NUMPY_MAX_WIDTH, sort_rows
from modmap.stats._pooled import BUCKETS_PER_VALUE, pooled_block
from modmap.stats._tagged import new_state as new_tagged_state
from modmap.stats._tagged import tagged_block

__all__ = ["RankSums", "SignedRanks", "rank_sums", "signed_ranks"]


class RankSums(NamedTuple):
    """Per-gene statistics of the two-sample (Mann-Whitney) test, one value per gene per field.

    Attributes
    ----------
    n_case, n_control
        Non-missing values in each group (int64).
    statistic
        R's ``W``: rank sum of the cases in the pooled sample minus ``n_case (n_case + 1) / 2``
        (a multiple of 0.5; NaN when a group has no value).
    tie_term
        ``sum(t^3 - t)`` over the groups of ``t`` tied values in the pooled sample (0: no ties).
    median_case, median_control
        Group medians of the non-missing values (NaN when the group is empty).
    """

    n_case: np.ndarray
    n_control: np.ndarray
    statistic: np.ndarray
    tie_term: np.ndarray
    median_case: np.ndarray
    median_control: np.ndarray


class SignedRanks(NamedTuple):
    """Per-gene statistics of the paired (signed-rank) test; one value per gene.

    Attributes
    ----------
    n_pairs
        Pairs with both values present (int64).
    n_nonzero
        Of these, pairs whose difference ``case - control`` is not exactly zero (int64).
    statistic
        R's ``V``: sum of the ranks of ``|d|`` over the positive differences ``d`` (zeros
        dropped first).
    tie_term
        ``sum(t^3 - t)`` over groups of ``t`` tied ``|d|`` (0: no ties).
    median_case, median_control
        Medians of the case and control values of the complete pairs.
    """

    n_pairs: np.ndarray
    n_nonzero: np.ndarray
    statistic: np.ndarray
    tie_term: np.ndarray
    median_case: np.ndarray
    median_control: np.ndarray


@numba.njit(cache=True, inline="always")
def _median_sorted(a, n):
    if n == 0:
        return np.nan
    h = n // 2
    if n % 2 == 1:
        return a[h]
    return 0.5 * (a[h - 1] + a[h])


@numba.njit(cache=True, inline="always")
def _runs(a, n, vals, counts):
    # Run-length encoding of the sorted a[:n] into vals/counts (branch-free); a +inf sentinel
    # with count 0 follows the last run. Returns the number of runs.
    k = 0
    for i in range(n):
        new = np.int64(i == 0 or a[i] != a[i - 1])
        k += new
        vals[k - 1] = a[i]
        counts[k - 1] = float(i + 1)  # end of the run so far; turned into a length below
    prev = 0.0
    for r in range(k):
        end = counts[r]
        counts[r] = end - prev
        prev = end
    vals[k] = np.inf
    counts[k] = 0.0
    return k


@numba.njit(cache=True, inline="always")
def _run_step(ux, cx, uy, cy, i, j, kx, ky, pos, rsum, tie):
    # One step of the merge of two run-length encoded sorted runs: the smaller head run (both
    # when equal) is ranked. A run of t = cx + cy equal values starting after `pos` ranked
    # values gives the cases cx * (pos + (t + 1) / 2), R's mid-rank, and adds t^3 - t to the
    # tie term. Sentinel runs (count 0) add nothing, so lanes may run past their end.
    a = ux[i]
    c = uy[j]
    tx = np.int64(a <= c)
    ty = np.int64(c <= a)
    ca = cx[i] * tx
    cb = cy[j] * ty
    t = ca + cb
    rsum += ca * (pos + (t + 1.0) / 2.0)
    tie += t * t * t - t
    return min(i + tx, kx), min(j + ty, ky), pos + t, rsum, tie


@numba.njit(cache=True, nogil=True, inline="always")
def _count4(x0, x1, x2, x3, y0, y1, y2, y3, mx, my):
    # Branch-free counting merge of 4 sorted, tie-free pairs of runs, W = sum_i #{y < x_i}. The
    # runs are readable one past their end, where a +inf sentinel stops them. Also returns
    # whether any two heads were equal (a tie across the groups).
    i0 = i1 = i2 = i3 = 0
    j0 = j1 = j2 = j3 = 0
    u0 = u1 = u2 = u3 = 0
    e0 = e1 = e2 = e3 = False
    for _ in range(mx + my):
        a0 = x0[i0]
        c0 = y0[j0]
        a1 = x1[i1]
        c1 = y1[j1]
        a2 = x2[i2]
        c2 = y2[j2]
        a3 = x3[i3]
        c3 = y3[j3]
        e0 |= a0 == c0
        e1 |= a1 == c1
        e2 |= a2 == c2
        e3 |= a3 == c3
        b0 = np.int64(a0 <= c0)
        b1 = np.int64(a1 <= c1)
        b2 = np.int64(a2 <= c2)
        b3 = np.int64(a3 <= c3)
        u0 += j0 * b0
        u1 += j1 * b1
        u2 += j2 * b2
        u3 += j3 * b3
        i0 += b0
        i1 += b1
        i2 += b2
        i3 += b3
        j0 += 1 - b0
        j1 += 1 - b1
        j2 += 1 - b2
        j3 += 1 - b3
    return (u0, u1, u2, u3), (e0, e1, e2, e3)


# Genes merged together; independent merges hide the load-compare latency. The unrolled loops
# in _merge_block hard-code 4.
_LANES = 4

# Default chunk: about 4 MiB of sort buffers per thread for row-major input, so a chunk stays in
# cache (L2/L3) between the gather, the sort and the merge; half that (65 genes at 2,000 +
# 2,000) when gathering from a column-major matrix, whose transposed chunk must then stay in or
# near the core's L2 (1 MiB on the AMD EPYC benchmark host) while each column is still read in
# runs of several cache lines. CPU time per value at 2,000 + 2,000 in the job layout (60,000
# genes, column-major, one thread; min / median of 18-19 slices of 1,040 genes each, load 5):
# 9.3-10.0 / 11.9-12.3 ns with 65 genes per chunk, 9.4 / 12.2 ns with 32, 10.2 / 12.2 ns with
# 128, 11.4 / 14.2 ns with 262 (the former default, 8 MiB for column-major input).
_CHUNK_BYTES = 2**22


@numba.njit(cache=True, nogil=True)
def _merge_block(xs, ys, rows, mx, my, n_x, n_y, stat, ties, med_x, med_y):
    """Statistics of the genes ``rows`` of a block whose groups are sorted row-wise (NaN last).

    Row ``g`` of ``xs`` holds ``mx`` sorted values and then a +inf sentinel (``xs`` has
    ``mx + 1`` columns); likewise ``ys``. Complete, finite genes
    without ties take a branch-free counting merge, ``W = sum_i #{y < x_i}``; all other genes
    (ties within or across groups, NaN, infinities) a merge of run-length encoded runs that
    hands out mid-ranks. Both run on ``_LANES`` genes at once.
    """
    n_genes = rows.size
    fast = np.empty(n_genes, np.int64)
    n_fast = 0
    slow = np.empty(n_genes, np.int64)
    n_slow = 0
    for g in rows:
        x = xs[g]
        y = ys[g]
        nx = mx
        while nx > 0 and np.isnan(x[nx - 1]):
            nx -= 1
        ny = my
        while ny > 0 and np.isnan(y[ny - 1]):
            ny -= 1
        n_x[g] = nx
        n_y[g] = ny
        med_x[g] = _median_sorted(x, nx)
        med_y[g] = _median_sorted(y, ny)
        if nx == 0 or ny == 0:
            stat[g] = np.nan
            ties[g] = 0.0
            continue
        within = False
        for i in range(1, nx):
            within |= x[i] == x[i - 1]
        for j in range(1, ny):
            within |= y[j] == y[j - 1]
        if within or nx < mx or ny < my or abs(x[0]) == np.inf or abs(x[nx - 1]) == np.inf:
            slow[n_slow] = g
            n_slow += 1
        elif abs(y[0]) == np.inf or abs(y[ny - 1]) == np.inf:
            slow[n_slow] = g
            n_slow += 1
        else:
            fast[n_fast] = g
            n_fast += 1
    # Complete, finite genes without within-group ties: branch-free counting merge of 4 genes
    # at once. A gene with a value shared by both groups (a cross tie) goes to the run merge.
    for f0 in range(0, n_fast, _LANES):
        k = min(_LANES, n_fast - f0)
        g0 = fast[f0]
        g1 = fast[f0 + 1] if k > 1 else g0
        g2 = fast[f0 + 2] if k > 2 else g0
        g3 = fast[f0 + 3] if k > 3 else g0
        x0, x1, x2, x3 = xs[g0], xs[g1], xs[g2], xs[g3]
        y0, y1, y2, y3 = ys[g0], ys[g1], ys[g2], ys[g3]
        us, es = _count4(x0, x1, x2, x3, y0, y1, y2, y3, mx, my)
        gs = (g0, g1, g2, g3)
        for q in range(k):
            if es[q]:
                slow[n_slow] = gs[q]
                n_slow += 1
            else:
                stat[gs[q]] = float(us[q])
                ties[gs[q]] = 0.0
    # The other genes: run-length encode each sorted group, then merge the runs of 4 genes at
    # once (with many ties the runs are much shorter than the groups).
    ux = np.empty((_LANES, mx + 1))
    cx = np.empty((_LANES, mx + 1))
    uy = np.empty((_LANES, my + 1))
    cy = np.empty((_LANES, my + 1))
    kx = np.zeros(_LANES, np.int64)
    ky = np.zeros(_LANES, np.int64)
    for f0 in range(0, n_slow, _LANES):
        k = min(_LANES, n_slow - f0)
        steps = 0
        for q in range(_LANES):
            if q < k:
                g = slow[f0 + q]
                kx[q] = _runs(xs[g], n_x[g], ux[q], cx[q])
                ky[q] = _runs(ys[g], n_y[g], uy[q], cy[q])
            else:  # idle lane: sentinels only
                kx[q] = ky[q] = 0
                ux[q, 0] = uy[q, 0] = np.inf
                cx[q, 0] = cy[q, 0] = 0.0
            steps = max(steps, kx[q] + ky[q])
        ux0, ux1, ux2, ux3 = ux[0], ux[1], ux[2], ux[3]
        cx0, cx1, cx2, cx3 = cx[0], cx[1], cx[2], cx[3]
        uy0, uy1, uy2, uy3 = uy[0], uy[1], uy[2], uy[3]
        cy0, cy1, cy2, cy3 = cy[0], cy[1], cy[2], cy[3]
        kx0, kx1, kx2, kx3 = kx[0], kx[1], kx[2], kx[3]
        ky0, ky1, ky2, ky3 = ky[0], ky[1], ky[2], ky[3]
        i0 = i1 = i2 = i3 = 0
        j0 = j1 = j2 = j3 = 0
        p0 = p1 = p2 = p3 = 0.0
        r0 = r1 = r2 = r3 = 0.0
        z0 = z1 = z2 = z3 = 0.0
        for _ in range(steps):
            i0, j0, p0, r0, z0 = _run_step(ux0, cx0, uy0, cy0, i0, j0, kx0, ky0, p0, r0, z0)
            i1, j1, p1, r1, z1 = _run_step(ux1, cx1, uy1, cy1, i1, j1, kx1, ky1, p1, r1, z1)
            i2, j2, p2, r2, z2 = _run_step(ux2, cx2, uy2, cy2, i2, j2, kx2, ky2, p2, r2, z2)
            i3, j3, p3, r3, z3 = _run_step(ux3, cx3, uy3, cy3, i3, j3, kx3, ky3, p3, r3, z3)
        rs = (r0, r1, r2, r3)
        zs = (z0, z1, z2, z3)
        for q in range(k):
            g = slow[f0 + q]
            nx = n_x[g]
            stat[g] = rs[q] - nx * (nx + 1.0) / 2.0
            ties[g] = zs[q]


@numba.njit(cache=True, parallel=True)
def _signed_ranks_kernel(case, control, n_p, n_nz, stat, ties, med_x, med_y):
    n_genes = case.shape[0]
    m = case.shape[1]
    for g in numba.prange(n_genes):
        xs = np.empty(m)
        ys = np.empty(m)
        d = np.empty(m)
        k = 0
        nz = 0
        for s in range(m):
            a = case[g, s]
            b = control[g, s]
            if np.isnan(a) or np.isnan(b):
                continue
            xs[k] = a
            ys[k] = b
            k += 1
            diff = a - b
            if diff != 0.0:
                d[nz] = diff
                nz += 1
        n_p[g] = k
        n_nz[g] = nz
        med_x[g] = _median_sorted(np.sort(xs[:k]), k)
        med_y[g] = _median_sorted(np.sort(ys[:k]), k)
        dd = d[:nz]
        order = np.argsort(np.abs(dd), kind="mergesort")
        pos = 0
        vsum = 0.0
        tie = 0.0
        while pos < nz:
            v = abs(dd[order[pos]])
            end = pos + 1
            while end < nz and abs(dd[order[end]]) == v:
                end += 1
            t = float(end - pos)
            midrank = pos + (t + 1.0) / 2.0
            for q in range(pos, end):
                if dd[order[q]] > 0.0:
                    vsum += midrank
            if t > 1.0:
                tie += t * t * t - t
            pos = end
        stat[g] = vsum
        ties[g] = tie


@numba.njit(cache=True, nogil=True)
def _gather(a, start, cols, out):
    # out[i, j] = a[start + i, cols[j]]; out may be wider than cols (columns left untouched).
    # The loop order follows the memory order of `a` (the expression cache, an Arrow IPC file,
    # arrives column-major).
    n = cols.shape[0]
    rows = out.shape[0]
    if a.strides[0] <= a.strides[1]:
        # Tiles of 8 columns, each a 1-D view of `rows` values read sequentially; every row of
        # the tile is one cache line written (8 separate views: no index arithmetic per value).
        at = a.T
        stop = start + rows
        j0 = 0
        while j0 + 8 <= n:
            c0 = at[cols[j0], start:stop]
            c1 = at[cols[j0 + 1], start:stop]
            c2 = at[cols[j0 + 2], start:stop]
            c3 = at[cols[j0 + 3], start:stop]
            c4 = at[cols[j0 + 4], start:stop]
            c5 = at[cols[j0 + 5], start:stop]
            c6 = at[cols[j0 + 6], start:stop]
            c7 = at[cols[j0 + 7], start:stop]
            for i in range(rows):
                o = out[i]
                o[j0] = c0[i]
                o[j0 + 1] = c1[i]
                o[j0 + 2] = c2[i]
                o[j0 + 3] = c3[i]
                o[j0 + 4] = c4[i]
                o[j0 + 5] = c5[i]
                o[j0 + 6] = c6[i]
                o[j0 + 7] = c7[i]
            j0 += 8
        for j in range(j0, n):
            c = at[cols[j], start:stop]
            for i in range(rows):
                out[i, j] = c[i]
    else:
        for i in range(rows):
            for j in range(n):
                out[i, j] = a[start + i, cols[j]]


def rank_sums(
    case: np.ndarray,
    control: np.ndarray,
    *,
    case_columns: np.ndarray | None = None,
    control_columns: np.ndarray | None = None,
    threads: int | None = None,
    chunk: int | None = None,
) -> RankSums:
    """Two-sample Wilcoxon rank sums for every gene (row).

    Parameters
    ----------
    case, control
        Genes x samples arrays (float64; NaN = missing) with the same number of rows; they may
        be the same matrix when ``case_columns``/``control_columns`` pick the groups. Any scale:
        only the order of values within a gene matters. Exact equality defines ties. Any
        memory layout (a column-major matrix, as the expression cache arrives: an uncompressed
        Arrow IPC file mapped read-only, one sample's column after the other, is gathered tile
        by tile); never modified.
    case_columns, control_columns
        Optional integer column indices selecting each group from ``case``/``control``. Only a
        chunk of rows is copied at a time, so no full-size copy of the groups is made.
    threads
        Worker threads (default: numba's thread count, i.e. ``NUMBA_NUM_THREADS`` or the cores
        available). Chunks of genes are sorted (a compiled bucket sort, ``numpy.sort`` for short
        rows and declined rows; both release the GIL) and merged by a compiled kernel, each
        chunk on one thread.
    chunk
        Genes per chunk (default: about 4 MiB of values per chunk, so that the gather, the sort
        and the merge of a chunk run in cache; 2 MiB when gathering from a column-major matrix,
        whose transposed chunk must stay near the core's L2). Memory beyond the inputs is about
        ``threads * chunk * n_samples * 8`` bytes.

    Returns
    -------
    RankSums
        Per-gene counts, ``W`` (high when cases rank above controls), tie term and medians.
    """
    case = np.asarray(case, dtype=np.float64)
    control = np.asarray(control, dtype=np.float64)
    for name, a in (("case", case), ("control", control)):
        if a.ndim != 2:
            raise ValueError(f"{name} must be a 2-D genes x samples array, got {a.ndim}-D")
    cols = []
    for name, a, c in (("case", case, case_columns), ("control", control, control_columns)):
        if c is not None:
            c = np.asarray(c, dtype=np.int64)
            if c.ndim != 1 or (c.size and (c.min() < 0 or c.max() >= a.shape[1])):
                raise ValueError(
                    f"{name}_columns must be 1-D indices in [0, {a.shape[1]}), got {c!r}"
                )
        cols.append(c)
    case_columns, control_columns = cols
    if case.shape[0] != control.shape[0]:
        raise ValueError(
            f"case has {case.shape[0]} genes but control has {control.shape[0]}; "
            "pass the same genes (rows) for both groups"
        )
    if chunk is not None and chunk < 1:
        raise ValueError(f"chunk must be a positive number of genes, got {chunk}")
    n_genes = case.shape[0]
    n_case = case.shape[1] if case_columns is None else case_columns.size
    n_control = control.shape[1] if control_columns is None else control_columns.size
    out = RankSums(
        np.zeros(n_genes, np.int64),
        np.zeros(n_genes, np.int64),
        np.empty(n_genes),
        np.empty(n_genes),
        np.empty(n_genes),
        np.empty(n_genes),
    )

    if chunk is None:
        column_major = any(a.strides[0] < a.strides[1] for a in (case, control))
        budget = _CHUNK_BYTES // (2 if column_major else 1)
        chunk = max(_LANES, budget // (8 * (max(1, n_case) + n_control)))
    # A contiguous range of columns of a row-major input: a plain (faster) copy. A column-major
    # input (the job's) always takes the compiled gather: numpy's copy of a column-major chunk
    # into the row-major buffer is slower (60,000 x (2,000 + 2,000), one thread, CPU per value:
    # benchmarks/bench_mannwhitney.py, kernel_job_s against kernel_shuffled_s).
    spans = [
        slice(int(c[0]), int(c[-1]) + 1)
        if c is not None
        and c.size
        and a.strides[0] >= a.strides[1]
        and np.array_equal(c, np.arange(c[0], c[0] + c.size))
        else None
        for a, c in ((case, case_columns), (control, control_columns))
    ]
    columns = [
        np.arange(a.shape[1]) if c is None and a.strides[0] < a.strides[1] else c
        for a, c in ((case, case_columns), (control, control_columns))
    ]
    local = threading.local()  # per-thread sort buffers, reused across chunks

    def block(a: np.ndarray, cols: np.ndarray | None, start: int, stop: int, i: int):
        width = a.shape[1] if cols is None else cols.size
        bufs = getattr(local, "bufs", None)
        if bufs is None:
            bufs = local.bufs = [None, None]
        if bufs[i] is None or bufs[i].shape != (chunk, width + 1):
            bufs[i] = np.empty((chunk, width + 1))
            bufs[i][:, width] = np.inf  # sentinel column: lets the merge skip bound checks
        buf = bufs[i][: stop - start]
        if cols is None:
            np.copyto(buf[:, :width], a[start:stop])
        elif spans[i] is not None:
            np.copyto(buf[:, :width], a[start:stop, spans[i]])
        else:
            # numpy's fancy indexing of a row chunk is ~10x slower than this compiled gather.
            _gather(a, start, cols, buf)
        return buf

    # Genes whose groups would both take the bucket sort first try the pooled histogram
    # (modmap.stats._pooled: genes with few distinct values), then the tagged pooled sort
    # (modmap.stats._tagged: genes without ties); both are exact, and the genes both decline
    # are sorted and merged. The tagged sort's back-off state is kept per thread.
    pooled = min(n_case, n_control) > NUMPY_MAX_WIDTH

    def work(start: int) -> None:
        stop = min(n_genes, start + chunk)
        xs = block(case, columns[0], start, stop, 0)
        ys = block(control, columns[1], start, stop, 1)
        fields = [field[start:stop] for field in out]
        rows = None  # every row of the chunk
        if pooled:
            # Each path writes the rows it takes and hands on the others (sorted and merged in
            # place: no copy of the declined rows).
            tried = np.empty(stop - start, np.int64)
            k = pooled_block(xs, ys, n_case, n_control, *fields, tried, BUCKETS_PER_VALUE)
            if k == 0:
                return
            declined = np.empty(k, np.int64)
            state = getattr(local, "tagged", None)
            if state is None:
                state = local.tagged = new_tagged_state()
            k = tagged_block(xs, ys, n_case, n_control, tried[:k], *fields, declined, state)
            if k == 0:
                return
            rows = declined[:k]
        sort_rows(xs, n_case, rows)
        sort_rows(ys, n_control, rows)
        if rows is None:
            rows = np.arange(stop - start)
        _merge_block(xs, ys, rows, n_case, n_control, *fields)

    n_threads = max(1, threads if threads is not None else numba.get_num_threads())
    starts = range(0, n_genes, chunk)
    if n_threads == 1 or n_genes <= chunk:
        for start in starts:
            work(start)
    else:
        with ThreadPoolExecutor(n_threads) as pool:
            list(pool.map(work, starts))
    return out


def signed_ranks(case: np.ndarray, control: np.ndarray) -> SignedRanks:
    """Wilcoxon signed-rank statistics of ``case - control`` for every gene (row).

    Parameters
    ----------
    case, control
        Genes x pairs arrays (float64; NaN = missing): column ``k`` of both is pair ``k``.
        A pair with a missing value is dropped for that gene; exact zero differences are
        dropped before ranking (Wilcoxon's convention, as R).

    Returns
    -------
    SignedRanks
        Per-gene counts, ``V`` (high when cases are above their controls), tie term, medians.
    """
    case = np.ascontiguousarray(case, dtype=np.float64)
    control = np.ascontiguousarray(control, dtype=np.float64)
    if case.ndim != 2 or case.shape != control.shape:
        raise ValueError(
            f"paired blocks differ in shape: case {case.shape}, control {control.shape}; "
            "column k of both must be the same pair"
        )
    g = case.shape[0]
    out = SignedRanks(
        np.zeros(g, np.int64),
        np.zeros(g, np.int64),
        np.empty(g),
        np.empty(g),
        np.empty(g),
        np.empty(g),
    )
    _signed_ranks_kernel(case, control, *out)
    return out
