"""modmap.stats._lookup.in_index: the same answer as pandas' ``Series.isin``, without its cost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.stats._lookup import in_index


def _isin_oracle(values, labels) -> list[bool]:
    """Membership written out with Python sets (missing values match missing values)."""
    wanted = {v for v in labels if not pd.isna(v)}
    has_missing = any(pd.isna(v) for v in labels)
    return [(has_missing if pd.isna(v) else v in wanted) for v in values]


@pytest.mark.parametrize("unique", [True, False])
@pytest.mark.parametrize("dtype", ["str", object])
def test_in_index_matches_set_membership_and_isin(unique: bool, dtype) -> None:
    rng = np.random.default_rng(7)
    pool = [f"G{i}" for i in range(300)] + ["007", "1e5", "", "NA"]
    labels = list(rng.choice(pool, size=150, replace=not unique))
    if unique:
        labels = list(dict.fromkeys(labels))
    values = pd.Series(list(rng.choice(pool, size=400)) + [None], dtype=dtype)
    index = pd.Index(labels, dtype=dtype)
    got = in_index(values, index)
    assert got.dtype == bool and got.shape == (len(values),)
    assert got.tolist() == _isin_oracle(values.tolist(), labels)
    assert got.tolist() == values.isin(index).tolist()
    assert index.is_unique == unique


def test_missing_values_match_a_missing_label() -> None:
    values = pd.Series(["a", None, "b"], dtype="str")
    assert in_index(values, pd.Index(["b", None], dtype="str")).tolist() == [False, True, True]
    assert in_index(values, pd.Index(["b"], dtype="str")).tolist() == [False, False, True]
    assert in_index(values, pd.Index([], dtype="str")).tolist() == [False, False, False]
