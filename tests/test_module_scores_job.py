"""scripts/module_scores.py: one job writes the module scores and the rank enrichment table.

The real adapter runs on gene tables written as the workflow writes them; the oracles are
counts and pairs worked out here by hand (module scores: genes with p < alpha per direction;
enrichment: the AUC as the share of (module gene, other gene) pairs with the module gene ranked
first), not the job's earlier output.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.io import read_tsv, write_tsv

REPO = Path(__file__).resolve().parents[1]


class _Named(dict):
    def __getattr__(self, name):
        return self[name]


def _adapter():
    spec = importlib.util.spec_from_file_location(
        "module_scores", REPO / "scripts" / "module_scores.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _job(tmp_path: Path, tables: dict[str, pd.DataFrame]):
    membership = pd.DataFrame(
        {
            "module_id": ["UP"] * 3 + ["FLAT"] * 3,
            "title": ["planted"] * 3 + ["null"] * 3,
            "feature_id": ["g1", "g2", "g3", "g4", "g5", "g6"],
        }
    )
    paths = {}
    for name, table in tables.items():
        paths[name] = tmp_path / f"{name}.tsv"
        write_tsv(table, paths[name])
    write_tsv(membership, tmp_path / "membership.tsv")
    out = tmp_path / "out"
    out.mkdir()
    return SimpleNamespace(
        input=_Named(
            genes=[str(p) for p in paths.values()],
            membership=str(tmp_path / "membership.tsv"),
            annotation=str(tmp_path / "membership.tsv"),  # module_id + title
        ),
        output=_Named(scores=str(out / "scores.tsv"), enrichment=str(out / "enrichment.tsv")),
        params=SimpleNamespace(
            run={"comparisons": list(tables), "alpha": 0.05, "threshold_on": "p_value"}
        ),
        log=[str(tmp_path / "module_scores.log")],
    )


def _genes(p_values, directions):
    ids = [f"g{i + 1}" for i in range(len(p_values))]
    return pd.DataFrame(
        {
            "feature_id": ids,
            "p_value": p_values,
            "method": "exact",
            "direction": directions,
        }
    )


def test_the_job_writes_both_tables_matching_hand_counts(tmp_path):
    # g1-g3 (module UP) rank first, g4-g6 (FLAT) in the middle, g7-g10 outside any module
    p = [0.001, 0.002, 0.03, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    up = _genes(p, ["up"] * 3 + ["down", "up", "down"] + ["up"] * 4)
    smk = _job(tmp_path, {"c1": up, "c2": up.assign(p_value=up["p_value"][::-1].to_numpy())})
    _adapter().main(smk)
    scores = read_tsv(smk.output.scores, keep_default_na=False, na_values=[""])
    enrichment = read_tsv(smk.output.enrichment, keep_default_na=False, na_values=[""])
    first = scores.set_index(["comparison", "module_id"])
    # c1: UP has 3 genes with p < 0.05, all up; FLAT none
    assert (first.loc[("c1", "UP"), "n_up"], first.loc[("c1", "UP"), "pct_up"]) == (3, 100.0)
    assert first.loc[("c1", "FLAT"), "n_up"] + first.loc[("c1", "FLAT"), "n_down"] == 0
    # c2 (p reversed): g8-g10 get the small p-values, outside the modules
    assert first.loc[("c2", "UP"), "n_up"] == 0
    rows = enrichment.set_index(["comparison", "module_id"])
    ranks = {"c1": pd.Series(p).rank().to_numpy(), "c2": pd.Series(p[::-1]).rank().to_numpy()}
    for comparison, rank in ranks.items():
        for module, members in (("UP", [0, 1, 2]), ("FLAT", [3, 4, 5])):
            others = [i for i in range(10) if i not in members]
            pairs = [
                (rank[m] < rank[o]) + 0.5 * (rank[m] == rank[o]) for m in members for o in others
            ]
            row = rows.loc[(comparison, module)]
            assert row["n_genes"] == 3 and row["n_ranked"] == 10
            assert row["auc"] == pytest.approx(np.mean(pairs), abs=1e-12), (comparison, module)
    assert rows.loc[("c1", "UP"), "auc"] == 1.0 and rows.loc[("c1", "UP"), "direction"] == "up"
    log = Path(smk.log[0]).read_text(encoding="utf-8")
    assert "module enrichment: 4 comparisons x modules" in log


def test_a_failing_enrichment_leaves_the_scores_unwritten_too(tmp_path, monkeypatch):
    # the enrichment is computed after the scores: its error must still leave no table behind
    adapter = _adapter()

    def fails(*args, **kwargs):
        raise InputError("results/genes/c1.tsv: planted failure")

    monkeypatch.setattr(adapter, "module_enrichment", fails)
    smk = _job(tmp_path, {"c1": _genes([0.01, 0.02], ["up", "up"])})
    with pytest.raises(InputError, match="planted failure"):
        adapter.main(smk)
    assert not Path(smk.output.scores).exists()
    assert not Path(smk.output.enrichment).exists()
