"""Round trip on public formats: the shipped GSE13015 subset as a GEO series matrix (through
``modmap init``), a GCT 1.3 file (also its own sample sheet) and CSV files named ``.txt`` gives
the same ``results/modules/scores.tsv`` as the shipped TSV.

The files are written by tests/cohort_files.py from the formats' documentation; every run is a
real Snakemake run up to the module scores. The oracle is the run on the shipped TSV files
(``config/gse13015.yaml``), the session's run of it (``gse13015_run`` in tests/conftest.py); the
series-matrix run also checks that a config written by ``modmap init`` runs once the comparison
is filled in.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from cohort_files import write_gct, write_series_matrix
from conftest import REPO, run_snakemake

pytestmark = pytest.mark.e2e

COHORT = REPO / "resources" / "gse13015"
TARGET = "results/modules/scores.tsv"
COMPARISON = {
    "name": "sepsis_vs_control",
    "label": "Sepsis vs controls",
    "case": {"Group_test": "Sepsis"},
    "control": {"Group_test": "Control"},
}


def _raw() -> tuple[pd.DataFrame, pd.DataFrame]:
    matrix = pd.read_csv(COHORT / "expression_symbols.tsv.gz", sep="\t", index_col=0)
    sheet = pd.read_csv(COHORT / "samples.tsv", sep="\t", dtype=str, keep_default_na=False)
    return matrix, sheet


def _scores(workdir: Path) -> pd.DataFrame:
    return pd.read_csv(workdir / TARGET, sep="\t", keep_default_na=False)


def _run(workdir: Path, config: dict, name: str = "cohort.yaml") -> pd.DataFrame:
    (workdir / "config" / name).write_text(yaml.safe_dump(config, sort_keys=False))
    run_snakemake(workdir, TARGET, "--configfile", f"config/{name}", check=True)
    return _scores(workdir)


@pytest.fixture(scope="module")
def baseline(gse13015_run) -> pd.DataFrame:
    """Scores of the shipped TSV matrix and sheet (config/gse13015.yaml): the session's run of
    that config (tests/conftest.py), which test_workflow_gse13015.py checks against R."""
    scores = _scores(gse13015_run)
    assert len(scores) == 379 and set(scores["comparison"]) == {COMPARISON["name"]}
    return scores


def _base_config() -> dict:
    config = yaml.safe_load((REPO / "config" / "gse13015.yaml").read_text())
    # The round trip compares module scores; the per-sample section names sheet columns (illness)
    # that some formats' sheets (GCT 1.3: Group_test only) do not carry.
    config.pop("fingerprints", None)
    return config


def test_series_matrix_through_modmap_init_gives_the_same_scores(workdir, baseline):
    matrix, sheet = _raw()
    characteristics = sheet.drop(columns=["GEO_ID"])
    write_series_matrix(
        matrix,
        characteristics,
        workdir / "GSE13015_series_matrix.txt.gz",
        titles=list(sheet["SampleID"]),
    )
    proc = subprocess.run(
        [
            sys.executable,
            *("-m", "modmap.cli", "init", "GSE13015_series_matrix.txt.gz"),
            *("--config", "config/my_cohort.yaml"),
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    config_path = workdir / "config" / "my_cohort.yaml"
    text = config_path.read_text()
    assert "scale: linear" in text and "source: null" in text and "target: null" in text
    assert "#     case: {group_test: Sepsis}" in text  # the example from the characteristics
    # Before the comparisons are written the config is refused with the key named.
    proc = run_snakemake(workdir, "-n", "--configfile", "config/my_cohort.yaml")
    assert proc.returncode != 0 and "comparisons" in proc.stdout + proc.stderr
    # The user writes the comparison, using the characteristics columns of the starter sheet.
    block = (
        "comparisons:\n  - name: sepsis_vs_control\n    label: Sepsis vs controls\n"
        "    case: {group_test: Sepsis}\n    control: {group_test: Control}\n"
    )
    config_path.write_text(text.replace("comparisons: []\n", block))
    check = subprocess.run(
        [sys.executable, "-m", "modmap.cli", "check-config", "config/my_cohort.yaml"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    run_snakemake(workdir, TARGET, "--configfile", "config/my_cohort.yaml", check=True)
    # The starter sheet is named after the series' !Series_geo_accession.
    starter = pd.read_csv(
        workdir / "config" / "gse13015_samples.tsv", sep="\t", dtype=str, keep_default_na=False
    )
    assert list(starter["geo_accession"]) == list(matrix.columns)
    assert list(starter["group_test"]) == [v.strip() for v in sheet["Group_test"]]
    assert list(starter["title"]) == list(sheet["SampleID"])
    pd.testing.assert_frame_equal(_scores(workdir), baseline)


def test_gct_13_as_matrix_and_sample_sheet_gives_the_same_scores(workdir, baseline):
    matrix, sheet = _raw()
    annotations = sheet.set_index("GEO_ID")[["Group_test"]]
    write_gct(matrix, workdir / "cohort.gct", version="1.3", annotations=annotations)
    config = _base_config()
    config["expression"]["path"] = "cohort.gct"
    config["samples"] = {"path": "cohort.gct", "id_column": "id"}
    pd.testing.assert_frame_equal(_run(workdir, config), baseline)


def test_csv_named_txt_gives_the_same_scores(workdir, baseline):
    matrix, sheet = _raw()
    matrix.to_csv(workdir / "matrix.txt")  # comma-separated content, neutral name
    sheet.to_csv(workdir / "samples.txt", index=False)  # quoted fields with commas inside
    config = _base_config()
    config["expression"]["path"] = "matrix.txt"
    config["samples"]["path"] = "samples.txt"
    pd.testing.assert_frame_equal(_run(workdir, config), baseline)


def test_repeated_headers_named_by_the_sheet_order_through_the_workflow(workdir):
    # A matrix whose columns are headed by the group only (Sepsis, Sepsis, ..., Control) and a
    # sheet in the matrix's column order: the validated cache has the sheet's IDs on the right
    # columns (oracle: the shipped matrix, whose headers are the IDs).
    from modmap.io import read_expression

    matrix, sheet = _raw()
    matrix = matrix.loc[:, list(sheet["GEO_ID"])]
    anonymous = matrix.copy()
    anonymous.columns = [g.strip() for g in sheet["Group_test"]]
    anonymous.to_csv(workdir / "grouped.tsv", sep="\t")
    config = _base_config()
    config["expression"]["path"] = "grouped.tsv"
    config["expression"]["duplicate_headers"] = "sheet_order"
    (workdir / "config" / "cohort.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    target = "results/validated/expression.arrow"
    run_snakemake(workdir, target, "--configfile", "config/cohort.yaml", check=True)
    cached = read_expression(workdir / target)
    assert list(cached.columns) == list(sheet["GEO_ID"])
    pd.testing.assert_frame_equal(
        cached, np.log2(matrix).rename_axis("feature_id"), check_names=False
    )
    log = (workdir / "results" / "logs" / "validate.log").read_text()
    assert "its column 'Group_test' repeats the headers" in log
