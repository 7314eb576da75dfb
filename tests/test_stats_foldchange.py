"""Fold changes against gtools::foldchange golden values and the definitions written here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from modmap.stats import fold_changes, gtools_foldchange
from modmap.stats.foldchange import signed_fold

GOLDEN = Path(__file__).parent / "data" / "r_golden_bloodgen3" / "foldchange.tsv"


def test_gtools_foldchange_equals_r_on_the_grid():
    grid = pd.read_csv(GOLDEN, sep="\t", comment="#")
    assert len(grid) == 35
    got = gtools_foldchange(grid["num"].to_numpy(), grid["denom"].to_numpy())
    # to the last bits of a double (numpy versions order the arithmetic differently)
    np.testing.assert_allclose(got, grid["foldchange"].to_numpy(), rtol=1e-15, atol=0)
    assert not ((got > -1) & (got < 1)).any()


def test_signed_fold_of_log2():
    np.testing.assert_allclose(
        signed_fold(np.array([1.0, 0.0, -1.0, np.log2(1.5)])), [2, 1, -2, 1.5]
    )


def test_log2_fc_is_difference_of_means_and_fold_change_of_linear_means():
    linear_case = np.array([[10.0, 30.0, 50.0], [0.0, 1.0, 2.0]])
    linear_ctrl = np.array([[20.0, 20.0, np.nan, 5.0], [9.0, 9.0, 9.0, 9.0]])
    out = fold_changes(np.log2(linear_case + 1), np.log2(linear_ctrl + 1), linear_offset=1)
    # Row 0: mean case 30, mean control 15 (NaN dropped) -> 2; row 1: mean 1 vs 9 -> -9.
    assert out.loc[0, "fold_change"] == pytest.approx(2.0, rel=1e-13)
    assert out.loc[1, "fold_change"] == pytest.approx(-9.0, rel=1e-13)
    expected = np.mean(np.log2([11, 31, 51])) - np.mean(np.log2([21, 21, 6]))
    assert out.loc[0, "log2_fc"] == pytest.approx(expected, rel=1e-13)
    logged = fold_changes(np.log2(linear_case + 1), np.log2(linear_ctrl + 1))
    assert logged["fold_change"].isna().all()  # log2 input: no linear ratio
    np.testing.assert_array_equal(logged["log2_fc"], out["log2_fc"])
