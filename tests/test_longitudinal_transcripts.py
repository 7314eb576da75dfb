"""Transcript counts and set operations on per-gene tables built by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.longitudinal import transcript_results, transcript_set
from modmap.longitudinal.options import check_longitudinal, transcripts_run


def _genes(p, direction, q=None):
    n = len(p)
    t = pd.DataFrame(
        {
            "feature_id": [f"F{i}" for i in range(n)],
            "n_case": 5,
            "n_control": 5,
            "statistic": np.arange(n, dtype=float),
            "p_value": p,
            "method": "exact",
            "direction": direction,
            "median_case": np.linspace(1, 2, n),
            "median_control": 1.0,
            "log2_fc": np.linspace(0, 1, n),
            "fold_change": np.nan,
        }
    )
    if q is not None:
        t["q_value"] = q
    return t


# F0 changed in A only (up); F1 in A and B; F2 in A only (down) with a p = 0.049; F3 p = 0.05
# (not < 0.05); F4 untested; F5 in B only.
GENES = {
    "A": _genes(
        [0.001, 0.01, 0.049, 0.05, np.nan, 0.5], ["up", "up", "down", "up", "none", "down"]
    ),
    "B": _genes([0.5, 0.02, 0.3, 0.9, np.nan, 0.001], ["up", "down", "down", "up", "none", "up"]),
}
MEMBERSHIP = pd.DataFrame(
    {
        "module_id": ["M1", "M2", "M1"],
        "feature_id": ["F0", "F0", "F2"],
        "symbol": ["G0", "G0", "G2"],
    }
)


def test_counts_and_a_set_counted_by_hand():
    counts, sets, lists = transcript_results(
        GENES,
        membership=MEMBERSHIP,
        count_comparisons=["A", "B"],
        sets=[{"name": "A_not_B", "in": ["A"], "not_in": ["B"]}],
        alpha=0.05,
    )
    c = counts.set_index("comparison")
    assert c.loc["A", ["n_tested", "n_up", "n_down", "n_changed"]].tolist() == [5, 2, 1, 3]
    assert c.loc["B", ["n_up", "n_down"]].tolist() == [1, 1]
    table = lists["A_not_B"]
    assert table["feature_id"].tolist() == ["F0", "F2"]  # ordered by p in A
    assert table["module_id"].tolist() == ["M1;M2", "M1"]
    assert table["symbol"].tolist() == ["G0", "G2"]
    assert table["log2_fc"].to_numpy() == pytest.approx([0.0, 0.4])  # the table's, linspace(0, 1)
    assert table["fold_change"].isna().all()
    assert table["q_value"].isna().all()
    assert sets.iloc[0].tolist() == ["A_not_B", "A", "B", 2, 1, 1]


def test_intersection_of_two_in_comparisons_is_long():
    table = transcript_set(GENES, name="both", in_=["A", "B"], alpha=0.05)
    assert table["feature_id"].tolist() == ["F1", "F1"]
    assert table["comparison"].tolist() == ["A", "B"]
    assert table["direction"].tolist() == ["up", "down"]


def test_fold_change_cutoff_is_the_module_scores_rule():
    # with a 1.3-fold cut-off (fold beyond 1.3 in the call's direction), F0 (log2_fc 0) is no
    # longer called; F2 (down) is when its log2_fc is -0.4 (fold 1/1.32), not when +0.4
    genes = {k: v.copy() for k, v in GENES.items()}
    cut = {"alpha": 0.05, "fold_change_cutoff": 1.3}
    assert transcript_set(genes, name="s", in_="A", not_in="B", **cut).empty
    genes["A"].loc[2, "log2_fc"] = -0.4
    table = transcript_set(genes, name="s", in_="A", not_in="B", **cut)
    assert table["feature_id"].tolist() == ["F2"]


def test_q_value_threshold_needs_the_column():
    with pytest.raises(InputError, match="q_value"):
        transcript_set(GENES, name="s", in_="A", alpha=0.05, threshold_on="q_value")
    with_q = {k: v.assign(q_value=v["p_value"] * 10) for k, v in GENES.items()}
    table = transcript_set(with_q, name="s", in_="A", alpha=0.05, threshold_on="q_value")
    assert table["feature_id"].tolist() == ["F0"]


def test_unknown_comparison_is_one_error():
    with pytest.raises(InputError, match="comparison\\(s\\) C not found"):
        transcript_set(GENES, name="s", in_="A", not_in="C", alpha=0.05)
    cfg = {
        "comparisons": [{"name": "A"}, {"name": "B"}],
        "statistics": {"alpha": 0.05, "threshold_on": "p_value"},
        "transcripts": {"sets": [{"name": "s", "in": "A", "not_in": ["C"]}]},
    }
    with pytest.raises(InputError, match="transcripts.sets 's' names 'C'"):
        check_longitudinal(cfg)
    cfg["transcripts"]["sets"][0]["not_in"] = "B"
    check_longitudinal(cfg)
    assert transcripts_run(cfg)["sets"] == [{"name": "s", "in": ["A"], "not_in": ["B"]}]
