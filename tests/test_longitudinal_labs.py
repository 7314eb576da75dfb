"""Lab endpoints: both table layouts, quartiles by hand, bad input, the trajectory figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.longitudinal import lab_analysis, lab_long
from modmap.plots.trajectories import plot_trajectories

WIDE = pd.DataFrame(
    {
        "subject_id": ["p1", "p1", "p2", "p2", "p3", "p3", "p4", "p4"],
        "visit": ["D1", "M3"] * 4,
        "arm": ["a"] * 8,
        "crp": ["10", "1", "20", "4", "30", "", "40", "2"],
        "saa": ["100", "8", "200", "5", "300", "9", "150", "7"],
    }
)


def _long(wide: pd.DataFrame) -> pd.DataFrame:
    rows = [
        (r.subject_id, r.visit, v, getattr(r, v))
        for r in wide.itertuples(index=False)
        for v in ("crp", "saa")
    ]
    return pd.DataFrame(rows, columns=["subject_id", "visit", "variable", "value"])


def test_wide_and_long_layouts_give_the_same_summary():
    samples = pd.DataFrame({"sample_id": ["x"], "subject_id": ["p1"], "arm": ["a"]})
    kw = {"variables": ["crp", "saa"], "visits": ["D1", "M3"], "baseline": "D1"}
    wide_summary, _ = lab_analysis(WIDE, samples=None, **kw)
    long_table = _long(WIDE)  # no arm column: the group comes from the sample sheet
    samples = pd.DataFrame(
        {"sample_id": list("abcd"), "subject_id": ["p1", "p2", "p3", "p4"], "arm": ["a"] * 4}
    )
    long_summary, values = lab_analysis(long_table, samples=samples, **kw)
    pd.testing.assert_frame_equal(wide_summary, long_summary)
    crp = wide_summary[wide_summary["variable"] == "crp"].set_index("visit")
    # D1 crp 10, 20, 30, 40: type-7 quartiles 17.5, 25, 32.5 (by hand: 1 + 0.25 * 3 = 1.75th)
    assert crp.loc["D1", ["n", "median", "q1", "q3"]].tolist() == [4, 25.0, 17.5, 32.5]
    assert crp.loc["D1", "median_iqr"] == "25 (17.5-32.5)"
    # M3: p3 missing -> 3 pairs, all falling: V = 0; exact p = 2 * (1 / 2^3) = 0.25
    assert crp.loc["M3", ["n_pairs", "statistic", "p_value", "method"]].tolist() == [
        3,
        0.0,
        0.25,
        "exact",
    ]
    assert pd.isna(crp.loc["D1", "n_pairs"])
    assert set(values["group"]) == {"a"}


def test_non_positive_value_on_a_log_axis_is_one_error():
    bad = WIDE.copy()
    bad.loc[3, "crp"] = "0"
    with pytest.raises(InputError, match=r"crp = 0 for subject p2 at M3.*labs.log_scale"):
        lab_analysis(
            bad,
            samples=None,
            variables=["crp"],
            visits=["D1", "M3"],
            baseline="D1",
            log_scale=["crp"],
        )
    # the same value on a linear axis is fine
    lab_analysis(
        bad, samples=None, variables=["crp"], visits=["D1", "M3"], baseline="D1", log_scale=[]
    )


def test_bad_tables_are_one_error():
    with pytest.raises(InputError, match="missing column.*ferritin"):
        lab_long(WIDE, variables=["crp", "ferritin"])
    dup = pd.concat([WIDE, WIDE.iloc[[0]]])
    with pytest.raises(InputError, match="more than one row for subject_id='p1', visit='D1'"):
        lab_long(dup, variables=["crp"])
    text = WIDE.copy()
    text.loc[2, "saa"] = "n.d."
    with pytest.raises(InputError, match=r"row 3, column saa: 'n.d.' is not a number"):
        lab_long(text, variables=["saa"])
    with pytest.raises(InputError, match=r"no value at visit\(s\) M6"):
        lab_analysis(WIDE, samples=None, variables=["crp"], visits=["D1", "M6"], baseline="D1")
    with pytest.raises(InputError, match="labs.baseline 'M1' is not one of"):
        lab_analysis(WIDE, samples=None, variables=["crp"], visits=["D1", "M3"], baseline="M1")


def test_extra_visits_are_a_stated_warning(caplog):
    extra = pd.concat([WIDE, WIDE.iloc[[0]].assign(visit="M12")])
    with caplog.at_level("WARNING", logger="modmap.longitudinal"):
        lab_analysis(
            extra,
            samples=None,
            variables=["crp"],
            visits=["D1", "M3"],
            baseline="D1",
            group_by=None,
        )
    assert "values at visit(s) M12 are not in labs.visits and are ignored" in caplog.text


def test_trajectory_figure_from_its_objects():
    summary, values = lab_analysis(
        WIDE, samples=None, variables=["crp"], visits=["D1", "M3"], baseline="D1"
    )
    fig = plot_trajectories(values, summary, variable="crp", visits=["D1", "M3"], log_scale=True)
    ax = fig.axes[0]
    lines = {ln.get_gid(): ln for ln in ax.lines}
    assert set(lines) == {"p1", "p2", "p3", "p4", "median"}
    assert list(lines["p2"].get_ydata()) == [20.0, 4.0]
    assert list(lines["median"].get_ydata()) == [25.0, 2.0]
    assert lines["median"].get_linewidth() > lines["p1"].get_linewidth()
    assert ax.get_yscale() == "log"
    assert np.array_equal(lines["p3"].get_xdata(), [0])  # p3 has no M3 value
    bad = values.copy()
    bad.loc[0, "value"] = -1.0
    with pytest.raises(InputError, match="cannot be drawn on a log axis"):
        plot_trajectories(bad, summary, variable="crp", visits=["D1", "M3"], log_scale=True)
