"""Manifests of intermediate tables: written with the table, checked when it is read."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.io import (
    atomic_path,
    manifest_path,
    read_expression,
    read_feature_ids,
    read_tsv,
    write_expression,
    write_tsv,
)

TABLE = pd.DataFrame({"feature_id": [f"g{i}" for i in range(100)], "p": np.linspace(0, 1, 100)})


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Work in tmp_path, as Snakemake jobs work in the workflow directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_manifest_records_rows_columns_and_the_hash_of_the_bytes(in_tmp):
    write_tsv(TABLE, "results/t.tsv")
    info = json.loads(manifest_path("results/t.tsv").read_text())
    data = (in_tmp / "results" / "t.tsv").read_bytes()
    assert info == {
        "file": "t.tsv",
        "rows": 100,
        "columns": ["feature_id", "p"],
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert data.count(b"\n") == 101
    pd.testing.assert_frame_equal(read_tsv("results/t.tsv"), TABLE)


def test_table_cut_in_half_is_refused_with_file_counts_and_fix(in_tmp):
    write_tsv(TABLE, "results/genes/a.tsv")
    path = in_tmp / "results" / "genes" / "a.tsv"
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"\n", len(data) // 2) + 1])  # whole lines: parses fine
    with pytest.raises(InputError) as info:
        read_tsv("results/genes/a.tsv")
    message = str(info.value)
    assert message.startswith("results/genes/a.tsv: the file does not match its manifest")
    assert "and 100 row(s)" in message and "Delete results/genes/a.tsv" in message


def test_same_size_edit_is_caught_by_the_hash(in_tmp):
    write_tsv(TABLE, "results/t.tsv")
    path = in_tmp / "results" / "t.tsv"
    path.write_bytes(path.read_bytes().replace(b"g10\t", b"g99\t", 1))
    with pytest.raises(InputError, match="does not match its manifest"):
        read_tsv("results/t.tsv")


def test_manifest_required_under_results_only(in_tmp):
    TABLE.to_csv("results_elsewhere.tsv", sep="\t", index=False)
    assert len(read_tsv("results_elsewhere.tsv")) == 100  # user files: checked when present
    (in_tmp / "results").mkdir()
    TABLE.to_csv("results/hand_made.tsv", sep="\t", index=False)
    with pytest.raises(InputError, match="manifest hand_made.tsv.manifest.json is missing"):
        read_tsv("results/hand_made.tsv")
    assert len(read_tsv("results/hand_made.tsv", manifest="ignore")) == 100


def test_expression_cache_truncated_says_how_to_rebuild(in_tmp):
    matrix = pd.DataFrame(
        np.ones((50, 4)), index=[f"g{i}" for i in range(50)], columns=list("abcd")
    )
    write_expression(matrix, "results/validated/expression.arrow")
    path = in_tmp / "results" / "validated" / "expression.arrow"
    assert read_expression(path, samples=["c", "a"]).shape == (50, 2)
    path.write_bytes(path.read_bytes()[:-200])
    for read in (read_expression, read_feature_ids):
        with pytest.raises(InputError) as info:
            read(path)
        message = str(info.value)
        assert "expression cache is damaged or incomplete" in message
        assert "snakemake --forcerun validate" in message


def test_expression_cache_replaced_by_another_matrix_is_caught_by_its_manifest(in_tmp):
    path = "results/validated/expression.arrow"
    write_expression(pd.DataFrame(np.ones((50, 2)), columns=["a", "b"]), path)
    manifest = manifest_path(path).read_text()
    write_expression(pd.DataFrame(np.ones((40, 2)), columns=["a", "b"]), path)
    manifest_path(path).write_text(manifest)  # as if the file had been copied over
    with pytest.raises(InputError, match="40 rows and 3 columns but its manifest"):
        read_expression(path)


def test_unknown_sample_in_cache_is_an_input_error(in_tmp):
    write_expression(pd.DataFrame(np.ones((5, 2)), columns=["a", "b"]), "results/e.arrow")
    with pytest.raises(InputError, match="'zz' are not in the expression cache"):
        read_expression("results/e.arrow", samples=["a", "zz"])


def test_atomic_write_removes_the_temporary_file_of_a_killed_write(in_tmp):
    dest = in_tmp / "results" / "genes" / "a.tsv"
    dest.parent.mkdir(parents=True)
    stale = dest.parent / ".a.tsv.abcd1234.tsv"  # what mkstemp left when the job was killed
    stale.write_text("half")
    other = dest.parent / ".a.tsv.x.tsv.abcd1234.tsv"  # another table's temporary file
    other.write_text("in progress")
    with atomic_path(dest) as tmp:
        tmp.write_text("done\n")
    assert not stale.exists() and other.exists()
    assert dest.read_text() == "done\n"
