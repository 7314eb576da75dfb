"""modmap's per-gene tests against golden values computed by R (an independent oracle).

The golden tables in ``tests/data/r_golden/`` were made by ``make_golden.R`` in that folder
with R's own ``wilcox.test`` and ``t.test`` (defaults: two-sided, ``exact = NULL``,
``correct = TRUE``, Welch for unpaired t). R is not needed to run these tests; regenerate the
tables with ``cd tests/data/r_golden && Rscript make_golden.R``.

Checked per case: R's statistic (``W``, ``V`` exactly; ``t`` to 1e-10 relative), R's p-value to
1e-10 relative, exact vs asymptotic as R chose it, and the group sizes after missing values are
dropped. Where R gives no p-value (all values equal: NaN; t-test "data are essentially
constant": an error) modmap must report ``not_tested`` (its statistic is then blank by design,
so R's ``W``/``V`` is not compared there).

t-tests only: on top of the 1e-10 relative tolerance, ``t`` may differ from R by the rounding
the inputs allow, ``4 N eps max|v| / se`` (means of values of size ``max|v|`` carry rounding of
``N eps max|v|``; R sums in long double, numpy in double). This is ~1e-13 for ordinary data and
matters only for ``w_large_magnitude`` (values 1e6 + N(0, 1)), where R itself is 1.8e-10
(relative) away from the exact t of its inputs. The same allowance is carried to the p-value
through the hazard of the t distribution (bounded by ``2 + |t|``).

Each function is checked once case by case (one gene per call) and once with all cases stacked
as genes of one matrix, padded with missing values, which exercises the vectorised paths
(mixed sizes, exact tables per size).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from modmap.stats import mann_whitney, paired_t, signed_rank, welch

GOLDEN = Path(__file__).resolve().parent / "data" / "r_golden"
P_REL = 1e-10
T_REL = 1e-10


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(
        GOLDEN / name, sep="\t", comment="#", dtype=str, keep_default_na=False
    ).set_index("case_id", drop=False)


def _vec(text: str) -> np.ndarray:
    return np.array([np.nan if v == "NA" else float(v) for v in text.split(";")])


def _num(text: str) -> float:
    return np.nan if text == "NA" else float(text)


def _padded(vectors: list[np.ndarray]) -> np.ndarray:
    out = np.full((len(vectors), max(v.size for v in vectors)), np.nan)
    for i, v in enumerate(vectors):
        out[i, : v.size] = v
    return out


UNPAIRED = _read("wilcox_unpaired.tsv")
PAIRED = _read("wilcox_paired.tsv")
TTEST = _read("t_test.tsv")


def _check_p(got: float, row: pd.Series, *, extra_rel: float = 0.0) -> None:
    want = _num(row["p_value"])
    assert got == pytest.approx(want, rel=P_REL + extra_rel, abs=0.0), (
        f"{row['case_id']}: p-value modmap {got!r} vs R {want!r} ({row['r_method']})"
    )


def _check_rank_row(res: pd.Series, row: pd.Series, null_mean: float) -> None:
    case = row["case_id"]
    want_stat = _num(row["statistic"])
    if np.isnan(_num(row["p_value"])):  # R: NaN p-value (no variance at all)
        assert res["method"] == "not_tested", case
        assert np.isnan(res["p_value"]), case
        assert res["direction"] == "none", case
        return
    assert res["statistic"] == want_stat, f"{case}: statistic {res['statistic']!r} vs R {want_stat}"
    want_method = "exact" if row["exact"] == "TRUE" else "asymptotic"
    assert res["method"] == want_method, f"{case}: {res['method']} vs R {row['r_method']}"
    _check_p(res["p_value"], row)
    excess = want_stat - null_mean
    assert res["direction"] == ("up" if excess > 0 else "down" if excess < 0 else "none"), case


# --- Mann-Whitney: wilcox.test(x, y) ---------------------------------------------------------


@pytest.mark.parametrize("case", UNPAIRED.index)
def test_mann_whitney_matches_r(case: str) -> None:
    row = UNPAIRED.loc[case]
    x, y = _vec(row["x"]), _vec(row["y"])
    res = mann_whitney(x[None, :], y[None, :], min_group_size=1).iloc[0]
    nx, ny = int(row["n_x"]), int(row["n_y"])
    assert (res["n_case"], res["n_control"]) == (nx, ny)
    _check_rank_row(res, row, nx * ny / 2.0)


def test_mann_whitney_matches_r_all_cases_as_one_matrix() -> None:
    xs = [_vec(t) for t in UNPAIRED["x"]]
    ys = [_vec(t) for t in UNPAIRED["y"]]
    table = mann_whitney(_padded(xs), _padded(ys), min_group_size=1)
    assert len(table) == len(UNPAIRED)
    for i, (_, row) in enumerate(UNPAIRED.iterrows()):
        nx, ny = int(row["n_x"]), int(row["n_y"])
        assert (table["n_case"].iloc[i], table["n_control"].iloc[i]) == (nx, ny)
        _check_rank_row(table.iloc[i], row, nx * ny / 2.0)


def test_golden_unpaired_covers_the_branches() -> None:
    # Guards the golden data itself: both methods, both sides of the n = 50 limit, NaN case.
    exact = UNPAIRED["exact"] == "TRUE"
    assert exact.any() and (~exact).any()
    assert "u_49x49_exact" in UNPAIRED.index and exact["u_49x49_exact"]
    assert not exact["u_49x50_asymptotic"] and not exact["u_50x50_asymptotic"]
    assert (UNPAIRED["p_value"] == "NA").sum() == 1


# --- Signed rank: wilcox.test(x, y, paired = TRUE) -------------------------------------------


@pytest.mark.parametrize("case", PAIRED.index)
def test_signed_rank_matches_r(case: str) -> None:
    row = PAIRED.loc[case]
    x, y = _vec(row["x"]), _vec(row["y"])
    res = signed_rank(x[None, :], y[None, :], min_group_size=1).iloc[0]
    n_pairs, n = int(row["n_pairs"]), int(row["n_nonzero"])
    assert (res["n_case"], res["n_control"]) == (n_pairs, n_pairs)
    _check_rank_row(res, row, n * (n + 1) / 4.0)


def test_signed_rank_matches_r_all_cases_as_one_matrix() -> None:
    xs = [_vec(t) for t in PAIRED["x"]]
    ys = [_vec(t) for t in PAIRED["y"]]
    table = signed_rank(_padded(xs), _padded(ys), min_group_size=1)
    assert len(table) == len(PAIRED)
    for i, (_, row) in enumerate(PAIRED.iterrows()):
        n = int(row["n_nonzero"])
        assert table["n_case"].iloc[i] == int(row["n_pairs"])
        _check_rank_row(table.iloc[i], row, n * (n + 1) / 4.0)


def test_golden_paired_covers_the_branches() -> None:
    exact = PAIRED["exact"] == "TRUE"
    assert exact["p_49_exact"] and exact["p_sep_49_up"]
    assert not exact["p_50_asymptotic"] and not exact["p_50pairs_1zero_asymptotic"]
    zeros = PAIRED["n_nonzero"].astype(int) < PAIRED["n_pairs"].astype(int)
    assert zeros.any() and not (exact & zeros).any()


# --- t-tests: t.test(x, y) and t.test(x, y, paired = TRUE) -----------------------------------


def _t_rounding(row: pd.Series) -> float:
    """Absolute rounding allowance for ``t``: ``4 N eps max|v| / se`` (see module docstring)."""
    x, y = _vec(row["x"]), _vec(row["y"])
    if row["test"] == "paired":
        ok = ~(np.isnan(x) | np.isnan(y))
        x, y = x[ok], y[ok]
        se = np.std(x - y, ddof=1) / np.sqrt(x.size)
    else:
        x, y = x[~np.isnan(x)], y[~np.isnan(y)]
        se = np.sqrt(np.var(x, ddof=1) / x.size + np.var(y, ddof=1) / y.size)
    big = max(np.abs(x).max(), np.abs(y).max())
    return 4.0 * (x.size + y.size) * np.finfo(np.float64).eps * big / se


def _check_t_row(res: pd.Series, row: pd.Series) -> None:
    case = row["case_id"]
    if row["r_method"].startswith("error:"):  # R stops: "data are essentially constant"
        assert res["method"] == "not_tested", case
        assert np.isnan(res["p_value"]), case
        return
    want_t = _num(row["statistic"])
    assert res["method"] == ("welch" if row["test"] == "welch" else "paired_t"), case
    rounding = _t_rounding(row)
    assert res["statistic"] == pytest.approx(want_t, rel=T_REL, abs=rounding), (
        f"{case}: t modmap {res['statistic']!r} vs R {want_t!r}"
    )
    _check_p(res["p_value"], row, extra_rel=rounding * (2.0 + abs(want_t)))
    assert res["direction"] == ("up" if want_t > 0 else "down"), case


@pytest.mark.parametrize("case", TTEST.index)
def test_t_tests_match_r(case: str) -> None:
    row = TTEST.loc[case]
    x, y = _vec(row["x"]), _vec(row["y"])
    test = welch if row["test"] == "welch" else paired_t
    res = test(x[None, :], y[None, :], min_group_size=1).iloc[0]
    _check_t_row(res, row)


@pytest.mark.parametrize("kind", ["welch", "paired"])
def test_t_tests_match_r_all_cases_as_one_matrix(kind: str) -> None:
    rows = TTEST[TTEST["test"] == kind]
    test = welch if kind == "welch" else paired_t
    table = test(
        _padded([_vec(t) for t in rows["x"]]),
        _padded([_vec(t) for t in rows["y"]]),
        min_group_size=1,
    )
    for i, (_, row) in enumerate(rows.iterrows()):
        _check_t_row(table.iloc[i], row)
