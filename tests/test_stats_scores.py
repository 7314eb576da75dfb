"""Module scores against counts worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.stats import module_scores


def genes(rows):
    return pd.DataFrame(rows, columns=["feature_id", "p_value", "q_value", "method", "direction"])


GENES = genes(
    [
        ("a", 0.01, 0.04, "exact", "up"),
        ("b", 0.04, 0.08, "exact", "up"),
        ("c", 0.03, 0.06, "exact", "down"),
        ("d", 0.20, 0.30, "exact", "down"),
        ("e", np.nan, np.nan, "not_tested", "none"),
        ("f", 0.001, 0.01, "asymptotic", "down"),
        ("g", 0.05, 0.05, "exact", "up"),  # p == alpha is not significant
    ]
)
MEMBERS = pd.DataFrame(
    {
        "module_id": ["M2", "M2", "M2", "M2", "M1", "M1", "M1", "M3", "M2"],
        "title": ["two", "two", "two", "two", "one", "one", "one", "three", "two"],
        "feature_id": ["a", "b", "c", "e", "d", "f", "g", "e", "a"],
    }
)


def test_counts_by_hand_on_p_values():
    out = module_scores({"cmp": GENES}, MEMBERS, alpha=0.05, threshold_on="p_value")
    assert list(out["module_id"]) == ["M2", "M1", "M3"]  # membership order
    m2, m1, m3 = (out.iloc[i] for i in range(3))
    # M2: a, b, c tested (e not tested; a listed twice counts once); up a, b; down c.
    assert (m2["n_genes"], m2["n_up"], m2["n_down"]) == (3, 2, 1)
    assert m2["pct_up"] == pytest.approx(200 / 3)
    assert m2["pct_net"] == pytest.approx(100 / 3)
    # M1: d, f, g tested; down f only (d p = 0.2, g p = alpha).
    assert (m1["n_genes"], m1["n_up"], m1["n_down"]) == (3, 0, 1)
    assert m1["pct_down"] == pytest.approx(100 / 3)
    # M3: no tested gene -> empty percentages.
    assert m3["n_genes"] == 0 and np.isnan(m3["pct_up"])


def test_q_value_threshold_and_two_comparisons():
    out = module_scores({"x": GENES, "y": GENES}, MEMBERS, alpha=0.05, threshold_on="q_value")
    assert list(out["comparison"]) == ["x"] * 3 + ["y"] * 3
    m2 = out.iloc[0]
    assert (m2["n_up"], m2["n_down"]) == (1, 0)  # only a has q < 0.05
    m1 = out.iloc[1]
    assert (m1["n_up"], m1["n_down"]) == (0, 1)


def test_annotation_titles_and_errors():
    ann = pd.DataFrame({"module_id": ["M1", "M2", "M3"], "title": ["One", "Two", "Three"]})
    out = module_scores({"x": GENES}, MEMBERS, ann, alpha=0.05, threshold_on="p_value")
    assert list(out["title"]) == ["Two", "One", "Three"]
    with pytest.raises(InputError, match="has no 'q_value' column"):
        module_scores(
            {"x": GENES.drop(columns="q_value")}, MEMBERS, alpha=0.05, threshold_on="q_value"
        )
    with pytest.raises(InputError, match="alpha"):
        module_scores({"x": GENES}, MEMBERS, alpha=5, threshold_on="p_value")


def test_percent_of_present_counts_untested_members():
    out = module_scores(
        {"cmp": GENES},
        MEMBERS,
        alpha=0.05,
        threshold_on="p_value",
        percent_of="present",
        untestable="p_one",
    )
    m2, m1, m3 = (out.iloc[i] for i in range(3))
    # M2: members a, b, c, e present (e not tested); up a, b; down c -> of 4.
    assert (m2["n_present"], m2["n_genes"]) == (4, 3)
    assert m2["pct_up"] == pytest.approx(50.0) and m2["pct_down"] == pytest.approx(25.0)
    assert m1["pct_down"] == pytest.approx(100 / 3)
    # M3: one member present, untested -> 0 %, not empty.
    assert m3["n_present"] == 1 and m3["pct_up"] == 0.0
    assert set(out["percent_of"]) == {"present"} and set(out["untestable"]) == {"p_one"}
    default = module_scores({"cmp": GENES}, MEMBERS, alpha=0.05, threshold_on="p_value")
    assert set(default["percent_of"]) == {"tested"} and set(default["untestable"]) == {"exclude"}
    assert list(default["n_present"]) == [4, 3, 1]


def test_fold_change_cut_off_in_scores():
    folded = GENES.assign(log2_fc=[2.0, 0.1, -2.0, 0.0, np.nan, -0.2, 1.0])
    out = module_scores(
        {"cmp": folded}, MEMBERS, alpha=0.05, threshold_on="p_value", fold_change_cutoff=1.5
    )
    m2, m1 = out.iloc[0], out.iloc[1]
    # M2: a up (fold 4), b up by p but fold 2^0.1 < 1.5 -> no; c down (fold 1/4).
    assert (m2["n_up"], m2["n_down"]) == (1, 1)
    # M1: f significant down but fold 2^-0.2 -> not beyond 1/1.5.
    assert (m1["n_up"], m1["n_down"]) == (0, 0)
