"""The parquet cache read column-major by row groups, and the validate step's no-copy path.

Oracles: the planted matrix itself (values read back bit for bit), pyarrow's own
``read_table(...).to_pandas()`` of the same columns (the reader this one replaces), and memory
identity (``numpy.shares_memory``) for "no copy".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from modmap.io import read_expression, write_expression
from modmap.validate import prepare_expression

ROWS = 1000  # rows per row group of the cache


@pytest.fixture
def cache(tmp_path):
    rng = np.random.default_rng(7)
    n = 2 * ROWS + 123  # three row groups, the last one short
    values = np.round(rng.normal(8, 2, (n, 9)), 3)
    values[rng.random(values.shape) < 0.01] = np.nan
    samples = [f"S{j}" for j in range(9)]
    matrix = pd.DataFrame(
        values, index=pd.Index([f"F{i:05d}" for i in range(n)], name="feature_id"), columns=samples
    )
    path = tmp_path / "expression.parquet"
    write_expression(matrix, path, rows_per_group=ROWS)
    return path, matrix


@pytest.mark.parametrize(
    "samples", [None, ["S4", "S0", "S8"], ["S3"], []], ids=["all", "shuffled", "one", "none"]
)
def test_column_major_read_equals_arrow_and_the_planted_values(cache, samples):
    path, planted = cache
    assert pq.ParquetFile(path).num_row_groups == 3
    got = read_expression(path, samples=samples)
    columns = None if samples is None else ["feature_id", *samples]
    expected = pq.read_table(path, columns=columns).to_pandas().set_index("feature_id")
    pd.testing.assert_frame_equal(got, expected)
    want = planted if samples is None else planted[samples]
    assert list(got.index) == list(planted.index)
    a, b = got.to_numpy(), want.to_numpy()
    assert np.array_equal(np.isnan(a), np.isnan(b))
    assert (a[~np.isnan(a)].view(np.int64) == b[~np.isnan(b)].view(np.int64)).all()
    if samples:
        assert got.to_numpy().flags.f_contiguous


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
