"""read_expression(features=...): only the wanted rows, in cache order, across row groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from modmap.io import read_expression, write_expression

ROWS = 1000  # rows per row group of these caches


def test_wanted_rows_come_back_in_cache_order_from_the_row_groups_that_hold_them(tmp_path):
    n = 2 * ROWS + 10  # three row groups
    ids = [f"g{i:05d}" for i in range(n)]
    matrix = pd.DataFrame(
        np.arange(n * 3, dtype=float).reshape(n, 3),
        index=pd.Index(ids, name="feature_id"),
        columns=["s1", "s2", "s3"],
    )
    path = tmp_path / "expression.parquet"
    write_expression(matrix, path, rows_per_group=ROWS)
    # rows of the first and last row groups only, asked in another order, plus an unknown ID
    wanted = [ids[n - 1], ids[3], "nope", ids[0]]
    got = read_expression(path, samples=["s3", "s1"], features=wanted)
    assert got.index.tolist() == [ids[0], ids[3], ids[n - 1]]
    expected = matrix.loc[[ids[0], ids[3], ids[n - 1]], ["s3", "s1"]]
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())
    assert read_expression(path, features=["nope"]).shape == (0, 3)
