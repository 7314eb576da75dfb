"""The validate step's no-copy path from the reader to the cache.

Oracle: memory identity (``numpy.shares_memory``) for "no copy" and the planted values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modmap.validate import prepare_expression


def test_prepare_expression_keeps_the_read_matrix_without_a_copy():
    rng = np.random.default_rng(1)
    values = np.asfortranarray(rng.normal(8, 1, (500, 6)))
    raw = pd.DataFrame(
        values,
        index=pd.Index([f"g{i}" for i in range(500)], name="id"),
        columns=list("abcdef"),
        copy=False,  # as the fast reader builds it: one column-major block
    )
    assert np.shares_memory(raw.to_numpy(), values)
    matrix, warnings = prepare_expression(raw, sample_ids=list("abcdef"), path="m.tsv")
    assert warnings == []
    assert np.shares_memory(matrix.to_numpy(), values)  # the same buffer, not a copy
    assert matrix.index.name == "feature_id" and list(matrix.columns) == list("abcdef")
    # a subset (or another order) of the samples is a new array with exactly those columns
    subset, _ = prepare_expression(raw, sample_ids=["c", "a"], path="m.tsv")
    assert np.array_equal(subset.to_numpy(), values[:, [2, 0]])
