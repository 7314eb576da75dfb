"""Row groups of the parquet cache: sized by bytes of values (modmap.io.row_group_rows)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from modmap.io import read_expression, row_group_rows, write_expression


@pytest.mark.parametrize(
    ("samples", "rows"),
    [
        # 128 MiB = 134,217,728 bytes of float64 values per group, worked out by hand
        (2000, 134_217_728 // 16_000),  # 8,388 rows
        (200, 134_217_728 // 1_600),  # 83,886 rows: 20,000 features in one group
        (4000, 134_217_728 // 32_000),  # 4,194 rows
        (1, 16_777_216),
        (0, 16_777_216),  # no sample column: counted as one
        (20_000, 1024),  # 838 rows by bytes, raised to the minimum
    ],
)
def test_rows_per_group_from_a_byte_target(samples, rows):
    assert row_group_rows(samples) == rows


def test_rows_per_group_options():
    assert row_group_rows(10, target_bytes=800, min_rows=1) == 10
    assert row_group_rows(10, target_bytes=800, min_rows=25) == 25


def test_the_cache_is_cut_into_groups_of_the_rows_asked(tmp_path):
    rng = np.random.default_rng(3)
    n = 2500
    matrix = pd.DataFrame(
        np.round(rng.normal(8, 2, (n, 4)), 2),
        index=pd.Index([f"F{i}" for i in range(n)], name="feature_id"),
        columns=["a", "b", "c", "d"],
    )
    small, default = tmp_path / "small.parquet", tmp_path / "default.parquet"
    write_expression(matrix, small, rows_per_group=1000)
    write_expression(matrix, default)
    meta = pq.ParquetFile(small).metadata
    assert [meta.row_group(g).num_rows for g in range(meta.num_row_groups)] == [1000, 1000, 500]
    assert pq.ParquetFile(default).metadata.num_row_groups == 1  # 4 samples: 4 million rows
    for path in (small, default):
        pd.testing.assert_frame_equal(read_expression(path), matrix, check_index_type=False)
