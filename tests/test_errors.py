"""``modmap.errors.first_true``: the row an InputError names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.errors import first_true


def test_first_true_of_series_and_arrays() -> None:
    # A Series with a non-default index: the position counts, not the label.
    mask = pd.Series([False, False, True, True], index=[10, 3, 7, 1])
    assert first_true(mask) == 2
    assert first_true(np.array([True, False])) == 0
    assert first_true([False, False, False, True]) == 3


def test_first_true_needs_a_true() -> None:
    with pytest.raises(ValueError, match="at least one True"):
        first_true(pd.Series([False, False]))
