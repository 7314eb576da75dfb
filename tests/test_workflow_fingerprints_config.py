"""The fingerprints config section through the real workflow (dry runs: parse-time behaviour)."""

from __future__ import annotations

import pytest
from conftest import load_config, run_snakemake, write_config

pytestmark = pytest.mark.e2e

OUTPUTS = ("results/modules/samples.tsv", "results/figures/fingerprints.png")


def test_without_a_reference_fingerprints_are_skipped_with_an_info_line(workdir):
    config = load_config(workdir)
    del config["fingerprints"]  # schema default: reference null
    write_config(workdir, config)
    proc = run_snakemake(workdir, "-n")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "fingerprints.reference is not set; per-sample fingerprints are skipped" in out
    for path in OUTPUTS:
        assert path not in out
    assert "results/modules/enrichment.tsv" in out  # enrichment does not depend on it


def test_with_a_reference_the_outputs_are_planned(workdir):
    proc = run_snakemake(workdir, "-n")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    for path in OUTPUTS:
        assert path in out


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"reference": {"group": "helthy"}}, "fingerprints.reference: group 'helthy'"),
        ({"reference": {"sample_id": "SJIA01_D1"}}, "selects 1 of"),
        ({"group_by": ["cohort"]}, "fingerprints.group_by: column 'cohort'"),
        ({"subject": "patient"}, "fingerprints.subject: column 'patient'"),
        (
            {"colour_by": "respnder"},
            "fingerprints.colour_by: column 'respnder' is not in the sample sheet",
        ),
        ({"fold_change": -1}, "fold_change"),
    ],
)
def test_bad_fingerprints_settings_are_one_clear_error(workdir, change, says):
    config = load_config(workdir)
    config["fingerprints"].update(change)
    write_config(workdir, config)
    proc = run_snakemake(workdir, "-n")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert says in out, out[-3000:]
    assert not (workdir / "results").exists() or not any((workdir / "results").rglob("*.tsv"))
