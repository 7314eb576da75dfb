"""``modmap init`` (modmap.init) and the ``modmap`` command line."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from cohort_files import write_series_matrix
from conftest import REPO
from snakemake.utils import validate

from modmap.cli import main
from modmap.init import detect_ids, detect_scale, example_comparison, platform_annot_url

SCHEMA = str(REPO / "workflow" / "schemas" / "config.schema.yaml")


@pytest.mark.parametrize(
    ("values", "scale"),
    [
        ([2.0, 8.0, 14.0, 16.0], "log2"),
        ([8.0] * 200 + [50.0], "log2"),  # the maximum must be ABOVE 50 (99th percentile 8)
        ([8.0] * 200 + [50.5], "linear"),
        ([-1.0, 0.5, 3.0, 12.0], "log2"),  # negative: a log scale
        ([10.0] * 98 + [21.0, 21.0], "linear"),  # 99th percentile 21 > 20, maximum 21 < 50
        ([10.0] * 99 + [21.0], "log2"),  # 99th percentile 10.11, maximum 21
    ],
)
def test_scale_rule(values, scale):
    # Oracle: the rule as documented, percentiles (R type 7) by hand: the 99th of n sorted
    # values is x[k] + f * (x[k + 1] - x[k]) with k + f = 0.99 * (n - 1).
    assert detect_scale(np.array(values))[0] == scale


def test_scale_evidence_counts_values_that_linear_cannot_log():
    scale, evidence = detect_scale(np.array([0.0, -2.0, 100.0, np.nan]))
    assert scale == "linear" and "2 value(s) <= 0" in evidence and "maximum 100" in evidence


def test_id_rule():
    assert detect_ids(["ILMN_1651228", "ILMN_1651229", "TP53"])[0] == "probe"
    assert detect_ids(["200004_s_at", "TP53", "IFI27", "MX1"])[0] == "symbol"
    assert detect_ids(["ENSG00000141510", "ENSG00000165949"])[0] == "probe"


def test_example_prefers_group_like_columns_and_control_like_values():
    sheet = pd.DataFrame(
        {
            "geo_accession": list("ABCDEF"),
            "sex": list("MFMFMF"),
            "disease_state": ["sepsis", "sepsis", "healthy control", "healthy control", "TB", "TB"],
        }
    )
    example = example_comparison(sheet, id_column="geo_accession")
    assert (example.column, example.control) == ("disease_state", "healthy control")
    assert example.case in {"sepsis", "TB"}
    assert example_comparison(sheet[["geo_accession"]], id_column="geo_accession") is None


def test_platform_annotation_url():
    assert platform_annot_url("GPL6947") == (
        "https://ftp.ncbi.nlm.nih.gov/geo/platforms/GPL6nnn/GPL6947/annot/GPL6947.annot.gz"
    )
    assert platform_annot_url("GPL96").startswith(
        "https://ftp.ncbi.nlm.nih.gov/geo/platforms/GPLnnn/"
    )


def _matrix(ids, values=None) -> pd.DataFrame:
    values = values if values is not None else np.arange(len(ids) * 4).reshape(-1, 4) + 100.0
    return pd.DataFrame(values, index=ids, columns=["G1", "G2", "G3", "G4"])


def _characteristics() -> pd.DataFrame:
    return pd.DataFrame({"status": ["case", "case", "control", "control"]})


def test_init_on_a_probe_series_matrix_without_a_platform_says_what_to_get(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ids = [f"ILMN_{i}" for i in range(1000, 1010)]
    write_series_matrix(_matrix(ids), _characteristics(), tmp_path / "s.txt.gz", platform="GPL6947")
    assert main(["init", "s.txt.gz", "--config", "c.yaml", "--sheet-out", "sheet.tsv"]) == 0
    text = (tmp_path / "c.yaml").read_text()
    assert "GPL6nnn/GPL6947/annot/GPL6947.annot.gz" in text
    config = yaml.safe_load(text)
    assert config["bridge"]["target"] == {"path": "GPL6947.annot.gz"}
    assert config["expression"]["scale"] == "linear"  # 100 .. 139 > 50
    assert config["samples"] == {"path": "sheet.tsv", "id_column": "geo_accession"}
    sheet = pd.read_csv(tmp_path / "sheet.tsv", sep="\t", dtype=str)
    assert list(sheet.columns) == ["geo_accession", "title", "source_name", "status"]
    # With the comparison written, the config passes the schema.
    config["comparisons"] = [
        {"name": "case_vs_control", "case": {"status": "case"}, "control": {"status": "control"}}
    ]
    validate(config, SCHEMA)
    # Files are not overwritten without --force.
    assert main(["init", "s.txt.gz", "--config", "c.yaml", "--sheet-out", "sheet.tsv"]) == 1


def test_init_with_a_platform_table_and_a_sample_sheet(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    ids = [f"ILMN_{i}" for i in range(1000, 1010)]
    _matrix(ids, np.full((10, 4), 7.5)).rename_axis("ID_REF").to_csv(tmp_path / "m.csv")
    pd.DataFrame({"ID": ids, "Symbol": [f"G{i}" for i in range(10)]}).to_csv(
        tmp_path / "platform.tsv", sep="\t", index=False
    )
    pd.DataFrame({"name": ["G1", "G2", "G3", "G4"], "arm": ["a", "a", "b", "b"]}).to_csv(
        tmp_path / "samples.tsv", sep="\t", index=False
    )
    argv = ["init", "m.csv", "--samples", "samples.tsv", "--platform", "platform.tsv"]
    assert main([*argv, "--config", "c.yaml"]) == 0
    config = yaml.safe_load((tmp_path / "c.yaml").read_text())
    assert config["samples"] == {"path": "samples.tsv", "id_column": "name"}
    assert config["bridge"]["target"] == {"path": "platform.tsv"}
    assert config["expression"]["scale"] == "log2"
    assert "10 of 10 matrix IDs are in it" in (tmp_path / "c.yaml").read_text()
    assert not (tmp_path / "config").exists()  # the given sheet is used, none written
    assert "wrote c.yaml" in capsys.readouterr().out


def test_help_lists_every_command():
    proc = subprocess.run(
        [sys.executable, "-m", "modmap.cli", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("init", "check-config", "toy"):
        assert f"    {command}" in proc.stdout, proc.stdout
        sub = subprocess.run(
            [sys.executable, "-m", "modmap.cli", command, "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert sub.returncode == 0 and f"modmap {command}" in sub.stdout


def test_init_on_repeated_headers_writes_a_sheet_that_names_them_by_order(tmp_path, monkeypatch):
    from modmap.design import check_sample_sheet
    from modmap.io import read_sample_sheet
    from modmap.readers import read_matrix
    from modmap.validate import resolve_headers

    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.tsv").write_text("gene\tTB\tTB\tNID\tNID\nMX1\t9\t8\t5\t4\nIFI27\t7\t7\t3\t2\n")
    assert main(["init", "m.tsv", "--config", "c.yaml", "--sheet-out", "s.tsv"]) == 0
    config = yaml.safe_load((tmp_path / "c.yaml").read_text())
    assert config["expression"]["duplicate_headers"] == "sheet_order"
    assert config["expression"]["scale"] == "log2"
    sheet = check_sample_sheet(read_sample_sheet("s.tsv"), path="s.tsv")
    assert sheet.to_dict("list") == {
        "sample_id": ["TB_1", "TB_2", "NID_1", "NID_2"],
        "matrix_header": ["TB", "TB", "NID", "NID"],
    }
    header, note = resolve_headers(
        read_matrix("m.tsv").header, sheet, policy="sheet_order", path="m.tsv", sheet_path="s.tsv"
    )
    assert header == ["gene", "TB_1", "TB_2", "NID_1", "NID_2"] and "matrix_header" in note
    assert "#     case: {matrix_header: " in (tmp_path / "c.yaml").read_text()
