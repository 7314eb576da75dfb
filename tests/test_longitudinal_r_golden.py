"""The longitudinal stage against golden values computed by R (an independent oracle).

``tests/data/r_golden_longitudinal/make_golden.R`` wrote the input tables and R's answers:
``t.test(M6, D1, paired = TRUE)`` / ``wilcox.test(M6, D1, paired = TRUE)`` per analyte and arm,
``quantile(type = 7)`` and ``wilcox.test(visit, D1, paired = TRUE)`` per lab variable, arm and
visit, and ``survfit(Surv(days_to_flare, flared) ~ 1)`` with its median. The inputs go through
the same readers the workflow uses (unpaired subjects, missing values, ties and zero differences
are in them). R is not needed to run these tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from modmap.longitudinal import (
    analyte_values,
    kaplan_meier,
    lab_long,
    lab_summary,
    median_time,
    paired_tests,
    withdrawal_table,
)

GOLDEN = Path(__file__).resolve().parent / "data" / "r_golden_longitudinal"
REL = 1e-10


def _golden(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name, sep="\t", comment="#", dtype=str, keep_default_na=False)


def _input(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name, sep="\t", dtype=str, keep_default_na=False)


def _num(text: str) -> float:
    return np.nan if text == "NA" else float(text)


@pytest.mark.parametrize("test", ["paired_t", "signed_rank"])
def test_analyte_tests_match_r(test, caplog):
    raw = _input("analytes_input.tsv")
    values = analyte_values(raw, path="analytes_input.tsv")
    values["group"] = values["arm"]
    with caplog.at_level("WARNING", logger="modmap.longitudinal"):
        tests, pairs = paired_tests(values, baseline="D1", visit="M6", test=test)
    # S09 (no M6) and S18 (no D1) measured IP10 once: left out, with a warning naming them
    assert "'IP10': 2 subject(s) measured at only one of D1, M6 are left out: S09, S18" in (
        caplog.text
    )
    want = _golden("analytes_expected.tsv")
    want = want[want["test"] == test]
    assert len(tests) == len(want) == 6
    for _, row in want.iterrows():
        got = tests[(tests["analyte"] == row["analyte"]) & (tests["group"] == row["group"])]
        assert len(got) == 1
        got = got.iloc[0]
        case = f"{row['analyte']}/{row['group']}/{test}"
        assert got["n_pairs"] == int(row["n_pairs"]), case
        assert got["visits"] == "M6 vs D1"
        assert got["mean_difference"] == pytest.approx(float(row["mean_difference"]), rel=REL)
        assert got["statistic"] == pytest.approx(float(row["statistic"]), rel=REL), case
        assert got["p_value"] == pytest.approx(float(row["p_value"]), rel=REL), case
        if test == "paired_t":
            assert got["df"] == float(row["df"]), case
            assert got["method"] == "paired_t"
        else:
            assert np.isnan(got["df"])
            assert got["method"] == ("exact" if row["exact"] == "TRUE" else "asymptotic"), case
    assert set(pairs.loc[pairs["analyte"] == "IP10", "subject_id"]).isdisjoint({"S09", "S18"})


def test_lab_summary_matches_r():
    raw = _input("labs_input.tsv")
    values = lab_long(raw, variables=["saa", "crp"], path="labs_input.tsv")
    values["group"] = values["arm"]
    got = lab_summary(values, visits=["D1", "M1", "M6"], baseline="D1")
    summary = _golden("labs_summary.tsv")
    tests = _golden("labs_tests.tsv")
    assert len(got) == len(summary) == 12
    for _, row in summary.iterrows():
        g = got[
            (got["variable"] == row["variable"])
            & (got["group"] == row["group"])
            & (got["visit"] == row["visit"])
        ].iloc[0]
        assert g["n"] == int(row["n"])
        for col in ("median", "q1", "q3"):
            assert g[col] == pytest.approx(float(row[col]), rel=REL), (row.to_dict(), col)
    for _, row in tests.iterrows():
        g = got[
            (got["variable"] == row["variable"])
            & (got["group"] == row["group"])
            & (got["visit"] == row["visit"])
        ].iloc[0]
        assert g["n_pairs"] == int(row["n_pairs"])
        assert g["statistic"] == pytest.approx(float(row["statistic"]), rel=REL)
        assert g["p_value"] == pytest.approx(float(row["p_value"]), rel=REL), row.to_dict()
        assert g["method"] == ("exact" if row["exact"] == "TRUE" else "asymptotic")
    baseline = got[got["visit"] == "D1"]
    assert baseline["n_pairs"].isna().all() and (baseline["method"] == "").all()


@pytest.mark.parametrize(
    "case",
    [
        "km_nomid",
        "km_plateau",
        "km_plateau_censored",
        "km_plateau_end",
        "km_not_reached",
        "km_random",
    ],
)
def test_kaplan_meier_matches_r_survfit(case):
    raw = _input("km_input.tsv")
    table = withdrawal_table(raw[raw["case_id"] == case].reset_index(drop=True), path=case)
    curve = kaplan_meier(table)
    want = _golden("km_curve.tsv")
    want = want[want["case_id"] == case]
    assert len(curve) == len(want)
    np.testing.assert_array_equal(curve["time"], want["time"].astype(float))
    np.testing.assert_array_equal(curve["n_risk"], want["n_risk"].astype(int))
    np.testing.assert_array_equal(curve["n_event"], want["n_event"].astype(int))
    np.testing.assert_array_equal(curve["n_censored"], want["n_censored"].astype(int))
    np.testing.assert_allclose(curve["survival"], want["survival"].astype(float), rtol=REL)
    med = _golden("km_median.tsv").set_index("case_id").loc[case]
    want_median = _num(med["median"])
    got = median_time(curve)
    if np.isnan(want_median):
        assert np.isnan(got)
    else:
        assert got == want_median
    assert int(table["flared"].sum()) == int(med["events"])
