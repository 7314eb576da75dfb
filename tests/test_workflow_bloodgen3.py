"""BloodGen3Module parity: the real workflow, `statistics.preset: bloodgen3module`, on GSE13015.

Oracle: BloodGen3Module 0.99.42 ``Groupcomparison`` itself, run by the committed
``tests/data/r_golden_bloodgen3/make_golden.R`` on the same shipped files (the GSE13015 subset and
the BloodGen3 module list), at FC 1.5 (its documented default) and FC 0. Its score per module is
``100 * (n_up - n_down) / genes present``: modmap's ``pct_net`` with ``percent_of: present``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import copy_workflow, run_snakemake

from modmap.stats import module_scores

pytestmark = pytest.mark.e2e

CONFIG = "config/gse13015_bloodgen3.yaml"
GOLDEN = Path(__file__).parent / "data" / "r_golden_bloodgen3"
COMPARISON = "sepsis_vs_control"


def _tsv(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", keep_default_na=False, na_values=[""])


def _golden(fc: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / f"groupcomparison_fc{fc}.tsv", sep="\t", comment="#")


# What the preset changes: the statistics up to the module scores, and the module map (net score,
# small spots left empty). The map's job (module_figures) also draws the dot plot and the
# heatmaps, checked by the GSE13015 run (test_workflow_gse13015.py) with the other tables.
TARGETS = ("results/modules/scores.tsv", "results/figures/module_map.png")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The pipeline run once on the preset config, up to ``TARGETS``; returns (workdir, snakemake
    process)."""
    wd = copy_workflow(tmp_path_factory.mktemp("bloodgen3") / "wf")
    proc = run_snakemake(wd, *TARGETS, "--configfile", CONFIG, check=True)
    return wd, proc


def _assert_same_scores(ours: pd.DataFrame, golden: pd.DataFrame) -> None:
    assert len(golden) == 382  # every BloodGen3 module has genes in this matrix
    joined = golden.merge(ours, on="module_id", how="outer", validate="one_to_one")
    assert len(joined) == 382 and joined["pct_net"].notna().all() and joined["pct"].notna().all()
    np.testing.assert_array_equal(joined["n_present_x"], joined["n_present_y"])
    # Exact: the same net count of genes in every module (R's % times its denominator) ...
    r_net = np.rint(joined["pct"] * joined["n_present_x"] / 100).astype(int)
    np.testing.assert_array_equal(joined["n_up"] - joined["n_down"], r_net)
    # ... and the same percentage up to the last bits of (a - b) / n vs a / n - b / n.
    np.testing.assert_allclose(joined["pct_net"], joined["pct"], rtol=0, atol=1e-12)


def test_preset_reproduces_groupcomparison_at_fc_1_5(run):
    wd, proc = run
    scores = _tsv(wd / "results" / "modules" / "scores.tsv")
    assert set(scores["percent_of"]) == {"present"} and set(scores["untestable"]) == {"p_one"}
    _assert_same_scores(scores, _golden("1.5"))
    # The preset says what it set (the config writes only statistics.preset).
    assert "statistics.preset bloodgen3module set" in proc.stderr
    assert "statistics.fold_change_cutoff" in proc.stderr
    assert "module_map.value" in proc.stderr  # the map as BloodGen3Module's gridplot draws it
    for ext in ("pdf", "png", "svg"):
        assert (wd / "results" / "figures" / f"module_map.{ext}").stat().st_size > 0


def test_preset_gene_table_at_fc_0_through_the_library(run):
    """FC 0: the same gene table re-scored with the cut-off at 0 (the only change), as FC = 0."""
    wd, _ = run
    genes = _tsv(wd / "results" / "genes" / f"{COMPARISON}.tsv")
    membership = pd.read_csv(
        wd / "results" / "modules" / "membership.tsv", sep="\t", dtype=str, keep_default_na=False
    )
    scores = module_scores(
        {COMPARISON: genes},
        membership,
        alpha=0.1,
        threshold_on="q_value",
        fold_change_cutoff=0,
        fold_change_on="fold_change",
        direction_from="fold_change",
        percent_of="present",
        untestable="p_one",
    )
    _assert_same_scores(scores, _golden("0"))


def test_gene_table_of_the_preset(run):
    wd, _ = run
    genes = _tsv(wd / "results" / "genes" / f"{COMPARISON}.tsv")
    # All 9,059 symbols; the ones floored at 10 in every sample are constant -> p = 1 (R: equal
    # means), counted in BH; every other gene has a Student t-test.
    assert len(genes) == 9059
    assert set(genes["method"]) == {"student", "constant"}
    constant = genes["method"] == "constant"
    assert (genes.loc[constant, "p_value"] == 1).all()
    assert (genes.loc[constant, "fold_change"] == 1).all()
    assert genes["q_value"].notna().all()  # every gene is in a module
    assert not ((genes["fold_change"] > -1) & (genes["fold_change"] < 1)).any()
