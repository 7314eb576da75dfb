"""The tagged pooled-sort path of ``rank_sums`` (``modmap.stats._tagged``) for tie-free genes.

Oracle: the brute-force pair count of ``tests/rank_oracles.py`` (``W = sum_ij [x_i > y_j] + 0.5
[x_i == y_j]``, the tie term from ``numpy.unique`` counts, the medians from ``numpy.median``).
Planted truth: tie-free genes of any scale and sign, including values whose lowest bit the tag
changes in every value, must be taken; genes with a tie, with two values one unit in the last
place apart (within or across the groups), with ``-0.0`` next to ``0.0``, a missing value, an
infinity, or a range the insertion sort's budget rejects must be declined and left untouched.
"""

from __future__ import annotations

import numpy as np
import pytest
from rank_oracles import assert_rank_sums_match, brute_force

from modmap.stats import rank_sums
from modmap.stats._buckets import NUMPY_MAX_WIDTH
from modmap.stats._tagged import _MAX_RETRY, _RETRY, new_state, tagged_block

NAMES = ("n_x", "n_y", "W", "tie", "med_x", "med_y")


def run(case: np.ndarray, control: np.ndarray, rows=None, state=None):
    """tagged_block on every row (or ``rows``); untouched outputs hold -7."""
    g, m = case.shape
    n = control.shape[1]
    out = [np.full(g, -7, np.int64), np.full(g, -7, np.int64)]
    out += [np.full(g, -7.0) for _ in range(4)]
    rows = np.arange(g) if rows is None else np.asarray(rows, np.int64)
    declined = np.empty(rows.size, np.int64)
    state = new_state() if state is None else state
    k = tagged_block(case, control, m, n, rows, *out, declined, state)
    return out, declined[:k].tolist()


def smooth_genes(rng: np.random.Generator, g: int, m: int, n: int) -> np.ndarray:
    """Genes x (m + n) of distinct values on several scales (with probability ~1: no ties)."""
    both = np.empty((g, m + n))
    for i in range(g):
        k = i % 6
        row = rng.standard_normal(m + n)
        if k == 1:  # a shift between the groups
            row[:m] += 0.7
        elif k == 2:  # log-normal, all positive (a mild tail: the move budget holds)
            row = np.exp(0.5 * row)
        elif k == 3:  # all negative
            row = -np.exp(row) - 1.0
        elif k == 4:  # huge and tiny magnitudes crossing zero
            row = row * 1e300
        elif k == 5:
            row = row * 1e-300
        both[i] = row
    return both


@pytest.mark.parametrize(("m", "n"), [(1, 1), (2, 3), (5, 4), (7, 7), (300, 257), (500, 501)])
def test_tie_free_genes_match_brute_force(m: int, n: int) -> None:
    rng = np.random.default_rng(m * 13 + n)
    g = 24
    both = smooth_genes(rng, g, m, n)
    assert all(np.unique(row).size == m + n for row in both)  # the premise: no ties
    case, control = both[:, :m].copy(), both[:, m:].copy()
    out, declined = run(case, control)
    assert declined == []
    for name, got, want in zip(NAMES, out, brute_force(case, control), strict=True):
        np.testing.assert_array_equal(got, want, err_msg=name)


@pytest.mark.parametrize("case_bit", [0, 1])
def test_every_value_moved_by_its_tag(case_bit: int) -> None:
    # Cases with the lowest bit `case_bit`, controls with the other: each tag (case 0, control
    # 1) moves every value (case_bit 1) or none (case_bit 0) by one unit in the last place; W
    # and the medians (exact input values, odd and even group sizes) are the same either way.
    rng = np.random.default_rng(7 + case_bit)
    for m, n in ((301, 400), (400, 301)):
        both = rng.standard_normal((6, m + n)) * 10.0
        bits = both.view(np.uint64)
        bits[:, :m] = (bits[:, :m] & ~np.uint64(1)) | np.uint64(case_bit)
        bits[:, m:] = (bits[:, m:] & ~np.uint64(1)) | np.uint64(1 - case_bit)
        case, control = both[:, :m].copy(), both[:, m:].copy()
        out, declined = run(case, control)
        assert declined == []
        for name, got, want in zip(NAMES, out, brute_force(case, control), strict=True):
            np.testing.assert_array_equal(got, want, err_msg=f"{name} ({m=}, {n=})")


def pair_sharing_upper_bits(v: float) -> tuple[float, float]:
    """Two values one unit in the last place apart whose bits differ in the lowest bit only."""
    bits = np.array([v]).view(np.uint64) & ~np.uint64(1)
    low = bits.view(np.float64)[0]
    return low, (bits | np.uint64(1)).view(np.float64)[0]


def planted(rng: np.random.Generator, m: int, n: int) -> dict[str, np.ndarray]:
    """Genes that must be declined, each built from a tie-free gene."""
    tiny = np.nextafter(0.0, 1.0)  # 5e-324, the smallest positive double
    genes = {}

    def base() -> np.ndarray:
        return rng.standard_normal(m + n)

    row = base()
    row[m + 3] = row[1]
    genes["a tie across the groups"] = row
    row = base()
    row[5] = row[2]
    genes["a tie among the cases"] = row
    row = base()
    row[m + 5] = row[m + 9]
    genes["a tie among the controls"] = row
    row = base()
    row[1], row[m + 3] = pair_sharing_upper_bits(row[1])
    genes["a case and a control differing in the lowest bit only"] = row
    row = base()
    row[0], row[4] = pair_sharing_upper_bits(row[0])
    genes["two cases differing in the lowest bit only"] = row
    row = base()
    row[m], row[m + 4] = pair_sharing_upper_bits(-row[m])
    genes["two negative controls differing in the lowest bit only"] = row
    row = base()
    row[0], row[m] = -0.0, 0.0
    genes["-0.0 among the cases, 0.0 among the controls"] = row
    row = base()
    row[0], row[1] = -tiny, 0.0  # a case tag turns -5e-324 into -0.0, equal to 0.0
    genes["-5e-324 and 0.0 among the cases"] = row
    row = base()
    row[0], row[m] = tiny, 0.0
    genes["5e-324 and 0.0 across the groups"] = row
    row = base()
    row[3] = np.nan
    genes["a missing case"] = row
    row = base()
    row[m + 1] = np.inf
    genes["an infinity"] = row
    genes["all values equal"] = np.full(m + n, 1.5)
    row = base()
    row[0], row[m] = -1e308, 1e308
    genes["a range overflowing float64"] = row
    row = base()
    row[0] = 1e12  # every other value in the lowest bucket: the move budget is exceeded
    genes["an extreme outlier"] = row
    return genes


def test_planted_genes_are_declined_and_left_untouched() -> None:
    rng = np.random.default_rng(11)
    m, n = 300, 290
    genes = planted(rng, m, n)
    for name, row in genes.items():
        one = row[None, :]
        out, declined = run(one[:, :m].copy(), one[:, m:].copy())
        assert declined == [0], name
        assert all((a == -7).all() for a in out), name
    # All together, through rank_sums (declined genes take the sort and merge): exact.
    both = np.array(list(genes.values()))
    res = rank_sums(both[:, :m].copy(), both[:, m:].copy())
    for name, got, want in zip(NAMES, res, brute_force(both[:, :m], both[:, m:]), strict=True):
        np.testing.assert_array_equal(got, want, err_msg=name)


def test_neighbours_one_unit_apart_in_their_upper_bits_are_taken() -> None:
    # One unit in the last place apart, but differing above the lowest bit: the tags keep their
    # order, so the gene is taken, exactly (across the groups and within one, both signs).
    rng = np.random.default_rng(16)
    m, n = 280, 300
    both = rng.standard_normal((4, m + n))
    for i, (a, b) in enumerate(((0, m), (0, 1), (m, m + 1), (1, m + 2))):
        bits = both[i : i + 1, a].view(np.uint64)
        bits |= np.uint64(1)  # odd: the next value up differs above the lowest bit
        both[i, b] = np.nextafter(both[i, a], np.copysign(np.inf, both[i, a]))
        assert both[i, b] != both[i, a]
    out, declined = run(both[:, :m].copy(), both[:, m:].copy())
    assert declined == []
    for name, got, want in zip(NAMES, out, brute_force(both[:, :m], both[:, m:]), strict=True):
        np.testing.assert_array_equal(got, want, err_msg=name)


def test_a_tie_free_median_of_negative_zero_is_positive_zero() -> None:
    # -0.0 is the middle case and no other value is zero: taken, and the median is +0.0, as the
    # bucket sort writes it (numpy.median would give -0.0: equal, but another sign bit).
    rng = np.random.default_rng(12)
    n = 300
    x = np.concatenate([-1 - rng.random(150), [-0.0], 1 + rng.random(150)])
    y = rng.standard_normal(n) + 0.5
    out, declined = run(x[None, :], y[None, :])
    assert declined == []
    assert out[4][0] == 0.0 and not np.signbit(out[4][0])
    want = brute_force(x[None, :], y[None, :])
    np.testing.assert_array_equal(out[2], want[2])


def test_retry_after_a_tied_gene_but_not_after_a_missing_value() -> None:
    # A gene declined for a tie makes the next _RETRY - 1 genes declined untried; a gene
    # declined for a missing value (a property of one gene) does not.
    rng = np.random.default_rng(13)
    m = n = 300
    g = _RETRY + 6
    both = rng.standard_normal((g, m + n))
    both[0, m] = both[0, 0]  # a tie
    both[_RETRY + 1, 4] = np.nan
    out, declined = run(both[:, :m].copy(), both[:, m:].copy())
    assert declined == [*range(_RETRY), _RETRY + 1]
    taken = [_RETRY, *range(_RETRY + 2, g)]
    want = brute_force(both[:, :m], both[:, m:])
    for name, got, exp in zip(NAMES, out, want, strict=True):
        np.testing.assert_array_equal(got[taken], exp[taken], err_msg=name)
        assert (got[list(range(_RETRY)) + [_RETRY + 1]] == -7).all()


def test_the_wait_doubles_while_tries_decline_and_carries_over_blocks() -> None:
    # Every gene tied: tries at 0, 16, 48, 112, ... (waits of 15, 31, 63, ... genes, at most
    # _MAX_RETRY - 1); the same when the genes come in blocks sharing one state. A gene taken
    # resets the wait to _RETRY - 1 after the next decline.
    rng = np.random.default_rng(17)
    m, n = 260, 270
    g = 2 * _MAX_RETRY + 200
    both = np.round(rng.standard_normal((g, m + n)), 1)  # ties in every gene
    tries, wait = [], _RETRY
    t = 0
    while t < g:
        tries.append(t)
        t += wait
        wait = min(2 * wait, _MAX_RETRY)
    assert tries[:4] == [0, _RETRY, 3 * _RETRY, 7 * _RETRY]
    case, control = both[:, :m].copy(), both[:, m:].copy()
    for blocks in (1, 7):
        state = new_state()
        declined = []
        for rows in np.array_split(np.arange(g), blocks):
            _, d = run(case, control, rows, state)
            declined += d
        assert declined == list(range(g))
    # Which genes were tried: plant a tie-free gene at a try position and one right after it.
    for tried, planted in ((True, tries[3]), (False, tries[3] + 1)):
        again = both.copy()
        again[planted] = rng.standard_normal(m + n)
        _, d = run(again[:, :m].copy(), again[:, m:].copy())
        assert (planted not in d) == tried
    # After the taken gene at tries[3], the next decline waits _RETRY - 1 genes again.
    again = both.copy()
    again[tries[3]] = rng.standard_normal(m + n)
    again[tries[3] + 1 + _RETRY] = rng.standard_normal(m + n)
    _, d = run(again[:, :m].copy(), again[:, m:].copy())
    assert tries[3] + 1 + _RETRY not in d


def test_only_the_given_rows_are_tried() -> None:
    rng = np.random.default_rng(14)
    m, n = 280, 270
    both = rng.standard_normal((9, m + n))
    rows = [1, 4, 5, 8]
    out, declined = run(both[:, :m].copy(), both[:, m:].copy(), rows)
    assert declined == []
    want = brute_force(both[:, :m], both[:, m:])
    others = [i for i in range(9) if i not in rows]
    for name, got, exp in zip(NAMES, out, want, strict=True):
        np.testing.assert_array_equal(got[rows], exp[rows], err_msg=name)
        assert (got[others] == -7).all()


@pytest.mark.parametrize("layout", ["rows", "fortran"])
def test_rank_sums_mixing_tie_free_tied_and_missing_genes(layout: str) -> None:
    # Chunks where genes take the pooled histogram, the tagged sort or the sort and merge;
    # groups longer than NUMPY_MAX_WIDTH, so that all three run.
    rng = np.random.default_rng(15)
    m, n = NUMPY_MAX_WIDTH + 60, NUMPY_MAX_WIDTH + 9
    g = 120
    both = smooth_genes(rng, g, m, n)
    kind = rng.integers(0, 4, g)
    for i in np.flatnonzero(kind == 1):  # a few ties: sort and merge
        both[i, rng.integers(0, m + n, 5)] = both[i, 0]
    for i in np.flatnonzero(kind == 2):  # few distinct values: pooled histogram
        both[i] = np.round(rng.standard_normal(m + n), 1)
    for i in np.flatnonzero(kind == 3):  # missing values
        both[i, rng.random(m + n) < 0.05] = np.nan
    both[5] = np.exp(3 * rng.standard_normal(m + n))  # a heavy tail: over the move budget
    assert_rank_sums_match(rank_sums, both, m, layout)
