"""Checks of the expression matrix against the sample sheet (modmap.validate, modmap.io)."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.io import read_expression, read_expression_table, read_header, write_expression
from modmap.validate import check_header, prepare_expression


def _write(tmp_path, text: str, name: str = "expr.tsv"):
    path = tmp_path / name
    if name.endswith(".gz"):
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    return path


MATRIX = "feature_id\tA\tB\tC\nf1\t1.5\t2\t3\nf2\t4\t\t6\nf3\t7\t8\tNA\n"


def test_reads_gzip_and_keeps_sheet_order_with_missing_values(tmp_path):
    path = _write(tmp_path, MATRIX, "expr.tsv.gz")
    matrix, warnings = prepare_expression(
        read_expression_table(path), sample_ids=["C", "A"], path=str(path)
    )
    assert matrix.columns.tolist() == ["C", "A"]
    assert matrix.index.tolist() == ["f1", "f2", "f3"]
    assert matrix.loc["f1", "A"] == 1.5 and np.isnan(matrix.loc["f3", "C"])
    assert any("'B'" in w and "not in the sample sheet" in w for w in warnings)
    assert any("1 missing value" in w for w in warnings)


def test_non_numeric_cell_names_line_feature_and_sample(tmp_path):
    path = _write(tmp_path, MATRIX.replace("\t8\t", "\t8,1\t"))
    with pytest.raises(InputError, match=r"line 4, feature 'f3', sample column 'B': '8,1'"):
        prepare_expression(read_expression_table(path), sample_ids=["A", "B"], path=str(path))


def test_column_of_true_false_is_not_numeric(tmp_path):
    # pandas reads a column holding only TRUE/FALSE as booleans: still not expression values
    path = _write(tmp_path, "feature_id\tA\tB\nf1\t1\tTRUE\nf2\t2\tFALSE\n")
    with pytest.raises(InputError, match=r"line 2, feature 'f1', sample column 'B': .*True"):
        prepare_expression(read_expression_table(path), sample_ids=["A", "B"], path=str(path))


def test_sheet_sample_missing_from_matrix(tmp_path):
    path = _write(tmp_path, MATRIX)
    with pytest.raises(InputError, match=r"1 sample\(s\) of the sample sheet .*'D'"):
        prepare_expression(read_expression_table(path), sample_ids=["A", "D"], path=str(path))


def test_duplicated_feature_ids_name_the_lines(tmp_path):
    path = _write(tmp_path, MATRIX + "f2\t1\t1\t1\n")
    with pytest.raises(InputError, match=r"'f2' appears on lines 3, 5"):
        prepare_expression(read_expression_table(path), sample_ids=["A"], path=str(path))


def test_duplicated_sample_columns_in_header(tmp_path):
    path = _write(tmp_path, "id\tA\tB\tA\nf1\t1\t2\t3\n")
    with pytest.raises(InputError, match=r"'A' appears twice \(columns 2 and 4\)"):
        check_header(read_header(path), path=str(path))


def test_linear_scale_is_log2_transformed_and_rejects_non_positive(tmp_path):
    path = _write(tmp_path, "id\tA\tB\nf1\t8\t1024\n")
    matrix, _ = prepare_expression(
        read_expression_table(path), sample_ids=["A", "B"], path=str(path), scale="linear"
    )
    assert matrix.loc["f1"].tolist() == [3.0, 10.0]
    bad = _write(tmp_path, "id\tA\tB\nf1\t8\t0\n", "bad.tsv")
    with pytest.raises(InputError, match=r"feature 'f1', sample column 'B': value 0.0 <= 0"):
        prepare_expression(
            read_expression_table(bad), sample_ids=["A", "B"], path=str(bad), scale="linear"
        )


def test_unlogged_matrix_warns_with_evidence(tmp_path):
    rng = np.random.default_rng(1)
    values = 2 ** rng.normal(9, 2, size=(200, 4))
    df = pd.DataFrame(values, index=[f"g{i}" for i in range(200)], columns=list("ABCD"))
    _, warnings = prepare_expression(df, sample_ids=list("ABCD"), path="m.tsv")
    (warning,) = [w for w in warnings if "look unlogged" in w]
    assert "maximum" in warning and warning.count("set expression.scale: linear") == 1
    _, warnings = prepare_expression(np.log2(df), sample_ids=list("ABCD"), path="m.tsv")
    assert not any("look unlogged" in w for w in warnings)


def test_expression_cache_round_trip_reads_only_requested_samples(tmp_path):
    df = pd.DataFrame(
        {"A": [1.0, np.nan], "B": [2.0, 3.0], "C": [4.0, 5.0]},
        index=pd.Index(["f1", "f2"], name="feature_id"),
    )
    path = tmp_path / "expression.arrow"
    write_expression(df, path)
    back = read_expression(path, samples=["C", "A"])
    assert back.columns.tolist() == ["C", "A"]
    pd.testing.assert_frame_equal(back, df[["C", "A"]])


def test_linear_scale_with_offset_takes_log2_x_plus_offset(tmp_path):
    path = _write(tmp_path, "id\tA\tB\nf1\t0\t1023\nf2\t7\t3\n")
    matrix, _ = prepare_expression(
        read_expression_table(path), sample_ids=["A", "B"], path=str(path), scale="linear", offset=1
    )
    assert matrix.loc["f1"].tolist() == [0.0, 10.0] and matrix.loc["f2"].tolist() == [3.0, 2.0]
    bad = _write(tmp_path, "id\tA\tB\nf1\t8\t-1\n", "bad.tsv")
    with pytest.raises(InputError, match=r"value -1.0 \+ offset 1.0 <= 0"):
        prepare_expression(
            read_expression_table(bad),
            sample_ids=["A", "B"],
            path=str(bad),
            scale="linear",
            offset=1.0,
        )
    with pytest.raises(InputError, match="expression.offset is 1 but expression.scale is 'log2'"):
        prepare_expression(
            read_expression_table(path), sample_ids=["A", "B"], path=str(path), offset=1
        )


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # TP53 rows: means 2.0 (a) and 4.0 (b); IQRs (type 7) 2.5 (a) and 0.0 (b)
        ("max_mean", {"TP53": [4.0, 4.0, 4.0, 4.0], "GATA1": [1.0, 2.0, 3.0, 4.0]}),
        ("max_iqr", {"TP53": [0.0, 1.0, 3.0, 4.0], "GATA1": [1.0, 2.0, 3.0, 4.0]}),
        ("mean", {"TP53": [2.0, 2.5, 3.5, 4.0], "GATA1": [1.0, 2.0, 3.0, 4.0]}),
    ],
)
def test_duplicated_feature_ids_collapse_with_bridge_collapse(method, expected):
    raw = pd.DataFrame(
        [[0.0, 1.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [4.0, 4.0, 4.0, 4.0]],
        index=pd.Index(["TP53", "GATA1", "TP53"]),
        columns=["s1", "s2", "s3", "s4"],
    )
    matrix, warnings = prepare_expression(
        raw, sample_ids=["s1", "s2", "s3", "s4"], path="m.tsv", collapse=method
    )
    assert sorted(matrix.index) == ["GATA1", "TP53"]
    for gene, values in expected.items():
        assert matrix.loc[gene].tolist() == values
    assert any("1 feature ID(s) on several rows (2 rows)" in w and method in w for w in warnings)
