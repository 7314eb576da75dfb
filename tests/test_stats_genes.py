"""The per-comparison driver: design checks, pairing, q-values, the output contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.stats import comparison_design, gene_tests

COLUMNS = [
    "feature_id",
    "n_case",
    "n_control",
    "statistic",
    "p_value",
    "method",
    "direction",
    "median_case",
    "median_control",
    "log2_fc",
    "fold_change",
]


def expression():
    rng = np.random.default_rng(0)
    samples = [f"s{i}" for i in range(8)]
    values = rng.standard_normal((4, 8))
    values[1] = values[1] + np.array([5, 6, 7, 8, 0, 0, 0, 0])  # cases s0-s3 far above
    return pd.DataFrame(values, index=["g1", "g2", "g3", "g4"], columns=samples)


def comparisons():
    return pd.DataFrame(
        {
            "comparison": ["u"] * 8 + ["p"] * 6,
            "sample_id": [f"s{i}" for i in range(8)] + ["s5", "s0", "s1", "s4", "s2", "s6"],
            "role": ["case"] * 4 + ["control"] * 4 + ["control", "case"] * 3,
            "pair": [""] * 8 + ["A", "A", "C", "C", "B", "B"],
        }
    )


def test_unpaired_table_contract_and_fdr():
    expr = expression()
    out = gene_tests(expr, comparison_design(comparisons(), "u"), fdr=True, min_group_size=3)
    assert list(out.columns) == [*COLUMNS, "q_value"]
    assert list(out["feature_id"]) == ["g1", "g2", "g3", "g4"]
    # g2: all 4 cases above all 4 controls -> W = 16, exact p = 2 / C(8, 4).
    assert out.loc[1, "statistic"] == 16.0
    assert out.loc[1, "p_value"] == pytest.approx(2 / 70)
    assert out.loc[1, "direction"] == "up"
    assert out.loc[1, "median_case"] == pytest.approx(np.median(expr.iloc[1, :4]))
    assert (
        "q_value"
        not in gene_tests(expr, comparison_design(comparisons(), "u"), min_group_size=3).columns
    )


def test_pairs_matched_by_pair_label_not_row_order():
    expr = expression()
    out = gene_tests(expr, comparison_design(comparisons(), "p"), min_group_size=3)
    # pairs: A = (case s0, control s5), C = (case s4, control s1), B = (case s6, control s2)
    d = expr["s0"] - expr["s5"], expr["s4"] - expr["s1"], expr["s6"] - expr["s2"]
    d = np.stack([v.to_numpy() for v in d], axis=1)
    assert list(out["n_case"]) == [3, 3, 3, 3]
    for i in range(4):
        v = sum(np.argsort(np.argsort(np.abs(d[i])))[d[i] > 0] + 1)
        assert out.loc[i, "statistic"] == v


def test_welch_option_and_design_errors():
    expr = expression()
    out = gene_tests(expr, comparison_design(comparisons(), "u"), test="welch", min_group_size=3)
    assert set(out["method"]) == {"welch"}
    with pytest.raises(InputError, match="no rows for comparison 'zzz'"):
        comparison_design(comparisons(), "zzz")
    bad = comparisons()
    bad.loc[8, "role"] = "case"  # pair A now has two cases
    with pytest.raises(InputError, match="pair 'A'"):
        comparison_design(bad, "p")
    with pytest.raises(InputError, match="not columns of the expression matrix"):
        gene_tests(expr.drop(columns="s3"), comparison_design(comparisons(), "u"), min_group_size=3)
    with pytest.raises(InputError, match="statistics.test"):
        gene_tests(expr, comparison_design(comparisons(), "u"), test="limma", min_group_size=3)


def test_not_tested_features_are_logged(caplog):
    expr = expression()
    expr.iloc[0] = 3.0
    expr.iloc[2, :4] = np.nan
    with caplog.at_level("WARNING", logger="modmap.stats.genes"):
        out = gene_tests(
            expr, comparison_design(comparisons(), "u"), comparison="u", min_group_size=3
        )
    assert list(out["method"])[:3] == ["not_tested", "exact", "not_tested"]
    text = caplog.text
    assert "constant" in text and "g1" in text
    assert "all values missing" in text and "g3" in text


def test_untestable_p_one_keeps_constant_genes_in_bh():
    expr = expression()
    expr.loc["g3"] = 7.0  # no variation at all in the comparison
    design = comparison_design(comparisons(), "u")
    default = gene_tests(expr, design, test="student", fdr=True, min_group_size=3)
    assert default.loc[2, "method"] == "not_tested" and np.isnan(default.loc[2, "q_value"])
    kept = gene_tests(expr, design, test="student", fdr=True, untestable="p_one", min_group_size=3)
    assert kept.loc[2, "method"] == "constant" and kept.loc[2, "p_value"] == 1.0
    assert kept.loc[2, "direction"] == "none"
    # BH over 4 p-values now: the smallest p gets q = p * 4 / 1 (if that is the running min).
    p = kept["p_value"].to_numpy()
    order = np.argsort(p)
    q_by_hand = np.minimum.accumulate((p[order] * 4 / np.arange(1, 5))[::-1])[::-1]
    np.testing.assert_allclose(kept["q_value"].to_numpy()[order], np.minimum(q_by_hand, 1))


def test_fold_change_columns_and_fdr_members():
    expr = expression()
    design = comparison_design(comparisons(), "u")
    out = gene_tests(
        expr, design, fdr=True, fdr_members={"g1": 2, "g2": 1, "g4": 1}, min_group_size=3
    )
    means = expr.iloc[:, :4].mean(axis=1) - expr.iloc[:, 4:].mean(axis=1)
    np.testing.assert_allclose(out["log2_fc"], means.to_numpy(), rtol=1e-13)
    assert out["fold_change"].isna().all()  # log2 input
    assert np.isnan(out.loc[2, "q_value"])  # g3 in no module: no q-value
    # Linear input (log2(x + 0)): the ratio of the untransformed means, gtools-signed.
    linear = gene_tests(expr, design, linear_offset=0, min_group_size=3)
    untransformed = 2.0**expr
    ratio = untransformed.iloc[:, :4].mean(axis=1) / untransformed.iloc[:, 4:].mean(axis=1)
    expected = np.where(ratio >= 1, ratio, -1 / ratio)
    np.testing.assert_allclose(linear["fold_change"], expected, rtol=1e-13)


def test_fold_change_chunks_on_threads_match_the_textbook_and_one_thread():
    from modmap.stats.genes import _summaries

    rng = np.random.default_rng(11)
    values = np.round(rng.normal(8, 2, (103, 12)), 1)
    values[rng.random(values.shape) < 0.1] = np.nan
    values[5, :] = np.nan  # no value at all
    values[9, :] = 7.0  # constant
    case, ctrl = np.array([0, 3, 5, 7, 11]), np.array([1, 2, 4, 6, 8, 9, 10])
    one = _summaries(values, case, ctrl, linear_offset=None, chunk=7, threads=1)
    two = _summaries(values, case, ctrl, linear_offset=None, chunk=7, threads=2)
    pd.testing.assert_frame_equal(one[0], two[0])
    np.testing.assert_array_equal(one[1], two[1])
    for g in range(len(values)):
        x, y = values[g, case], values[g, ctrl]
        x, y = x[~np.isnan(x)], y[~np.isnan(y)]
        want = x.mean() - y.mean() if len(x) and len(y) else np.nan
        np.testing.assert_allclose(two[0]["log2_fc"].iloc[g], want, rtol=1e-12)
        both = np.concatenate([x, y])
        assert two[1][g] == (len(both) == 0 or both.min() == both.max())
