"""Probes to genes (bridge.collapse) against collapses worked out by hand.

The bridge fixture of tests/test_bridge.py has two ambiguous module features: ``a3`` (RefSeq
NM_000003) reaches ILMN_3 and ILMN_4, two probes of GENEC; ``b2`` (NM_000008 /// NM_000009)
reaches ILMN_8 (GENEH) and ILMN_9 (GENEI).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from test_bridge import MATRIX, _counts, _run, _status, files  # noqa: F401  (fixture)

from modmap.bridge import STATUSES, run_bridge
from modmap.io import write_expression
from modmap.stats import collapse_rows, probe_scores
from modmap.stats.collapse import pick_probe

# Samples s1..s4; log2 values chosen so that mean and IQR pick different probes.
VALUES = {
    "ILMN_1": [1.0, 1.0, 1.0, 1.0],
    "ILMN_2": [2.0, 2.0, 2.0, 2.0],
    "ILMN_3": [5.0, 5.0, 5.0, 9.0],  # mean 6, IQR (type 7): q75 6.0 - q25 5.0 = 1.0
    "ILMN_4": [1.0, 4.0, 7.0, 10.0],  # mean 5.5, IQR 7.75 - 3.25 = 4.5
    "ILMN_6": [3.0, 3.0, 3.0, 3.0],
    "ILMN_7": [0.0, 0.0, 0.0, 0.0],
    "ILMN_8": [8.0, np.nan, 8.0, 8.0],  # mean 8, IQR 0
    "ILMN_9": [2.0, 4.0, 6.0, np.nan],  # mean 4, IQR 5 - 3 = 2
    "X": [0.0, 0.0, 0.0, 0.0],
}


def _matrix() -> pd.DataFrame:
    m = pd.DataFrame.from_dict(VALUES, orient="index", columns=["s1", "s2", "s3", "s4"])
    m.index.name = "feature_id"
    return m


def test_probe_scores_and_pick_by_hand():
    means = probe_scores(_matrix(), "max_mean")
    iqr = probe_scores(_matrix(), "max_iqr")
    assert means["ILMN_3"] == 6.0 and means["ILMN_4"] == 5.5 and means["ILMN_8"] == 8.0
    assert iqr["ILMN_3"] == 1.0 and iqr["ILMN_4"] == 4.5 and iqr["ILMN_9"] == 2.0
    assert pick_probe(["ILMN_3", "ILMN_4"], means) == "ILMN_3"
    assert pick_probe(["ILMN_3", "ILMN_4"], iqr) == "ILMN_4"
    assert pick_probe(["a", "b"], {"a": 1.0, "b": 1.0}) == "a"  # tie: first listed
    assert pick_probe(["a", "b"], {"a": np.nan, "b": 0.0}) == "b"  # NaN never wins


def test_collapse_rows_mean_by_hand():
    table = pd.DataFrame(
        {
            "feature_id": ["ILMN_8+ILMN_9", "ILMN_3"],
            "probes": ["ILMN_8;ILMN_9", "ILMN_3;ILMN_4"],
            "method": ["mean", "max_mean"],
        }
    )
    out = collapse_rows(_matrix(), table)
    assert list(out.index[-1:]) == ["ILMN_8+ILMN_9"] and len(out) == len(VALUES) + 1
    # per sample: (8 + 2) / 2, only ILMN_9 = 4, (8 + 6) / 2, only ILMN_8 = 8
    assert out.loc["ILMN_8+ILMN_9"].tolist() == [5.0, 4.0, 7.0, 8.0]


@pytest.mark.parametrize(
    ("collapse", "a3", "b2"),
    [
        ("max_mean", "ILMN_3", "ILMN_8"),
        ("max_iqr", "ILMN_4", "ILMN_9"),
        ("mean", "ILMN_3+ILMN_4", "ILMN_8+ILMN_9"),
    ],
)
def test_bridge_keeps_ambiguous_features_as_one(files, collapse, a3, b2):  # noqa: F811
    scores = None if collapse == "mean" else probe_scores(_matrix(), collapse).to_dict()
    result = _run(files, min_genes=1, collapse=collapse, scores=scores)
    status = _status(result)
    assert status["a3"] == "collapsed" and status["b2"] == "collapsed"
    targets = dict(zip(result.bridge["source_id"], result.bridge["target_id"], strict=True))
    assert targets["a3"] == a3 and targets["b2"] == b2
    counts = _counts(result)
    assert counts["collapsed"] == 2 and counts["ambiguous"] == 0
    assert list(result.summary["status"]) == [*STATUSES, "collapsed", "source_total", "kept"]
    assert result.collapsed.to_dict("list") == {
        "feature_id": [a3, b2],
        "source_id": ["a3", "b2"],
        "probes": ["ILMN_3;ILMN_4", "ILMN_8;ILMN_9"],
        "method": [collapse, collapse],
    }
    members = result.membership
    assert a3 in set(members.loc[members["module_id"] == "A", "feature_id"])
    if collapse == "mean":
        symbols = dict(zip(members["feature_id"], members["symbol"], strict=True))
        assert symbols[a3] == "GENEC" and symbols[b2] == "GENEH/GENEI"


def test_default_drops_ambiguous_features_with_a_warning(files, caplog):  # noqa: F811
    with caplog.at_level(logging.WARNING, logger="modmap.bridge"):
        result = _run(files, min_genes=1)
    assert _counts(result)["ambiguous"] == 2 and result.collapsed.empty
    assert "collapsed" not in set(result.summary["status"])
    warning = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        "2 module features dropped as ambiguous" in w and "a3, b2" in w and "bridge.collapse" in w
        for w in warning
    ), warning


def test_run_bridge_reads_the_matrix_for_the_scores(files, tmp_path, caplog):  # noqa: F811
    cache = tmp_path / "expression.arrow"
    write_expression(_matrix(), cache)
    with caplog.at_level(logging.INFO, logger="modmap.bridge"):
        result = run_bridge(
            modules_path=files["modules"],
            expression_path=cache,
            modules_format="auto",
            source={"path": str(files["source"]), "format": "auto", "columns": {}},
            target={"path": str(files["target"]), "format": "auto", "columns": {}},
            key="auto",
            policy="unambiguous",
            min_genes=1,
            update_symbols=False,
            alias_table=None,
            collapse="max_iqr",
        )
    assert list(result.collapsed["feature_id"]) == ["ILMN_4", "ILMN_9"]
    assert any("2 module features reaching several" in r.getMessage() for r in caplog.records)
    assert MATRIX == list(VALUES)


@pytest.mark.e2e
def test_workflow_collapse_mean_on_the_toy_cohort(tmp_path):
    """A real run with bridge.collapse: mean: the averaged rows are tested and drawn."""
    from conftest import copy_workflow, load_config, run_snakemake, write_config
    from scipy.stats import mannwhitneyu

    wd = copy_workflow(tmp_path / "wf")
    config = load_config(wd)
    config["bridge"]["collapse"] = "mean"
    write_config(wd, config)
    run_snakemake(
        wd,
        "results/modules/scores.tsv",
        "results/figures/heatmap_M3.1.png",
        check=True,
    )
    res = wd / "results"
    collapsed = pd.read_csv(res / "bridge" / "collapsed.tsv", sep="\t", dtype=str)
    summary = pd.read_csv(res / "bridge" / "summary.tsv", sep="\t").set_index("status")["count"]
    assert len(collapsed) > 0 and summary["collapsed"] == len(collapsed)
    assert summary["ambiguous"] == 0
    log = (res / "logs" / "bridge.log").read_text()
    assert f"{len(collapsed)} module features reaching several matrix features" in log
    # Oracle: the raw toy matrix, probes averaged here per sample, and scipy's Mann-Whitney.
    raw = pd.read_csv(wd / "resources" / "toy" / "expression.tsv.gz", sep="\t", index_col=0)
    long = pd.read_csv(res / "validated" / "comparisons.tsv", sep="\t", dtype=str)
    design = long[long["comparison"] == "anakinra_D1"]
    genes = pd.read_csv(res / "genes" / "anakinra_D1.tsv", sep="\t", index_col="feature_id")
    row = collapsed.iloc[0]
    averaged = raw.loc[row["probes"].split(";")].mean(axis=0, skipna=True)
    x = averaged[design.loc[design["role"] == "case", "sample_id"]].dropna()
    y = averaged[design.loc[design["role"] == "control", "sample_id"]].dropna()
    got = genes.loc[row["feature_id"]]
    assert got["median_case"] == pytest.approx(np.median(x), rel=1e-12)
    assert got["median_control"] == pytest.approx(np.median(y), rel=1e-12)
    assert (got["n_case"], got["n_control"]) == (len(x), len(y))
    w = mannwhitneyu(x, y, alternative="two-sided")
    assert got["statistic"] == w.statistic
    membership = pd.read_csv(res / "modules" / "membership.tsv", sep="\t", dtype=str)
    assert set(collapsed["feature_id"]) <= set(membership["feature_id"])
    assert (res / "figures" / "heatmap_M3.1.png").stat().st_size > 0
