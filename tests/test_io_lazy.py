"""Jobs that only read and write modmap's own tables do not import the input readers (issue 16)."""

from __future__ import annotations

from conftest import imported_after

READERS = ["modmap.readers", "pyarrow.csv", "pyarrow.parquet"]


def test_table_io_does_not_import_the_readers() -> None:
    code = "from modmap.io import open_expression, read_tsv, write_expression, write_tsv"
    assert imported_after(code, READERS) == []


def test_reading_an_input_file_still_imports_them(tmp_path) -> None:
    """The converse (the check above can fail): reading a sample sheet loads the readers."""
    sheet = tmp_path / "samples.tsv"
    sheet.write_text("sample_id\tgroup\nS1\tcase\n", encoding="utf-8")
    code = f"from modmap.io import read_sample_sheet\nread_sample_sheet({str(sheet)!r})"
    assert "modmap.readers" in imported_after(code, READERS)
