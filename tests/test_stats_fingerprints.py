"""Per-sample fingerprints and distance to health against independent oracles.

* R golden (``tests/data/r_golden_bloodgen3_individual/``, made by its ``make_golden.R`` with
  BloodGen3Module 0.99.42's own ``Individualcomparison`` on the shipped GSE13015 subset, at its
  default cut-offs FC 1.5 / DIFF 10 and at FC 2 / DIFF 50): ``net`` per module and sample from the
  package function, ``pct_up``/``pct_down`` from the same calls split by direction, and the
  distance to health written in base R.
* Hand-made matrices whose calls are worked out in the test (boundaries, missing values, the
  log2 scale, the offset, chunking).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.stats.fingerprints import (
    distance_to_health,
    fold_change_calls,
    sample_fingerprints,
)

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "data" / "r_golden_bloodgen3_individual"
GSE = REPO / "resources" / "gse13015"


@pytest.fixture(scope="module")
def gse13015():
    expr = pd.read_csv(GSE / "expression_symbols.tsv.gz", sep="\t", index_col=0)
    info = pd.read_csv(GSE / "samples.tsv", sep="\t", dtype=str)
    ref = info.loc[info["Group_test"].str.strip() == "Control", "GEO_ID"].tolist()
    modules = pd.read_csv(REPO / "resources" / "modules" / "bloodgen3_modules.tsv", sep="\t")
    return np.log2(expr), ref, modules


@pytest.mark.parametrize(("fc", "diff"), [(1.5, 10.0), (2.0, 50.0)])
def test_individualcomparison_parity_on_gse13015(gse13015, fc, diff):
    log2, ref, modules = gse13015
    golden = pd.read_csv(GOLDEN / "individual.tsv.gz", sep="\t", comment="#")
    golden = golden[(golden["fc"] == fc) & (golden["diff"] == diff)]
    out = sample_fingerprints(log2, ref, modules, fold_change=fc, difference=diff)
    assert len(golden) == 382 * 67
    merged = golden.merge(out, on=["sample_id", "module_id"], suffixes=("_r", ""), how="outer")
    assert len(merged) == len(golden) == len(out)
    assert (merged["n_genes_r"] == merged["n_genes"]).all()
    # pct_up/pct_down are counts / n: identical doubles; net carries R's own rounding (1e-14).
    # The calls are identical (counts exact); the percentages to the last bits of a double
    # (numpy versions order the division differently).
    for side in ("up", "down"):
        counts = np.round(merged[f"pct_{side}_r"] * merged["n_genes"] / 100)
        np.testing.assert_array_equal(merged[f"n_{side}"], counts)
        np.testing.assert_allclose(
            merged[f"pct_{side}"], merged[f"pct_{side}_r"], rtol=0, atol=1e-12
        )
    np.testing.assert_allclose(merged["net"], merged["net_r"], rtol=0, atol=1e-12)
    assert (merged["net_r"].abs() > 0).mean() > 0.3  # the golden is not trivially zero


def test_distance_to_health_matches_r_on_gse13015(gse13015):
    log2, ref, _ = gse13015
    golden = pd.read_csv(GOLDEN / "distance.tsv.gz", sep="\t", comment="#")
    out = distance_to_health(log2, ref).merge(golden, on="sample_id", suffixes=("", "_r"))
    assert len(out) == 67
    np.testing.assert_allclose(out["distance"], out["distance_r"], rtol=1e-12)
    assert (out["n_beyond"] == out["n_beyond_r"]).all()
    assert (out["n_features"] == out["n_features_r"]).all()
    # the sepsis patients are further from health than the controls
    info = pd.read_csv(GSE / "samples.tsv", sep="\t", dtype=str).set_index("GEO_ID")
    group = info.loc[out["sample_id"], "Group_test"].str.strip().to_numpy()
    assert (
        out.loc[group == "Sepsis", "distance"].median()
        > 3 * out.loc[group == "Control", "distance"].median()
    )


def test_calls_by_hand_on_the_linear_scale():
    # reference mean of row 0 = 100 (samples r1, r2 = 90, 110), row 1 = 20 (12, 28). Values sit
    # near, not at, the cut-offs: the matrix is log2, so linear values come back as 2**log2(x),
    # which may differ from x by an ulp (a value exactly at a cut-off may fall either side).
    lin = np.array(
        [
            [90.0, 110.0, 151.0, 149.9, 66.0, 66.7, 100.0],
            [12.0, 28.0, 31.0, 35.0, 5.0, 13.0, 20.0],
        ]
    )
    ref = np.array([True, True, False, False, False, False, False])
    up, down, valid = fold_change_calls(np.log2(lin), ref, fold_change=1.5, difference=10)
    # row 0: 151/100 > 1.5 and +51 > 10: up; 149.9/100 is not > 1.5; 66: -100/66 = -1.515 <
    # -1.5 and -34 < -10: down; 66.7: -1.4993 not < -1.5.
    assert up[0].tolist() == [False, False, True, False, False, False, False]
    assert down[0].tolist() == [False, False, False, False, True, False, False]
    # row 1: 31: fc 1.55 but diff 11 > 10: up; 35 up; 5: fc -4, diff -15: down; 13: fc -1.54 but
    # diff -7 is not < -10: not down.
    assert up[1].tolist() == [False, False, True, True, False, False, False]
    assert down[1].tolist() == [False, False, False, False, True, False, False]
    assert valid.all()


def test_calls_on_the_log2_scale_and_with_an_offset():
    x = np.array([[5.0, 7.0, 7.0, 6.0 + np.log2(1.6), 6.0 - np.log2(1.6), 6.5]])
    ref = np.array([True, True, False, False, False, False])  # mean 6 (log2)
    up, down, _ = fold_change_calls(x, ref, scale="log2", fold_change=1.5, difference=0.5)
    # 7: 2-fold and +1 > 0.5; 6 + log2 1.6: 1.6-fold but +0.678 > 0.5: up; 6.5: 1.41-fold: no
    assert up[0].tolist() == [False, True, True, True, False, False]
    assert down[0].tolist() == [True, False, False, False, True, False]
    # offset: log2(x + 1) data; linear values 2**x - 1
    lin = np.array([[99.0, 101.0, 160.0, 40.0]])
    up, down, _ = fold_change_calls(
        np.log2(lin + 1), np.array([True, True, False, False]), offset=1.0
    )
    assert up[0].tolist() == [False, False, True, False]
    assert down[0].tolist() == [False, False, False, True]


def test_missing_values_are_neither_up_nor_down_and_leave_the_denominator():
    lin = pd.DataFrame(
        {
            "h1": [100.0, 100.0, 100.0, np.nan],
            "h2": [100.0, 100.0, 100.0, 100.0],
            "s1": [200.0, 50.0, np.nan, 300.0],
        },
        index=["a", "b", "c", "d"],
    )
    members = pd.DataFrame(
        {"module_id": ["M1"] * 4, "title": ["t"] * 4, "feature_id": ["a", "b", "c", "d"]}
    )
    out = sample_fingerprints(np.log2(lin), ["h1", "h2"], members).set_index("sample_id")
    s1 = out.loc["s1"]
    # a up, b down, c missing (out of the denominator), d up against the mean of h2 alone
    assert (s1["n_genes"], s1["n_up"], s1["n_down"]) == (3, 2, 1)
    assert s1["pct_up"] == pytest.approx(200 / 3)
    assert s1["net"] == pytest.approx(100 / 3)
    assert out.loc["h1", "n_genes"] == 3  # h1 has no value for d


def test_chunking_and_membership_order_do_not_change_the_result():
    rng = np.random.default_rng(7)
    x = pd.DataFrame(
        rng.normal(8, 1, size=(200, 12)),
        index=[f"g{i}" for i in range(200)],
        columns=[f"s{j}" for j in range(12)],
    )
    members = pd.DataFrame(
        {
            "module_id": [f"M{i % 7}" for i in range(260)],
            "title": "t",
            "feature_id": [f"g{(i * 37) % 200}" for i in range(260)],
        }
    )
    a = sample_fingerprints(x, ["s0", "s1", "s2"], members, chunk_rows=13)
    b = sample_fingerprints(x, ["s0", "s1", "s2"], members, chunk_rows=10_000)
    pd.testing.assert_frame_equal(a, b)
    # brute force: module by module, sample by sample, with the formula written out
    lin = 2.0**x
    m = lin[["s0", "s1", "s2"]].mean(axis=1)
    for (sample, module), row in a.set_index(["sample_id", "module_id"]).iloc[::17].iterrows():
        feats = members.loc[members["module_id"] == module, "feature_id"].unique()
        v, mu = lin.loc[feats, sample], m.loc[feats]
        fc = np.where(v >= mu, v / mu, -mu / v)
        n_up = int(((fc > 1.5) & (v - mu > 10)).sum())
        n_down = int(((fc < -1.5) & (v - mu < -10)).sum())
        assert (row["n_genes"], row["n_up"], row["n_down"]) == (len(feats), n_up, n_down)


def test_distance_by_hand():
    x = pd.DataFrame(
        {"h1": [1.0, 5.0, 3.0], "h2": [3.0, 5.0, 3.0], "s": [7.0, 9.0, 2.0], "t": [2.5, 5, 3]},
        index=["a", "b", "c"],
    )
    out = distance_to_health(x, ["h1", "h2"]).set_index("sample_id")
    # a: mean 2, SD sqrt(2); s: z = 5/sqrt(2) = 3.54 > 2; t: 0.35. b, c: SD 0, not evaluated.
    assert out.loc["s", "distance"] == pytest.approx(5 / np.sqrt(2))
    assert (out.loc["s", "n_beyond"], out.loc["s", "n_features"]) == (1, 1)
    assert out.loc["t", "distance"] == 0 and out.loc["t", "n_beyond"] == 0


def test_bad_reference_is_one_clear_error():
    x = pd.DataFrame({"a": [1.0], "b": [2.0]}, index=["g"])
    members = pd.DataFrame({"module_id": ["M"], "title": ["t"], "feature_id": ["g"]})
    with pytest.raises(InputError, match="at least 2"):
        sample_fingerprints(x, ["a"], members)
    with pytest.raises(InputError, match="not columns"):
        distance_to_health(x, ["a", "zz"])
    with pytest.raises(InputError, match="must be >= 0"):
        sample_fingerprints(x, ["a", "b"], members, fold_change=-1)


def test_settings_check_switches_on_with_a_reference_and_names_bad_columns():
    from modmap.stats.fingerprints import check_fingerprint_settings

    sheet = pd.DataFrame(
        {"sample_id": ["a", "b", "c"], "group": ["healthy", "healthy", "patient"], "arm": "x"}
    )
    assert check_fingerprint_settings(sheet, {"reference": None}, sheet_path="s.tsv") is False
    on = {"reference": {"group": "healthy"}, "group_by": ["arm"], "order_by": [], "subject": None}
    assert check_fingerprint_settings(sheet, on, sheet_path="s.tsv") is True
    with pytest.raises(InputError, match="fingerprints.order_by: column 'visit'"):
        check_fingerprint_settings(sheet, {**on, "order_by": ["visit"]}, sheet_path="s.tsv")
    with pytest.raises(InputError, match="selects 3 of 3"):
        check_fingerprint_settings(sheet, {"reference": {"arm": "x"}}, sheet_path="s.tsv")


def test_colour_by_is_checked_against_the_sheet_with_its_derived_column():
    from modmap.stats.fingerprints import check_fingerprint_settings

    sheet = pd.DataFrame(
        {"sample_id": ["a", "b", "c"], "group": ["healthy", "healthy", "patient"], "arm": "x"}
    )
    on = {"reference": {"group": "healthy"}, "colour_by": "responder"}
    with pytest.raises(InputError) as err:
        check_fingerprint_settings(sheet, on, sheet_path="s.tsv")
    assert str(err.value) == (
        "config fingerprints.colour_by: column 'responder' is not in the sample sheet s.tsv "
        "(columns: sample_id, group, arm) and no responder column is derived (config "
        "clinical.responder is not set). Fix the name, add the column, or set colour_by: null."
    )
    with pytest.raises(InputError, match="the clinical stage derives is 'response'"):
        check_fingerprint_settings(sheet, on, sheet_path="s.tsv", derived_column="response")
    # the workflow merges the derived column into the sheet before the check: accepted
    merged = sheet.assign(responder=["", "", "yes"])
    assert check_fingerprint_settings(merged, on, sheet_path="s.tsv", derived_column="responder")
    assert check_fingerprint_settings(sheet, {**on, "colour_by": "arm"}, sheet_path="s.tsv")


def test_constant_reference_is_exact_as_in_r():
    # 0.1 three times: a plain sum / n gives 0.1 + 2e-17 and a spurious SD of 1e-17; R's mean
    # (with its correction pass) gives 0.1 and sd() 0, so the feature is not used.
    x = pd.DataFrame(
        {"h1": [0.1, 1.0], "h2": [0.1, 2.0], "h3": [0.1, 3.0], "s": [0.5, 9.0]}, index=["c", "v"]
    )
    out = distance_to_health(x, ["h1", "h2", "h3"]).set_index("sample_id")
    assert out.loc["s", "n_features"] == 1  # only v: mean 2, SD 1, z = 7
    assert out.loc["s", "distance"] == pytest.approx(7.0)
    up, down, _ = fold_change_calls(
        np.array([[0.1, 0.1, 0.1, 0.1]]),
        np.array([True, True, True, False]),
        scale="log2",
        fold_change=1.0,
        difference=0.0,
    )
    assert not up.any() and not down.any()  # x == mean exactly: neither


def test_fingerprints_run_without_scipy() -> None:
    """The per-sample job counts calls with a dense 0/1 chunk: scipy stays unimported (issue 16).

    A fresh interpreter (a workflow job is one); the counts are checked by the tests above.
    """
    from conftest import imported_after

    code = (
        "import numpy as np, pandas as pd\n"
        "from modmap.stats.fingerprints import sample_fingerprints\n"
        "x = pd.DataFrame(np.arange(12.0).reshape(4, 3), index=list('abcd'),\n"
        "                 columns=['s0', 's1', 's2'])\n"
        "m = pd.DataFrame({'module_id': ['M1', 'M1', 'M2'], 'feature_id': ['a', 'b', 'c']})\n"
        "out = sample_fingerprints(x, ['s0', 's1'], m)\n"
        "assert len(out) == 6, out\n"
    )
    assert imported_after(code, ["scipy"]) == []
