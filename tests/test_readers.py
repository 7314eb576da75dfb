"""Readers by content (modmap.readers): small hand-written files whose content is known cell by
cell, in every layout and compression, named to mislead."""

from __future__ import annotations

import bz2
import gzip
import zipfile

import numpy as np
import pandas as pd
import pytest
from cohort_files import write_gct, write_series_matrix

from modmap.errors import InputError
from modmap.io import read_expression_table, read_header, read_sample_sheet
from modmap.readers import read_matrix, read_sheet, sniff
from modmap.readers.geo import column_name

# The oracle: features x samples, hand-typed.
EXPECTED = pd.DataFrame(
    {"S1": [1.5, 4.0, 7.0], "S2": [2.0, np.nan, 8.0], "S3": [3.0, 6.0, np.nan]},
    index=pd.Index(["f1", "f2", "f3"], name="ID"),
)
TSV = "ID\tS1\tS2\tS3\nf1\t1.5\t2\t3\nf2\t4\t\t6\nf3\t7\t8\tNA\n"


def _check(values: pd.DataFrame) -> None:
    assert list(values.index) == ["f1", "f2", "f3"]
    assert list(values.columns) == ["S1", "S2", "S3"]
    np.testing.assert_array_equal(values.to_numpy(dtype=float), EXPECTED.to_numpy())


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("m.csv", TSV, "tab-separated text"),  # TSV content named .csv
        ("m.txt", TSV.replace("\t", ","), "comma-separated text"),  # CSV content named .txt
        ("m.tsv", TSV.replace("\t", ";"), "semicolon-separated text"),
        ("m.tsv", TSV.replace("\t", '","').replace("\n", '"\n"').rstrip('"'), None),
    ],
)
def test_separator_is_sniffed_from_the_content(tmp_path, name, text, kind):
    if kind is None:  # every field quoted: ID","S1"... -> fix the first and last quotes
        text = '"' + text
        kind = "comma-separated text"
    path = tmp_path / name
    path.write_text(text)
    read = read_matrix(path)
    assert read.kind == kind
    _check(read.values)
    assert read.header == ["ID", "S1", "S2", "S3"]


def test_quoted_commas_in_a_tab_sheet_stay_in_their_cell(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text('id\tgroup\tdrugs\nA\tcase\t"x, y"\nB\tcontrol\tz, w\n')
    sheet = read_sheet(path)
    assert sheet.to_dict("list") == {
        "id": ["A", "B"],
        "group": ["case", "control"],
        "drugs": ["x, y", "z, w"],
    }


@pytest.mark.parametrize("compression", ["gzip", "zip", "bz2", "none-named-gz"])
def test_compression_is_found_by_magic_bytes(tmp_path, compression):
    data = TSV.encode()
    path = tmp_path / "matrix.dat"
    if compression == "gzip":
        path.write_bytes(gzip.compress(data))
    elif compression == "bz2":
        path.write_bytes(bz2.compress(data))
    elif compression == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("inner.tsv", data)
    else:
        path = tmp_path / "matrix.tsv.gz"
        path.write_bytes(data)
    read = read_matrix(path)
    _check(read.values)
    if compression == "none-named-gz":
        assert read.notes == [
            f"{path}: named .gz but the content is plain text; read as what it is."
        ]
    else:
        assert read.kind.startswith(f"{compression}-compressed")


def test_r_write_table_header_without_the_row_name_column(tmp_path):
    path = tmp_path / "r.tsv"
    path.write_text("S1\tS2\tS3\nf1\t1.5\t2\t3\nf2\t4\t\t6\nf3\t7\t8\tNA\n")
    read = read_matrix(path)
    _check(read.values)
    assert read.header == ["", "S1", "S2", "S3"]


def test_repeated_sample_headers_are_kept_as_written(tmp_path):
    path = tmp_path / "dup.tsv"
    path.write_text("ID\tTB\tTB\tNID\nf1\t1\t2\t3\n")
    assert read_header(path) == ["ID", "TB", "TB", "NID"]
    assert list(read_expression_table(path).columns) == ["TB", "TB", "NID"]


def test_io_readers_give_what_pandas_gave_before(tmp_path):
    # Oracle: the pandas calls modmap used before the readers (tab-separated files).
    path = tmp_path / "m.tsv.gz"
    path.write_bytes(gzip.compress(TSV.encode()))
    before = pd.read_csv(path, sep="\t", index_col=0, dtype={0: str}, low_memory=False)
    pd.testing.assert_frame_equal(read_expression_table(path), before)
    sheet = tmp_path / "s.tsv"
    sheet.write_text("sample_id\tgroup\tage\n007\tcase\t\n1e5\tcontrol\t12\n\n")
    before = pd.read_csv(sheet, sep="\t", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(read_sample_sheet(sheet), before)


def test_series_matrix_table_and_sample_lines(tmp_path):
    characteristics = pd.DataFrame(
        {"Disease State": ["sepsis", "control", "sepsis"], "age": ["39", "52", " 7"]}
    )
    path = write_series_matrix(
        EXPECTED, characteristics, tmp_path / "x.txt", titles=["a", "b", "c"]
    )
    read = read_matrix(path)
    _check(read.values)
    assert read.kind == "gzip-compressed GEO series matrix"
    assert read.series["platform_id"] == "GPL6106"
    assert read.samples.to_dict("list") == {
        "geo_accession": ["S1", "S2", "S3"],
        "title": ["a", "b", "c"],
        "source_name": ["whole blood"] * 3,
        "disease_state": ["sepsis", "control", "sepsis"],
        "age": ["39", "52", "7"],
    }
    # Messages name lines of the file: the first table row is the line that starts with "f1".
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    assert read.first_line == 1 + next(i for i, line in enumerate(lines) if line.startswith('"f1"'))
    pd.testing.assert_frame_equal(read_sheet(path), read.samples)


def test_series_matrix_characteristics_are_matched_by_key_not_by_line(tmp_path):
    # GEO files where one characteristics line mixes keys across samples.
    text = (
        '!Series_title\t"t"\n'
        '!Sample_geo_accession\t"G1"\t"G2"\n'
        '!Sample_characteristics_ch1\t"tissue: blood"\t"sex: F"\n'
        '!Sample_characteristics_ch1\t"sex: M"\t"tissue: blood"\n'
        '!Sample_characteristics_ch1\t"note one"\t""\n'
        "!series_matrix_table_begin\n"
        '"ID_REF"\t"G1"\t"G2"\n'
        '"p1"\t1\tnull\n'
        "!series_matrix_table_end\n"
    )
    path = tmp_path / "mixed.txt"
    path.write_text(text)
    read = read_matrix(path)
    assert read.samples.to_dict("list") == {
        "geo_accession": ["G1", "G2"],
        "tissue": ["blood", "blood"],
        "sex": ["M", "F"],
        "characteristics_3": ["note one", ""],
    }
    assert read.values.loc["p1", "G1"] == 1 and np.isnan(read.values.loc["p1", "G2"])
    assert column_name(" Disease State (WHO) ") == "disease_state_who"


def test_series_matrix_without_its_end_marker_is_truncated(tmp_path):
    path = write_series_matrix(EXPECTED, pd.DataFrame(index=range(3)), tmp_path / "s.txt.gz")
    text = gzip.decompress(path.read_bytes()).decode()
    path.write_bytes(gzip.compress(text.replace("!series_matrix_table_end\n", "").encode()))
    with pytest.raises(InputError, match="no !series_matrix_table_end line.*cut short"):
        read_matrix(path)


@pytest.mark.parametrize("version", ["1.2", "1.3"])
def test_gct(tmp_path, version):
    annotations = pd.DataFrame({"group": ["a", "b", "a"]}, index=EXPECTED.columns)
    path = write_gct(EXPECTED, tmp_path / "m.txt", version=version, annotations=annotations)
    read = read_matrix(path)
    _check(read.values)
    assert read.kind == f"GCT {version}"
    if version == "1.3":
        assert read.samples.to_dict("list") == {"id": ["S1", "S2", "S3"], "group": ["a", "b", "a"]}
        assert read.first_line == 5
        assert read_sheet(path).equals(read.samples)
    else:
        assert read.samples is None
        with pytest.raises(InputError, match="carries no sample annotations"):
            read_sheet(path)


def test_gct_dimensions_are_checked(tmp_path):
    path = write_gct(EXPECTED, tmp_path / "m.gct")
    path.write_text(path.read_text().replace("3\t3", "4\t3", 1))
    with pytest.raises(InputError, match="line 2 says 4 feature rows, the file holds 3"):
        read_matrix(path)


def test_parquet_with_and_without_a_stored_index(tmp_path):
    with_index = tmp_path / "a.bin"
    EXPECTED.to_parquet(with_index)
    _check(read_matrix(with_index).values)
    without = tmp_path / "b.bin"
    EXPECTED.reset_index().to_parquet(without, index=False)
    read = read_matrix(without)
    _check(read.values)
    assert read.kind == "Parquet" and read.header == ["ID", "S1", "S2", "S3"]
    sheet = tmp_path / "s.parquet"
    pd.DataFrame({"id": ["A", "B"], "age": [3.0, None]}).to_parquet(sheet, index=False)
    assert read_sheet(sheet).to_dict("list") == {"id": ["A", "B"], "age": ["3.0", ""]}


def test_bom_is_skipped(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + TSV.replace("\t", ",").encode())
    read = read_matrix(path)
    assert read.header[0] == "ID"
    _check(read.values)
    assert list(read_sheet(path).columns) == ["ID", "S1", "S2", "S3"]


def test_sniff_describes_what_it_found(tmp_path):
    path = tmp_path / "x.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(TSV)
    found = sniff(path)
    assert (found.compression, found.layout, found.separator) == ("gzip", "delimited", "\t")
    assert found.describe == "gzip-compressed tab-separated text"
