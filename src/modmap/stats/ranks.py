"""Rank kernels: the per-gene sufficient statistics of the Wilcoxon tests, vectorised over genes.

The kernels take a genes x samples block for each group and return, per gene, the number of
non-missing values, the rank statistic (R's ``W`` or ``V``), the tie term ``sum(t^3 - t)`` over
groups of tied values, and the group medians. They compile with numba (``parallel=True``: genes
are spread over the available threads) and drop missing values (NaN) per gene.

Two-sample kernel: each group is sorted on its own (``n log n`` for each of the two smaller
groups), then the two sorted runs are merged, handing out mid-ranks to tied runs as in R's
``rank(ties.method = "average")``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numba
import numpy as np

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


@numba.njit(cache=True, nogil=True)
def _tie_aware_merge(x, nx, y, ny):
    # Generic merge of two sorted runs: mid-ranks for tied values, R's rank(ties = "average").
    i = 0
    j = 0
    pos = 0.0  # values ranked so far
    rsum = 0.0
    tie = 0.0
    while i < nx or j < ny:
        if j >= ny or (i < nx and x[i] <= y[j]):
            v = x[i]
        else:
            v = y[j]
        cx = 0
        while i < nx and x[i] == v:
            i += 1
            cx += 1
        cy = 0
        while j < ny and y[j] == v:
            j += 1
            cy += 1
        t = float(cx + cy)
        rsum += cx * (pos + (t + 1.0) / 2.0)
        if t > 1.0:
            tie += t * t * t - t
        pos += t
    return rsum - nx * (nx + 1.0) / 2.0, tie


@numba.njit(cache=True, inline="always")
def _tie_step(xv, yv, i, j, k, prev, t, cxr, start, rsum, tie):
    # One step of a branch-free merge that hands out mid-ranks: a run of t equal values starting
    # at position `start` (0-based) holding cxr cases adds cxr * (start + (t + 1) / 2) to the
    # case rank sum and t^3 - t to the tie term when it ends.
    b = np.int64(xv <= yv)
    v = xv if b else yv
    eq = v == prev
    keep = np.float64(eq)
    flush = 1.0 - keep
    rsum += flush * cxr * (start + (t + 1.0) / 2.0)
    tie += flush * (t * t * t - t)
    start = keep * start + flush * k
    t = keep * t + 1.0
    cxr = keep * cxr + b
    return i + b, j + 1 - b, v, t, cxr, start, rsum, tie


# Genes merged together; independent merges hide the load-compare latency. The unrolled loop
# in _merge_block hard-codes 4.
_LANES = 4


@numba.njit(cache=True, nogil=True)
def _merge_block(xs, ys, n_x, n_y, stat, ties, med_x, med_y):
    """Statistics of a block of genes whose groups are already sorted (NaN last)."""
    n_genes = xs.shape[0]
    mx = xs.shape[1]
    my = ys.shape[1]
    fast = np.empty(n_genes, np.int64)
    n_fast = 0
    tied = np.empty(n_genes, np.int64)  # complete, finite genes with ties
    n_tied = 0
    for g in range(n_genes):
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
        if nx < mx or ny < my or x[nx - 1] == np.inf or y[ny - 1] == np.inf:
            stat[g], ties[g] = _tie_aware_merge(x, nx, y, ny)
        elif within:
            tied[n_tied] = g
            n_tied += 1
        else:
            fast[n_fast] = g
            n_fast += 1
    # Complete genes without within-group ties: branch-free counting merge of _LANES genes at
    # once, W = sum_i #{y < x_i}; +inf sentinels end each run. A gene with a value shared by
    # both groups (a cross tie) goes back to the tie-aware merge.
    bx = np.empty((_LANES, mx + 1))
    by = np.empty((_LANES, my + 1))
    for f0 in range(0, n_fast, _LANES):
        k = min(_LANES, n_fast - f0)
        for q in range(_LANES):
            g = fast[f0 + q] if q < k else fast[f0]
            bx[q, :mx] = xs[g]
            bx[q, mx] = np.inf
            by[q, :my] = ys[g]
            by[q, my] = np.inf
        x0, x1, x2, x3 = bx[0], bx[1], bx[2], bx[3]
        y0, y1, y2, y3 = by[0], by[1], by[2], by[3]
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
        us = (u0, u1, u2, u3)
        es = (e0, e1, e2, e3)
        for q in range(k):
            g = fast[f0 + q]
            if es[q]:
                tied[n_tied] = g
                n_tied += 1
            else:
                stat[g] = float(us[q])
                ties[g] = 0.0
    # Genes with ties: the branch-free mid-rank merge, again 4 genes at a time.
    half = mx * (mx + 1.0) / 2.0
    for f0 in range(0, n_tied, _LANES):
        k = min(_LANES, n_tied - f0)
        for q in range(_LANES):
            g = tied[f0 + q] if q < k else tied[f0]
            bx[q, :mx] = xs[g]
            bx[q, mx] = np.inf
            by[q, :my] = ys[g]
            by[q, my] = np.inf
        x0, x1, x2, x3 = bx[0], bx[1], bx[2], bx[3]
        y0, y1, y2, y3 = by[0], by[1], by[2], by[3]
        i0 = i1 = i2 = i3 = 0
        j0 = j1 = j2 = j3 = 0
        p0 = p1 = p2 = p3 = np.nan
        t0 = t1 = t2 = t3 = 0.0
        c0 = c1 = c2 = c3 = 0.0
        s0 = s1 = s2 = s3 = 0.0
        r0 = r1 = r2 = r3 = 0.0
        z0 = z1 = z2 = z3 = 0.0
        for step in range(mx + my):
            i0, j0, p0, t0, c0, s0, r0, z0 = _tie_step(
                x0[i0], y0[j0], i0, j0, step, p0, t0, c0, s0, r0, z0
            )
            i1, j1, p1, t1, c1, s1, r1, z1 = _tie_step(
                x1[i1], y1[j1], i1, j1, step, p1, t1, c1, s1, r1, z1
            )
            i2, j2, p2, t2, c2, s2, r2, z2 = _tie_step(
                x2[i2], y2[j2], i2, j2, step, p2, t2, c2, s2, r2, z2
            )
            i3, j3, p3, t3, c3, s3, r3, z3 = _tie_step(
                x3[i3], y3[j3], i3, j3, step, p3, t3, c3, s3, r3, z3
            )
        # Close the last run of each lane.
        rs = (
            r0 + c0 * (s0 + (t0 + 1.0) / 2.0),
            r1 + c1 * (s1 + (t1 + 1.0) / 2.0),
            r2 + c2 * (s2 + (t2 + 1.0) / 2.0),
            r3 + c3 * (s3 + (t3 + 1.0) / 2.0),
        )
        zs = (z0 + t0**3 - t0, z1 + t1**3 - t1, z2 + t2**3 - t2, z3 + t3**3 - t3)
        for q in range(k):
            g = tied[f0 + q]
            stat[g] = rs[q] - half
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
    for i in range(out.shape[0]):
        for j in range(cols.shape[0]):
            out[i, j] = a[start + i, cols[j]]


def rank_sums(
    case: np.ndarray,
    control: np.ndarray,
    *,
    case_columns: np.ndarray | None = None,
    control_columns: np.ndarray | None = None,
    threads: int | None = None,
    chunk: int = 1024,
    overwrite_input: bool = False,
) -> RankSums:
    """Two-sample Wilcoxon rank sums for every gene (row).

    Parameters
    ----------
    case, control
        Genes x samples arrays (float64; NaN = missing) with the same number of rows; they may
        be the same matrix when ``case_columns``/``control_columns`` pick the groups. Any scale:
        only the order of values within a gene matters. Exact equality defines ties.
    case_columns, control_columns
        Optional integer column indices selecting each group from ``case``/``control``. Only a
        chunk of rows is copied at a time, so no full-size copy of the groups is made.
    threads
        Worker threads (default: numba's thread count, i.e. the cores available). Chunks of genes
        are sorted with ``numpy.sort`` (which releases the GIL) and merged by a compiled kernel.
    chunk
        Genes per chunk (default 1024); memory beyond the inputs is about
        ``threads * chunk * n_samples * 8`` bytes.
    overwrite_input
        Sort ``case`` and ``control`` in place (each row ends up sorted) instead of sorting copies
        of their chunks: saves one pass over the matrix. Only without ``*_columns``; the arrays
        must be writable float64 views whose rows are contiguous (e.g. two column ranges of one
        C-ordered matrix).

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
    if chunk < 1:
        raise ValueError(f"chunk must be a positive number of genes, got {chunk}")
    n_genes = case.shape[0]
    out = RankSums(
        np.zeros(n_genes, np.int64),
        np.zeros(n_genes, np.int64),
        np.empty(n_genes),
        np.empty(n_genes),
        np.empty(n_genes),
        np.empty(n_genes),
    )

    if overwrite_input:
        if case_columns is not None or control_columns is not None:
            raise ValueError("overwrite_input sorts the arrays as given: pass no *_columns")
        for name, a in (("case", case), ("control", control)):
            if not a.flags.writeable or a.dtype != np.float64 or a.strides[1] != 8:
                raise ValueError(
                    f"overwrite_input needs {name} as writable float64 with contiguous rows"
                )

    def block(a: np.ndarray, cols: np.ndarray | None, start: int, stop: int) -> np.ndarray:
        if overwrite_input:
            view = a[start:stop]
            view.sort(axis=1)
            return view
        if cols is None:
            buf = np.array(a[start:stop], dtype=np.float64, order="C")
        else:
            # numpy's fancy indexing of a row chunk is ~10x slower than this compiled gather.
            buf = np.empty((stop - start, len(cols)))
            _gather(a, start, cols, buf)
        buf.sort(axis=1)  # in place; numpy releases the GIL while sorting
        return buf

    def work(start: int) -> None:
        stop = min(n_genes, start + chunk)
        xs = block(case, case_columns, start, stop)
        ys = block(control, control_columns, start, stop)
        _merge_block(xs, ys, *(field[start:stop] for field in out))

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
