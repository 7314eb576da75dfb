"""Kaplan-Meier by hand (product-limit written in the test), bad input, the figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import imported_after
from longitudinal_synthetic import withdrawal_table as synthetic

from modmap.errors import InputError
from modmap.longitudinal import time_to_flare, withdrawal_table
from modmap.plots.survival import plot_kaplan_meier


def test_product_limit_and_median_by_hand():
    curve, median = time_to_flare(synthetic().astype(str))
    t = synthetic()["days_to_flare"].to_numpy(float)
    e = synthetic()["flared"].to_numpy(bool)
    s, want = 1.0, []
    for x in np.unique(t):  # textbook product-limit
        s *= 1 - ((t == x) & e).sum() / (t >= x).sum()
        want.append(s)
    assert curve["survival"].to_numpy() == pytest.approx(want, rel=1e-12)
    assert curve["survival"].tolist()[:4] == pytest.approx([0.9, 0.7, 0.6, 0.5])
    assert median.iloc[0].tolist() == [10, 8, 2, 6.0]  # plateau 0.5 from 5 to 7 -> 6


def test_bad_withdrawal_tables_are_one_error():
    table = synthetic().astype(str)
    bad = table.copy()
    bad.loc[2, "flared"] = "yes"
    with pytest.raises(InputError, match=r"row 3, column flared: 'yes'.*write 1"):
        withdrawal_table(bad)
    bad = table.copy()
    bad.loc[0, "days_to_flare"] = "-2"
    with pytest.raises(InputError, match="row 1, column days_to_flare: '-2'"):
        withdrawal_table(bad)
    with pytest.raises(InputError, match="more than one row for subject_id='W01'"):
        withdrawal_table(pd.concat([table, table.iloc[[0]]]))
    with pytest.raises(InputError, match="missing column.*flared"):
        withdrawal_table(table.drop(columns="flared"))


def test_no_flare_at_all_median_not_reached():
    table = pd.DataFrame(
        {"subject_id": ["a", "b"], "days_to_flare": ["5", "9"], "flared": ["0", "0"]}
    )
    curve, median = time_to_flare(table)
    assert curve["survival"].tolist() == [1.0, 1.0]
    assert np.isnan(median["median_days"].iloc[0])


def test_figure_from_its_objects():
    curve, median = time_to_flare(synthetic().astype(str))
    fig = plot_kaplan_meier(curve, median=float(median["median_days"].iloc[0]))
    ax = fig.axes[0]
    lines = {ln.get_gid(): ln for ln in ax.lines}
    km = lines["km"]
    assert km.get_xdata()[0] == 0 and km.get_ydata()[0] == 1.0
    assert list(lines["censored"].get_xdata()) == [6, 14]
    assert list(lines["median"].get_xdata()) == [0, 6.0, 6.0]
    assert "median 6 days" in ax.get_title()
    fig = plot_kaplan_meier(curve, median=float("nan"))
    assert "not reached" in fig.axes[0].get_title()
    assert "median" not in {ln.get_gid() for ln in fig.axes[0].lines}


def test_product_limit_is_bit_identical_to_scipy_ecdf_and_avoids_scipy_stats():
    """SciPy's Kaplan-Meier estimator (the former code path, an independent implementation) gives
    the very same bits on random times with ties and censoring; the module imports no scipy.stats.
    """

    from scipy.stats import CensoredData, ecdf

    from modmap.longitudinal.survival import kaplan_meier

    rng = np.random.default_rng(11)
    for size in (1, 5, 40, 300):
        t = rng.integers(1, 30, size).astype(float)
        e = rng.random(size) < 0.7
        e[0] = True
        curve = kaplan_meier(pd.DataFrame({"days_to_flare": t, "flared": e.astype(int)}))
        want = ecdf(CensoredData(uncensored=t[e], right=t[~e])).sf.evaluate(curve["time"])
        assert curve["survival"].to_numpy().tobytes() == np.asarray(want).tobytes()
    assert imported_after("import modmap.longitudinal.survival", ["scipy.stats"]) == []
