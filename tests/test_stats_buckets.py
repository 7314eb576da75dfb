"""The bucket sort behind ``rank_sums`` (rows longer than ``NUMPY_MAX_WIDTH``) and its fallback.

Oracles: ``numpy.sort`` for the sorted rows; for the rank statistics, a brute-force count over all
pairs (``tests/rank_oracles.py``), ``W = sum_ij [x_i > y_j] + 0.5 [x_i == y_j]`` over the non-
missing values, the tie term from ``numpy.unique`` counts and the medians from ``numpy.median``. The
genes mix smooth values, heavy ties, NaN, +-inf, -0.0 next to 0.0, a huge outlier (which sends the
row to the ``numpy.sort`` fallback), constant rows, empty groups and groups of one value, at widths
on both sides of the threshold, in row-major and column-major inputs.
"""

from __future__ import annotations

import numpy as np
import pytest
from rank_oracles import brute_force

from modmap.stats import rank_sums, ranks
from modmap.stats._buckets import NUMPY_MAX_WIDTH, bucket_sort_rows, min_max_nan, sort_rows


def crafted_rows(rng: np.random.Generator, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``width`` values of every kind, and whether the bucket sort must decline each."""
    rows, declined = [], []

    def add(row, decline=False):
        rows.append(np.asarray(row, dtype=np.float64))
        declined.append(decline)

    add(rng.standard_normal(width))  # smooth
    add(rng.standard_normal(width) * 1e-3 + 5.0)  # smooth, narrow range
    add(np.round(rng.standard_normal(width), 1))  # heavy ties
    add(np.round(rng.standard_normal(width), 2))
    add(np.where(rng.random(width) < 0.6, 0.0, rng.exponential(size=width)))  # many zeros
    row = rng.standard_normal(width)
    row[rng.random(width) < 0.3] = np.nan
    add(row)  # NaN scattered
    row = np.round(rng.standard_normal(width), 1)
    row[rng.random(width) < 0.2] = 0.0
    row[rng.random(width) < 0.2] = -0.0
    add(row)  # -0.0 next to 0.0
    add(np.full(width, 1.5))  # constant
    row = np.full(width, np.nan)
    row[7] = 2.0
    add(row)  # one finite value
    row = np.full(width, np.nan)
    row[::2] = -0.0
    row[1::4] = 0.0
    add(row)  # one value (two zeros) and NaN
    add(np.full(width, np.nan))  # empty
    row = rng.standard_normal(width)
    row[:4] = row[4:8]
    add(row)  # a few exact ties between smooth values
    for a, b in ((0, -1), (-1, -2), (0, 1), (width // 3, width // 2)):
        row = rng.standard_normal(width)
        order = np.argsort(row)
        row[order[a]] = row[order[b]]
        add(row)  # one tie: smallest = largest, the two largest, the two smallest, two middle ones
    row = rng.standard_normal(width)
    row[[2, width // 4, width // 2, width - 3]] = 0.5 + np.array([5, 9, 8, 5]) * 1e-12
    add(row)  # a tie the insertion sort meets two places down (one bucket: 5, 9, 8, 5)
    add(rng.permutation(width).astype(float))  # integers, one per bucket
    add(rng.permutation(np.arange(width) % 5).astype(float))  # five values
    # Declined: infinities, a range overflowing float64, a subnormal range, an outlier.
    for bad in (np.inf, -np.inf):
        row = rng.standard_normal(width)
        row[3] = bad
        add(row, True)
    row = rng.standard_normal(width)
    row[0], row[1] = -1e308, 1e308
    add(row, True)
    add(rng.integers(0, 50, width) * 5e-324, True)
    row = rng.standard_normal(width)
    row[9] = 1e300
    # Declined once the insertion sort of the other values in one bucket exceeds its budget:
    # only certain for long rows (a short one may fit the budget, and is then sorted).
    add(row, True if width >= 100 else None)
    return np.array(rows), np.array(declined, dtype=object)


@pytest.mark.parametrize("width", [16, 40, 257, 300, 1001])
def test_bucket_sort_rows_sorts_or_declines(width: int) -> None:
    rng = np.random.default_rng(width)
    rows, declined = crafted_rows(rng, width)
    buf = np.hstack([rows, np.full((rows.shape[0], 1), np.inf)])  # sentinel column kept
    failed = np.empty(rows.shape[0], np.int64)
    k = bucket_sort_rows(buf, width, failed, np.arange(rows.shape[0]))
    got = set(failed[:k].tolist())
    assert got >= {r for r, d in enumerate(declined) if d is True}
    assert not got & {r for r, d in enumerate(declined) if d is False}
    for r in range(rows.shape[0]):
        if r in failed[:k]:
            np.testing.assert_array_equal(buf[r, :width], rows[r])  # left as it was
        else:
            np.testing.assert_array_equal(buf[r, :width], np.sort(rows[r]))
            assert not np.signbit(buf[r, :width][buf[r, :width] == 0.0]).any()
    assert (buf[:, width] == np.inf).all()


@pytest.mark.parametrize("width", [NUMPY_MAX_WIDTH, NUMPY_MAX_WIDTH + 1, 700])
def test_sort_rows_sorts_every_row(width: int) -> None:
    rng = np.random.default_rng(width)
    rows, declined = crafted_rows(rng, width)
    buf = np.hstack([rows, np.full((rows.shape[0], 1), np.inf)])
    k = sort_rows(buf, width)
    # Rows up to the threshold all go to numpy.sort; longer ones only when declined.
    n_declined = sum(d is True for d in declined)
    assert k == (rows.shape[0] if width <= NUMPY_MAX_WIDTH else n_declined)
    np.testing.assert_array_equal(buf[:, :width], np.sort(rows, axis=1))


@pytest.mark.parametrize("width", [NUMPY_MAX_WIDTH, NUMPY_MAX_WIDTH + 1, 700])
def test_sort_rows_sorts_only_the_given_rows(width: int) -> None:
    rng = np.random.default_rng(width + 1)
    rows, _ = crafted_rows(rng, width)
    buf = np.hstack([rows, np.full((rows.shape[0], 1), np.inf)])
    picked = np.flatnonzero(rng.random(rows.shape[0]) < 0.5)
    others = np.setdiff1d(np.arange(rows.shape[0]), picked)
    assert picked.size and others.size
    sort_rows(buf, width, picked)
    np.testing.assert_array_equal(buf[picked, :width], np.sort(rows[picked], axis=1))
    np.testing.assert_array_equal(buf[others, :width], rows[others])  # untouched
    assert (buf[:, width] == np.inf).all()  # the sentinel column too


def mixed_genes(rng: np.random.Generator, g: int, m: int, n: int) -> np.ndarray:
    """Genes x (m + n) values mixing every kind of gene, cases first."""
    both = rng.standard_normal((g, m + n))
    kind = rng.permutation(np.arange(g) % 10)  # every kind, on several genes
    for i in range(g):
        k = kind[i]
        if k == 1:  # heavy ties
            both[i] = np.round(both[i], rng.integers(1, 3))
        elif k == 2:  # NaN, and ties with -0.0 and 0.0
            both[i] = np.round(both[i], 1)
            both[i, rng.random(m + n) < 0.1] = np.nan
            both[i, rng.random(m + n) < 0.1] = -0.0
            both[i, rng.random(m + n) < 0.1] = 0.0
        elif k == 3:  # infinities
            both[i, rng.random(m + n) < 0.02] = np.inf
            both[i, rng.random(m + n) < 0.02] = -np.inf
        elif k == 4:  # one huge outlier (numpy.sort fallback for its group)
            both[i, rng.integers(m + n)] = 1e200
        elif k == 5:  # constant
            both[i] = 3.25
        elif k == 6:  # cases all missing
            both[i, :m] = np.nan
        elif k == 7:  # one case, one control left
            keep = both[i, [0, m]]
            both[i] = np.nan
            both[i, [0, m]] = keep
        elif k == 8:  # a value shared by both groups, else smooth
            both[i, m] = both[i, 0]
        elif k == 9:  # one tie within a group, else smooth; in one bucket, met two places down
            group = slice(0, m) if i % 2 and m >= 4 else slice(m, m + n)
            at = rng.permutation(np.arange(both.shape[1])[group])[:4]
            both[i, np.sort(at)] = 0.5 + np.array([5, 9, 8, 5]) * 1e-12
    return both


@pytest.mark.parametrize(
    ("m", "n"),
    [(NUMPY_MAX_WIDTH, NUMPY_MAX_WIDTH + 1), (NUMPY_MAX_WIDTH + 1, 300), (700, 480), (1, 600)],
)
@pytest.mark.parametrize("layout", ["rows", "columns", "fortran-ranges", "fortran"])
def test_rank_sums_match_brute_force(m: int, n: int, layout: str, monkeypatch) -> None:
    rng = np.random.default_rng(m * 7 + n)
    g = 45
    both = mixed_genes(rng, g, m, n)
    case, control = both[:, :m].copy(), both[:, m:].copy()
    expected = brute_force(case, control)
    # Both paths run on these genes: the bucket sort and, for its declined rows, numpy.sort.
    for group in (case, control):
        if group.shape[1] > NUMPY_MAX_WIDTH:
            failed = np.empty(g, np.int64)
            k = bucket_sort_rows(group.copy(), group.shape[1], failed, np.arange(g))
            assert 0 < k < g
    gathered = []  # chunks copied by the compiled gather (the spy calls the real one)

    def spy(a, start, cols, out):
        gathered.append(out.shape[0])
        ranks_gather(a, start, cols, out)

    ranks_gather = ranks._gather
    monkeypatch.setattr(ranks, "_gather", spy)
    for threads, chunk in ((1, None), (2, 4)):
        if layout == "fortran":  # column-major, no column indices
            res = rank_sums(
                np.asfortranarray(case), np.asfortranarray(control), threads=threads, chunk=chunk
            )
        elif layout == "rows":
            res = rank_sums(case, control, threads=threads, chunk=chunk)
        elif layout == "columns":
            order = rng.permutation(m + n)
            shuffled = np.empty_like(both)
            shuffled[:, order] = both
            res = rank_sums(
                shuffled,
                shuffled,
                case_columns=order[:m],
                control_columns=order[m:],
                threads=threads,
                chunk=chunk,
            )
        else:  # the gene_tests job's layout: column-major, two contiguous column blocks
            wide = np.asfortranarray(np.hstack([rng.standard_normal((g, 2)), both]))
            res = rank_sums(
                wide,
                wide,
                case_columns=np.arange(2, m + 2),
                control_columns=np.arange(m + 2, m + n + 2),
                threads=threads,
                chunk=chunk,
            )
        for name, got, want in zip(res._fields, res, expected, strict=True):
            np.testing.assert_array_equal(got, want, err_msg=f"{name} ({threads=}, {chunk=})")
    # The job's column-major input takes the compiled gather, also for contiguous column ranges
    # (every gene of both groups, in both runs); whole row-major rows are copied by numpy.
    if layout in ("rows", "fortran-ranges"):
        assert sum(gathered) == (0 if layout == "rows" else 2 * 2 * g)


@pytest.mark.parametrize("order", ["F", "C"])
@pytest.mark.parametrize("n_cols", [0, 1, 7, 8, 9, 17, 300])
def test_gather_copies_values(order: str, n_cols: int) -> None:
    """The compiled gather copies ``a[start + i, cols[j]]`` exactly (NaN, infinities, signed
    zeros), in tiles of 8 columns and the rest, and leaves the buffer's other columns alone."""
    rng = np.random.default_rng(n_cols)
    a = rng.standard_normal((40, 320))
    a[rng.random(a.shape) < 0.1] = np.nan
    a[5] = np.nan  # a row with no value
    a[6, ::3] = np.inf
    a[7, 1::2] = -np.inf
    a[8] = np.where(rng.random(320) < 0.5, -0.0, 0.0)
    a = np.asarray(a, order=order)
    cols = rng.permutation(320)[:n_cols]
    start, rows = 3, 30
    out = np.full((rows, n_cols + 9), -7.0)
    ranks._gather(a, start, cols, out)
    want = a[start : start + rows][:, cols]
    np.testing.assert_array_equal(out[:, :n_cols], want)
    np.testing.assert_array_equal(np.signbit(out[:, :n_cols]), np.signbit(want))
    assert (out[:, n_cols:] == -7.0).all()  # columns beyond cols left untouched


@pytest.mark.parametrize("width", range(0, 11))
def test_min_max_nan_matches_numpy(width):
    """The four-accumulator min / max / NaN count equals numpy's nanmin, nanmax and isnan sum,
    for every remainder of the width modulo 4 and NaN at any position (all-NaN: inf, -inf)."""
    rng = np.random.default_rng(width)
    for _ in range(50):
        row = rng.standard_normal(width + 3)  # values past `width` must be ignored
        row[:width][rng.random(width) < 0.3] = np.nan
        row[width:] = 1e9
        lo, hi, n_nan = min_max_nan(row, width)
        finite = row[:width][~np.isnan(row[:width])]
        assert n_nan == width - finite.size
        assert (lo, hi) == ((finite.min(), finite.max()) if finite.size else (np.inf, -np.inf))
