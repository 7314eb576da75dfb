"""Core signature and its normalisation, on score tables whose answer is counted by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

from modmap.errors import InputError
from modmap.longitudinal import signature_tables
from modmap.longitudinal.options import check_longitudinal, signature_run
from modmap.plots.signature import plot_signature_grid, status_colour


def _scores(spots: dict[str, dict[str, tuple[float, float] | None]]) -> pd.DataFrame:
    """comparison -> module -> (pct_up, pct_down), None = not tested (n_genes 0)."""
    rows = []
    for comp, mods in spots.items():
        for mod, pct in mods.items():
            up, down = pct if pct is not None else (np.nan, np.nan)
            rows.append(
                {
                    "comparison": comp,
                    "module_id": mod,
                    "title": f"title {mod}",
                    "n_genes": 0 if pct is None else 20,
                    "n_up": 0,
                    "n_down": 0,
                    "pct_up": up,
                    "pct_down": down,
                    "pct_net": up - down,
                }
            )
    return pd.DataFrame(rows)


# Planted: M1..M4 changed in both D1 comparisons (M1, M2 up; M3, M4 down); M5 only in one arm;
# M6 up in one arm, down in the other (not core). In "resp": M1 normalised (10 % < 15), M2 still
# up (40 %), M3 reversed (up 30 %), M4 not tested. In "nonresp": all still altered, except M4
# exactly at the threshold (15 %: still altered, >= rule) -> 0/4 normalised.
SCORES = _scores(
    {
        "a_D1": {
            "M1": (50, 0),
            "M2": (30, 5),
            "M3": (0, 60),
            "M4": (2, 20),
            "M5": (40, 0),
            "M6": (20, 0),
        },
        "p_D1": {
            "M1": (45, 0),
            "M2": (25, 0),
            "M3": (0, 40),
            "M4": (0, 16),
            "M5": (5, 0),
            "M6": (0, 20),
        },
        "resp": {
            "M1": (10, 0),
            "M2": (40, 0),
            "M3": (30, 0),
            "M4": None,
            "M5": (0, 0),
            "M6": (0, 0),
        },
        "nonresp": {
            "M1": (50, 0),
            "M2": (35, 0),
            "M3": (0, 50),
            "M4": (0, 15),
            "M5": (0, 0),
            "M6": (0, 0),
        },
    }
)


def _run(follow, **kw):
    opts = {"value": "dominant", "core_threshold": 15.0, "threshold": 15.0, **kw}
    return signature_tables(SCORES, core_comparisons=["a_D1", "p_D1"], follow=follow, **opts)


def test_core_signature_and_statuses_counted_by_hand():
    core, status, counts = _run([("resp", "a_D1"), ("nonresp", "a_D1")])
    assert list(dict.fromkeys(core["module_id"])) == ["M1", "M2", "M3", "M4"]
    assert core.drop_duplicates("module_id")["direction"].tolist() == ["up", "up", "down", "down"]
    assert core.set_index(["module_id", "comparison"]).loc[("M3", "p_D1"), "value"] == -40
    got = status.set_index(["comparison", "module_id"])["status"]
    assert got["resp"].to_dict() == {
        "M1": "normalised",
        "M2": "still_altered",
        "M3": "reversed",
        "M4": "not_tested",
    }
    assert set(got["nonresp"]) == {"still_altered"}
    row = status[(status["comparison"] == "resp") & (status["module_id"] == "M2")].iloc[0]
    assert (row["baseline"], row["baseline_value"], row["value"]) == ("a_D1", 30, 40)
    c = counts.set_index("comparison")
    assert c.loc[
        "resp", ["n_core", "n_normalised", "n_still_altered", "n_reversed", "n_not_tested"]
    ].tolist() == [4, 1, 1, 1, 1]
    assert c.loc["resp", "summary"] == ("1/4 normalised, 1 still altered, 1 reversed, 1 not tested")
    assert c.loc["nonresp", "summary"] == "0/4 normalised, 4 still altered, 0 reversed"


def test_own_threshold_for_the_status():
    # at 45 %: M2 (40 %) and M3 reversed (30 %) count as normalised in resp
    _, status, counts = _run([("resp", "p_D1")], threshold=45.0)
    got = status.set_index("module_id")["status"].to_dict()
    assert got == {"M1": "normalised", "M2": "normalised", "M3": "normalised", "M4": "not_tested"}
    assert status["baseline_value"].tolist() == [45, 25, -40, -16]
    assert counts["n_normalised"].iloc[0] == 3


def test_followed_comparison_that_does_not_exist_is_one_error():
    with pytest.raises(InputError, match=r"follows 'resp_M6'.*not a comparison of scores.tsv"):
        _run([("resp_M6", "a_D1")])
    with pytest.raises(InputError, match="uses as baseline 'D0'"):
        _run([("resp", "D0")])


def test_empty_core_signature_is_a_stated_warning_and_zero_counts(caplog):
    with caplog.at_level("WARNING", logger="modmap.longitudinal"):
        core, status, counts = signature_tables(
            SCORES,
            core_comparisons=["a_D1", "p_D1"],
            follow=[("resp", "a_D1")],
            core_threshold=99.0,
            threshold=99.0,
        )
    assert "the core signature is empty, so every count is 0/0" in caplog.text
    assert core.empty and status.empty
    assert counts[["n_core", "n_normalised"]].iloc[0].tolist() == [0, 0]


def _config(**signature):
    return {
        "comparisons": [{"name": n} for n in ("a_D1", "p_D1", "resp", "nonresp")],
        "module_map": {
            "core_signature": ["a_D1", "p_D1"],
            "value": "dominant",
            "min_pct": 20,
            "changed_pct": 15,
        },
        "signature": signature,
    }


def test_config_checks_and_parameters():
    cfg = _config(follow=["resp", {"comparison": "nonresp", "baseline": "p_D1"}])
    check_longitudinal(cfg)
    run = signature_run(cfg)
    assert run["follow"] == [["resp", "a_D1"], ["nonresp", "p_D1"]]
    assert run["core_threshold"] == run["threshold"] == 20.0  # max(min_pct, changed_pct)
    assert signature_run(_config(follow=["resp"], changed_pct=30))["threshold"] == 30.0
    with pytest.raises(InputError, match=r"signature.follow names 'resp_M6'"):
        check_longitudinal(_config(follow=["resp_M6"]))
    with pytest.raises(InputError, match="baseline names 'x'"):
        check_longitudinal(_config(follow=["resp"], baseline="x"))
    empty_core = _config(follow=["resp"])
    empty_core["module_map"]["core_signature"] = []
    with pytest.raises(InputError, match="core_signature is empty"):
        check_longitudinal(empty_core)


def test_grid_drawn_from_the_status_table():
    _, status, counts = _run([("resp", "a_D1"), ("nonresp", "a_D1")])
    fig = plot_signature_grid(status, counts, labels={"resp": "Responders M6"})
    ax = fig.axes[0]
    cells = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    assert len(cells) == 8
    for row in status.itertuples(index=False):
        patch = cells[f"{row.module_id}|{row.comparison}|{row.status}"]
        want = status_colour(row.status, row.direction)
        assert patch.get_facecolor()[:3] == pytest.approx(to_rgb(want))
    headers = [t.get_text() for t in ax.get_xticklabels()]
    assert headers == ["Responders M6\n1/4 normalised", "nonresp\n0/4 normalised"]
    texts = {t.get_text() for t in ax.texts}
    assert {"+10", "+40", "+30", "+50", "-15"} <= texts  # signed spot values in the cells
