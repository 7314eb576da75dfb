"""The expression cache (an Arrow IPC file, column-major): round trip, views, rows and damage.

Oracles: the planted matrix (values read back bit for bit, NaN and -0.0 included), pyarrow's
own IPC reader of the same file (the layout documented in :func:`modmap.io.write_expression`),
and memory identity for "no copy".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc
import pytest

from modmap.errors import InputError
from modmap.io import open_expression, read_expression, read_feature_ids, write_expression


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64).view(np.int64)


@pytest.fixture
def cache(tmp_path):
    rng = np.random.default_rng(7)
    n = 1234
    values = np.round(rng.normal(8, 2, (n, 9)), 3)
    values[rng.random(values.shape) < 0.01] = np.nan
    values[5, 2] = -0.0
    samples = [f"S{j}" for j in range(9)]
    matrix = pd.DataFrame(
        np.asfortranarray(values),  # as the validate step hands it over
        index=pd.Index([f"F{i:05d}" for i in range(n)], name="feature_id"),
        columns=samples,
    )
    path = tmp_path / "expression.arrow"
    write_expression(matrix, path)
    return path, matrix


def test_the_file_is_one_batch_of_sample_columns_that_pyarrow_reads_as_documented(cache):
    path, planted = cache
    with pa.memory_map(str(path)) as source:
        reader = ipc.open_file(source)
        assert reader.num_record_batches == 1
        table = reader.read_all()
    assert table.column_names == ["feature_id", *planted.columns]
    assert table.column("feature_id").to_pylist() == list(planted.index)
    back = table.to_pandas().set_index("feature_id")
    assert (_bits(back.to_numpy()) == _bits(planted.to_numpy())).all()
    assert all(table.column(s).null_count == 0 for s in planted.columns)  # NaN: values


@pytest.mark.parametrize(
    "samples", [None, ["S4", "S0", "S8"], ["S3"], []], ids=["all", "shuffled", "one", "none"]
)
def test_read_expression_gives_the_planted_values_bit_for_bit(cache, samples):
    path, planted = cache
    got = read_expression(path, samples=samples)
    want = planted if samples is None else planted[samples]
    assert list(got.index) == list(planted.index) and got.index.name == "feature_id"
    assert list(got.columns) == list(want.columns)
    assert (_bits(got.to_numpy()) == _bits(want.to_numpy())).all()
    assert got.to_numpy().flags.f_contiguous or got.size == 0  # as Table.to_pandas made it


def test_open_expression_is_a_view_of_the_mapped_file_not_a_copy(cache):
    path, planted = cache
    view = open_expression(path)
    values = view.to_numpy()
    assert (_bits(values) == _bits(planted.to_numpy())).all()
    assert list(view.columns) == list(planted.columns) and values.strides[0] == 8
    # The oracle of "no copy": a value changed in the file, in place, shows through the frame.
    data = path.read_bytes()
    at = data.index(planted["S4"].to_numpy().tobytes())  # sample S4's values, contiguous
    with open(path, "r+b") as handle:
        handle.seek(at + 7 * 8)  # feature 7
        handle.write(np.float64(-123.5).tobytes())
    assert view.iloc[7, 4] == -123.5
    assert read_expression(path, manifest="ignore").iloc[7, 4] == -123.5


def test_wanted_rows_come_back_in_cache_order(cache):
    path, planted = cache
    ids = list(planted.index)
    wanted = [ids[-1], ids[3], "nope", ids[0], ids[3]]
    got = read_expression(path, samples=["S3", "S1"], features=wanted)
    assert got.index.tolist() == [ids[0], ids[3], ids[-1]]
    expected = planted.loc[[ids[0], ids[3], ids[-1]], ["S3", "S1"]]
    assert (_bits(got.to_numpy()) == _bits(expected.to_numpy())).all()
    assert read_expression(path, features=["nope"]).shape == (0, 9)
    assert list(read_feature_ids(path)) == ids


def test_a_sample_not_in_the_cache_says_how_to_rebuild(cache):
    path, _ = cache
    with pytest.raises(InputError, match=r"'zz'.*--forcerun validate"):
        read_expression(path, samples=["S1", "zz"])


def _write_ipc(table: pa.Table, path) -> None:
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def test_nulls_in_a_foreign_file_read_as_missing_values(tmp_path):
    # Not written by modmap (a null instead of NaN): decoded, the null as NaN.
    path = tmp_path / "foreign.arrow"
    _write_ipc(pa.table({"feature_id": ["g1", "g2"], "a": [1.0, 3.0], "b": [None, 4.0]}), path)
    for read in (read_expression, open_expression):
        got = read(path, manifest="ignore")
        np.testing.assert_array_equal(got.to_numpy(), [[1.0, np.nan], [3.0, 4.0]])


def test_a_file_of_another_layout_is_damaged_with_the_fix(tmp_path):
    path = tmp_path / "other.arrow"
    _write_ipc(pa.table({"feature_id": ["g1"], "S1": ["text"]}), path)
    with pytest.raises(InputError, match="damaged or incomplete.*--forcerun validate"):
        read_expression(path, manifest="ignore")
