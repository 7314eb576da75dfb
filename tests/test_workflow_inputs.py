"""Bad input through the real workflow: one clear error before any result is written.

Each test breaks a private copy of the toy workflow in one way and runs Snakemake on it. Parse-time
errors are caught by a dry run; matrix-level errors by the first job (validate), after which no
result file may exist.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import load_config, run_snakemake, write_config

pytestmark = [pytest.mark.e2e, pytest.mark.floor]


def _fails_with(workdir: Path, *patterns: str, dry: bool = True) -> str:
    proc = run_snakemake(workdir, "-n") if dry else run_snakemake(workdir)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output[-3000:]
    for pattern in patterns:
        assert pattern in output, f"{pattern!r} not in:\n{output[-3000:]}"
    return output


def _no_results(workdir: Path) -> None:
    # The clinical stage reads only the clinical table and runs before validate (which merges its
    # responders into the sample sheet): its tables are complete whatever the matrix holds.
    made = [
        p
        for p in (workdir / "results").rglob("*")
        if p.is_file()
        and not {"logs", "benchmarks", "clinical"} & set(p.parts)
        and not p.name.startswith("clinical_")  # its report pages
    ]
    assert made == [], made


def _sheet(workdir: Path) -> pd.DataFrame:
    return pd.read_csv(
        workdir / "config" / "samples.tsv", sep="\t", dtype=str, keep_default_na=False
    )


def _use_sheet(workdir: Path, sheet: pd.DataFrame) -> None:
    path = workdir / "config" / "broken_samples.tsv"
    sheet.to_csv(path, sep="\t", index=False)
    config = load_config(workdir)
    config["samples"]["path"] = "config/broken_samples.tsv"
    write_config(workdir, config)


def test_unknown_config_key(workdir):
    config = load_config(workdir)
    config["statistics"]["alpah"] = 0.01
    write_config(workdir, config)
    _fails_with(workdir, "alpah")
    _no_results(workdir)


def test_missing_input_file(workdir):
    config = load_config(workdir)
    config["expression"]["path"] = "resources/toy/nope.tsv.gz"
    write_config(workdir, config)
    _fails_with(workdir, "expression.path", "resources/toy/nope.tsv.gz", "does not exist")


def test_duplicate_sample_ids(workdir):
    sheet = _sheet(workdir)
    sheet = pd.concat([sheet, sheet.iloc[[3]]], ignore_index=True)
    _use_sheet(workdir, sheet)
    sample = sheet.iloc[3, 0]
    _fails_with(workdir, f"sample ID '{sample}' appears on lines 5, {len(sheet) + 1}")


def test_selector_matching_no_sample(workdir):
    config = load_config(workdir)
    config["comparisons"][0]["case"]["timepoint"] = "M 6"
    write_config(workdir, config)
    _fails_with(workdir, "comparisons[0]", "'M 6' is not a value of column 'timepoint'")


def test_selector_matching_fewer_than_three(workdir):
    sheet = _sheet(workdir)
    config = load_config(workdir)
    two = sheet.loc[sheet.group == "healthy", "sample_id"].iloc[:2].tolist()
    config["comparisons"][0]["control"] = {"sample_id": two}
    write_config(workdir, config)
    _fails_with(workdir, "matches 2 sample(s)", "at least 3")


def test_case_and_control_share_samples(workdir):
    config = load_config(workdir)
    config["comparisons"][0]["control"] = {"arm": "anakinra"}
    write_config(workdir, config)
    _fails_with(workdir, "selected as both case and control")


def test_paired_subjects_that_do_not_pair(workdir):
    config = load_config(workdir)
    config["comparisons"][0]["paired_by"] = "subject_id"  # patients vs healthy: no shared subject
    write_config(workdir, config)
    _fails_with(workdir, "have both a case and a control sample (paired_by: subject_id)")


def test_sheet_sample_missing_from_matrix_stops_before_results(workdir):
    sheet = _sheet(workdir)
    extra = sheet[sheet.group == "healthy"].iloc[[0]].copy()
    extra["sample_id"] = "HC_NOT_ARRAYED"
    _use_sheet(workdir, pd.concat([sheet, extra], ignore_index=True))
    _fails_with(workdir, "'HC_NOT_ARRAYED'", "not columns of the expression matrix", dry=False)
    _no_results(workdir)


def test_matrix_sample_missing_from_sheet_is_a_warning(workdir):
    sheet = _sheet(workdir)
    dropped = sheet[sheet.group == "healthy"].sample_id.iloc[-1]
    _use_sheet(workdir, sheet[sheet.sample_id != dropped])
    run_snakemake(workdir, "results/validated/comparisons.tsv", check=True)
    report = (workdir / "results" / "validated" / "validation.txt").read_text()
    assert "not in the sample sheet are ignored" in report and dropped in report
    comparisons = pd.read_csv(workdir / "results" / "validated" / "comparisons.tsv", sep="\t")
    assert dropped not in set(comparisons.sample_id)


def test_another_cohort_needs_no_toy_overrides(workdir):
    # A cohort whose comparisons are not the trial's, leaving core_signature and the heatmaps at
    # their neutral defaults: the run plans without them and says so (INFO lines).
    config = load_config(workdir)
    for c in config["comparisons"]:
        c["name"] = "my_" + c["name"]
    del config["module_map"]["core_signature"]
    del config["heatmaps"]
    for section in ("signature", "analytes", "labs", "survival", "transcripts"):
        del config[section]  # the toy's longitudinal sections name its comparisons and tables
    write_config(workdir, config)
    proc = run_snakemake(workdir, "-n")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "module_map.core_signature is empty" in out
    assert "heatmaps.modules is empty: no module heatmaps" in out
    assert "results/figures/heatmap_" not in out


def test_without_a_config_the_required_keys_are_named(workdir):
    # The workflow has no default config (a Snakefile `configfile:` would be merged key by key
    # with a user's --configfile): run without one and the error names what to set.
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--cores", "1", "--nolock"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "required key(s) expression.path, samples.path, modules.path, comparisons" in out
    assert "--configfile" in out
    _no_results(workdir)


def test_heatmap_comparisons_null_means_every_unpaired_comparison(workdir):
    # The schema default (null) shows the cases of every unpaired comparison, in config order.
    config = load_config(workdir)
    config["heatmaps"]["comparisons"] = None
    write_config(workdir, config)
    proc = run_snakemake(workdir, "-n", "--forceall", "-p", "results/figures/heatmap_M3.1.png")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    unpaired = [c["name"] for c in config["comparisons"] if not c.get("paired_by")]
    paired = [c["name"] for c in config["comparisons"] if c.get("paired_by")]
    assert paired, "the toy config has a paired comparison"
    out = proc.stdout + proc.stderr
    for name in unpaired:
        assert f"results/genes/{name}.tsv" in out, name
    heatmap_job = out[out.index("rule module_figures:") :]
    heatmap_inputs = heatmap_job[: heatmap_job.index("\n\n")]
    for name in paired:
        assert f"results/genes/{name}.tsv" not in heatmap_inputs, name


@pytest.mark.parametrize(
    ("module", "says", "where"),
    [
        # 7 genes left (resources/toy/README.md): only the bridge knows
        ("M2.9", "the bridge dropped it (fewer than 10", "Error in rule bridge"),
        # not in the module file: found when the workflow is parsed
        ("M9.9", "it is not in the module file", "InputError in file"),
    ],
)
def test_heatmap_of_a_module_that_is_not_kept_stops_before_the_statistics(
    workdir, module, says, where
):
    config = load_config(workdir)
    config["heatmaps"]["modules"] = [module]
    write_config(workdir, config)
    out = _fails_with(workdir, f"heatmaps.modules names module '{module}'", says, dry=False)
    assert where in out
    # the bridge left no table behind, and no module score or module figure was made (per-gene
    # tables, lab and time-to-flare results may exist: they do not depend on the bridge and are
    # complete on their own)
    assert not (workdir / "results" / "bridge" / "bridge.tsv").exists()
    assert not (workdir / "results" / "modules" / "membership.tsv").exists()
    assert not (workdir / "results" / "modules" / "scores.tsv").exists()
    figures = workdir / "results" / "figures"
    made = {p.name for p in figures.rglob("*")} if figures.exists() else set()
    assert not {n for n in made if n.startswith(("module_", "heatmap_", "signature"))}, made
    assert not (figures / "analytes").exists()
