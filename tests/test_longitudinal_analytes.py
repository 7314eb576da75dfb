"""Paired analyte and gene tests: textbook formulas written here, bad input, the figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from modmap.errors import InputError
from modmap.longitudinal import analyte_analysis, analyte_values, gene_values, paired_tests
from modmap.plots.paired import format_p, plot_paired

SAMPLES = pd.DataFrame(
    {
        "sample_id": ["s1_D1", "s1_M6", "s2_D1", "s2_M6", "s3_D1", "s3_M6", "s4_D1", "s4_M6", "h1"],
        "subject_id": ["s1", "s1", "s2", "s2", "s3", "s3", "s4", "s4", ""],
        "timepoint": ["D1", "M6"] * 4 + [""],
        "arm": ["a"] * 8 + [""],
        "responder": ["yes", "yes", "no", "no", "yes", "yes", "yes", "yes", ""],
    }
)


def _table(rows):
    return pd.DataFrame(rows, columns=["subject_id", "visit", "analyte", "value"]).astype(str)


def test_paired_t_is_the_textbook_formula():
    before = np.array([10.0, 12.0, 9.0, 15.0, 11.0])
    after = np.array([14.0, 13.5, 12.0, 21.0, 11.5])
    rows = [
        (f"s{i}", v, "IP10", x)
        for i, (b, a) in enumerate(zip(before, after, strict=True))
        for v, x in (("D1", b), ("M6", a))
    ]
    values = analyte_values(_table(rows))
    values["group"] = "all"
    tests, pairs = paired_tests(values, baseline="D1", visit="M6", test="paired_t")
    d = after - before
    t = d.mean() / (d.std(ddof=1) / np.sqrt(d.size))  # textbook paired t
    p = 2 * stats.t.sf(abs(t), d.size - 1)
    row = tests.iloc[0]
    assert row["statistic"] == pytest.approx(t, rel=1e-12)
    assert row["p_value"] == pytest.approx(p, rel=1e-9)
    assert (row["df"], row["n_pairs"], row["visits"]) == (4.0, 5, "M6 vs D1")
    assert row["mean_difference"] == pytest.approx(d.mean())
    assert pairs["difference"].to_numpy() == pytest.approx(d)


def test_signed_rank_exact_by_enumeration():
    d = np.array([1.5, -0.5, 2.5, 3.5, 4.5, -6.5])  # distinct |d|: exact
    rows = [
        (f"s{i}", v, "X", x) for i, di in enumerate(d) for v, x in (("D1", 10), ("M6", 10 + di))
    ]
    values = analyte_values(_table(rows))
    values["group"] = "all"
    tests, _ = paired_tests(values, baseline="D1", visit="M6", test="signed_rank")
    ranks = stats.rankdata(np.abs(d))
    v = ranks[d > 0].sum()
    # exact two-sided p by enumerating all 2^6 sign patterns
    n = d.size
    all_v = [
        sum(r for r, bit in zip(range(1, n + 1), f"{k:0{n}b}", strict=True) if bit == "1")
        for k in range(2**n)
    ]
    mean = n * (n + 1) / 4
    p = np.mean([abs(x - mean) >= abs(v - mean) for x in all_v])
    assert tests["statistic"].iloc[0] == v
    assert tests["p_value"].iloc[0] == pytest.approx(p, rel=1e-12)
    assert tests["method"].iloc[0] == "exact" and np.isnan(tests["df"].iloc[0])


def test_unpaired_subjects_warned_and_left_out(caplog):
    rows = [
        ("s1", "D1", "IP10", 1),
        ("s1", "M6", "IP10", 2),
        ("s2", "D1", "IP10", 1),
        ("s2", "M6", "IP10", 3),
        ("s3", "D1", "IP10", 2),
        ("s3", "M6", "IP10", 5),
        ("s4", "D1", "IP10", 7),
    ]
    values = analyte_values(_table(rows))
    values["group"] = "all"
    with caplog.at_level("WARNING", logger="modmap.longitudinal"):
        tests, pairs = paired_tests(values, baseline="D1", visit="M6")
    assert "'IP10': 1 subject(s) measured at only one of D1, M6 are left out: s4" in caplog.text
    assert tests["n_pairs"].iloc[0] == 3 and "s4" not in set(pairs["subject_id"])


def test_analyte_with_one_visit_only_is_one_error():
    rows = [
        ("s1", "D1", "IP10", 1),
        ("s1", "M6", "IP10", 2),
        ("s1", "D1", "TRAIL", 4),
        ("s2", "D1", "TRAIL", 5),
    ]
    values = analyte_values(_table(rows))
    values["group"] = "all"
    with pytest.raises(InputError, match=r"'TRAIL' has no value at M6 \(its visits: D1\)"):
        paired_tests(values, baseline="D1", visit="M6")


def test_no_subject_at_both_visits_is_one_error():
    rows = [("s1", "D1", "IP10", 1), ("s2", "M6", "IP10", 2)]
    values = analyte_values(_table(rows))
    values["group"] = "all"
    with pytest.raises(InputError, match="no subject has 'IP10' at both D1 and M6"):
        paired_tests(values, baseline="D1", visit="M6")


def test_bad_table_values_and_duplicates():
    with pytest.raises(InputError, match=r"row 2, column value: 'high' is not a number"):
        analyte_values(_table([("s1", "D1", "IP10", "1"), ("s1", "M6", "IP10", "high")]))
    with pytest.raises(InputError, match="more than one row for subject_id='s1'"):
        analyte_values(_table([("s1", "D1", "IP10", "1"), ("s1", "D1", "IP10", "2")]))
    with pytest.raises(InputError, match="missing column.*value"):
        analyte_values(pd.DataFrame({"subject_id": ["s1"], "visit": ["D1"], "analyte": ["X"]}))


def test_small_group_not_tested_with_warning(caplog):
    rows = [("s1", "D1", "X", 1), ("s1", "M6", "X", 2), ("s2", "D1", "X", 1), ("s2", "M6", "X", 4)]
    values = analyte_values(_table(rows))
    values["group"] = "all"
    with caplog.at_level("WARNING", logger="modmap.longitudinal"):
        tests, _ = paired_tests(values, baseline="D1", visit="M6", min_pairs=3)
    assert "has 2 pair(s), fewer than min_pairs = 3: not tested" in caplog.text
    assert tests["method"].iloc[0] == "not_tested" and np.isnan(tests["p_value"].iloc[0])


def test_genes_by_symbol_grouped_by_responder_from_the_sheet(caplog):
    expr = pd.DataFrame(
        {"feature_id": ["P1", "P2", "P3"], **{s: [1.0, 2.0, 3.0] for s in SAMPLES["sample_id"]}}
    )
    for k, s in enumerate(["s1_M6", "s2_M6", "s3_M6", "s4_M6"]):
        expr.loc[0, s] = 1.0 - (k + 1)  # SOCS3 (P1) falls by 1, 2, 3, 4
    membership = pd.DataFrame(
        {
            "module_id": ["M3.2", "M3.2", "M1.1"],
            "feature_id": ["P1", "P2", "P3"],
            "symbol": ["SOCS3", "IL1B", "CD3E/CD3D"],
        }
    )
    with caplog.at_level("WARNING", logger="modmap.longitudinal"):
        tests, pairs = analyte_analysis(
            None,
            expression=expr,
            samples=SAMPLES,
            membership=membership,
            analytes=[],
            genes=["SOCS3", "CD3D"],
            baseline="D1",
            visit="M6",
            group_by="responder",
            min_pairs=1,
        )
    assert caplog.text == ""  # every subject paired, every group large enough
    socs3 = tests[tests["analyte"] == "SOCS3"].set_index("group")
    assert socs3.loc["yes", "n_pairs"] == 3 and socs3.loc["no", "n_pairs"] == 1
    assert socs3.loc["yes", "mean_difference"] == pytest.approx(-(1 + 3 + 4) / 3)
    assert set(pairs.loc[pairs["analyte"] == "CD3D", "source"]) == {"expression:P3"}
    with pytest.raises(InputError, match="'NOPE' is neither a feature ID"):
        gene_values(expr, SAMPLES, ["NOPE"], membership=membership, visits=["D1", "M6"])
    twice = pd.concat([membership, membership.assign(feature_id="P2", module_id="M9")])
    with pytest.raises(InputError, match="symbol 'SOCS3' names 2 features"):
        gene_values(expr, SAMPLES, ["SOCS3"], membership=twice, visits=["D1", "M6"])


def test_subject_without_group_is_one_error():
    table = _table([("s9", "D1", "IP10", 1), ("s9", "M6", "IP10", 2)])
    with pytest.raises(InputError, match="no arm for subject"):
        analyte_analysis(
            table,
            expression=None,
            samples=SAMPLES,
            membership=None,
            analytes=["IP10"],
            genes=[],
            baseline="D1",
            visit="M6",
            group_by="arm",
        )


def test_listed_analyte_missing_from_the_table_is_one_error():
    table = _table([("s1", "D1", "IP10", 1), ("s1", "M6", "IP10", 2)])
    with pytest.raises(InputError, match=r"TRAIL of config analytes.analytes have no value"):
        analyte_analysis(
            table,
            expression=None,
            samples=SAMPLES,
            membership=None,
            analytes=["IP10", "TRAIL"],
            genes=[],
            baseline="D1",
            visit="M6",
            group_by=None,
        )


def test_figure_drawn_from_the_pairs_and_tests():
    pairs = pd.DataFrame(
        {
            "analyte": "IP10",
            "source": "table",
            "group": ["a", "a", "b"],
            "subject_id": ["s1", "s2", "s3"],
            "baseline": [1.0, 2.0, 3.0],
            "visit": [4.0, 5.0, 2.0],
            "difference": [3.0, 3.0, -1.0],
        }
    )
    tests = pd.DataFrame(
        {
            "analyte": "IP10",
            "group": ["a", "b"],
            "p_value": [0.01234, np.nan],
            "test": "paired_t",
            "n_pairs": [2, 1],
        }
    )
    fig = plot_paired(pairs, tests, analyte="IP10", baseline="D1", visit="M6")
    ax_a, ax_b = fig.axes
    assert (ax_a.get_title(), ax_b.get_title()) == ("a", "b")
    lines = {ln.get_gid(): ln for ln in ax_a.lines}
    assert list(lines["s2"].get_ydata()) == [2.0, 5.0]
    assert "p = 0.0123" in ax_a.texts[0].get_text()
    assert "not tested" in ax_b.texts[0].get_text()
    assert [t.get_text() for t in ax_a.get_xticklabels()] == ["D1", "M6"]
    assert format_p(3e-7) == "p < 0.0001"
