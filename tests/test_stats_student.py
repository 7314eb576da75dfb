"""Student t-test (var.equal = TRUE) against R's t.test golden values and the textbook formula."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from modmap.stats import comparison_design, gene_tests, student

GOLDEN = Path(__file__).parent / "data" / "r_golden_bloodgen3" / "student_t.tsv"


def _vector(text: str) -> np.ndarray:
    return np.array([np.nan if v == "NA" else float(v) for v in text.split(";")])


def _golden() -> pd.DataFrame:
    return pd.read_csv(GOLDEN, sep="\t", comment="#", dtype=str)


def test_golden_file_has_the_grid():
    assert len(_golden()) == 10


@pytest.mark.parametrize("row", range(10))
def test_student_equals_r_t_test_var_equal(row):
    case = _golden().iloc[row]
    x, y = _vector(case["x"]), _vector(case["y"])
    res = student(x[None, :], y[None, :], min_group_size=2)
    assert res.loc[0, "method"] == "student"
    assert res.loc[0, "statistic"] == pytest.approx(float(case["statistic"]), rel=1e-12, abs=1e-15)
    assert res.loc[0, "p_value"] == pytest.approx(float(case["p_value"]), rel=1e-10)
    assert res.loc[0, "n_case"] == np.sum(~np.isnan(x))
    t = float(case["statistic"])
    assert res.loc[0, "direction"] == ("up" if t > 0 else "down" if t < 0 else "none")


def textbook_student(x, y):
    nx, ny = len(x), len(y)
    mx, my = sum(x) / nx, sum(y) / ny
    ss = sum((v - mx) ** 2 for v in x) + sum((v - my) ** 2 for v in y)
    sp2 = ss / (nx + ny - 2)
    t = (mx - my) / math.sqrt(sp2 * (1 / nx + 1 / ny))
    return t, 2 * stats.t.sf(abs(t), nx + ny - 2)


def test_matrix_of_genes_matches_textbook_with_missing_values():
    rng = np.random.default_rng(3)
    x = rng.normal(1, 2, (40, 9))
    y = rng.normal(0, 1, (40, 13))
    x[0, :3] = np.nan
    y[5, 2] = np.nan
    res = student(x, y)
    for i in range(40):
        xi, yi = x[i][~np.isnan(x[i])], y[i][~np.isnan(y[i])]
        t, p = textbook_student(list(xi), list(yi))
        assert res.loc[i, "statistic"] == pytest.approx(t, rel=1e-10)
        assert res.loc[i, "p_value"] == pytest.approx(p, rel=1e-8)


def test_constant_genes_and_small_groups_not_tested():
    x = np.array([[2.0, 2.0, 2.0], [1.0, 2.0, np.nan], [3.0, 3.0, 3.0]])
    y = np.array([[2.0, 2.0, 2.0, 2.0], [1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0]])
    res = student(x, y)
    # all equal; 2 values < min_group_size 3; constant in both groups with different values
    # (R: "data are essentially constant").
    assert list(res["method"]) == ["not_tested"] * 3
    assert res["p_value"].isna().all()


def test_gene_tests_student_unpaired_and_paired():
    rng = np.random.default_rng(5)
    samples = [f"s{i}" for i in range(10)]
    expr = pd.DataFrame(rng.normal(size=(3, 10)), index=["a", "b", "c"], columns=samples)
    long = pd.DataFrame(
        {
            "comparison": ["u"] * 10 + ["p"] * 8,
            "sample_id": samples + samples[:8],
            "role": ["case"] * 5 + ["control"] * 5 + ["case", "control"] * 4,
            "pair": [""] * 10 + ["A", "A", "B", "B", "C", "C", "D", "D"],
        }
    )
    out = gene_tests(expr, comparison_design(long, "u"), test="student", min_group_size=3)
    t, p = textbook_student(list(expr.iloc[1, :5]), list(expr.iloc[1, 5:]))
    assert out.loc[1, "statistic"] == pytest.approx(t, rel=1e-10)
    assert out.loc[1, "p_value"] == pytest.approx(p, rel=1e-8)
    paired = gene_tests(expr, comparison_design(long, "p"), test="student", min_group_size=3)
    assert set(paired["method"]) == {"paired_t"}  # R ignores var.equal when paired
    d = expr.iloc[0, [0, 2, 4, 6]].to_numpy() - expr.iloc[0, [1, 3, 5, 7]].to_numpy()
    assert paired.loc[0, "statistic"] == pytest.approx(d.mean() / (d.std(ddof=1) / 2), rel=1e-10)


def test_row_moments_equal_numpy_nan_functions():
    from modmap.stats.welch import _moments

    rng = np.random.default_rng(11)
    a = rng.normal(size=(300, 17))
    a[rng.random(a.shape) < 0.2] = np.nan
    a[0] = np.nan  # no value
    a[1, 1:] = np.nan  # one value
    a[2, :] = 3.0  # constant
    clean = rng.normal(size=(50, 16))  # even width, no missing value (the fast path)
    for m, chunk in ((a, 64), (clean, 7), (a, 2048)):
        n, mean, var, median = _moments(m, chunk=chunk)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # numpy warns on the empty rows
            expected = (
                np.sum(~np.isnan(m), axis=1),
                np.nanmean(m, axis=1),
                np.nanvar(m, axis=1, ddof=1),
                np.nanmedian(m, axis=1),
            )
        np.testing.assert_array_equal(n, expected[0])
        np.testing.assert_allclose(mean, expected[1], rtol=1e-14)
        np.testing.assert_allclose(var, expected[2], rtol=1e-12)
        np.testing.assert_array_equal(median, expected[3])
