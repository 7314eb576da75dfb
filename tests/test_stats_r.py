"""R parity: statistics and p-values against R 4.2.2 output (tests/data/r_wilcox.tsv)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from modmap.stats import mann_whitney, paired_t, signed_rank, welch

GOLDEN = pd.read_csv(
    Path(__file__).parent / "data" / "r_wilcox.tsv", sep="\t", comment="#", dtype={"case": str}
)


def _values(text: str) -> np.ndarray:
    return np.array([np.nan if v == "NA" else float(v) for v in text.split(",")])


@pytest.mark.parametrize("row", GOLDEN.to_dict("records"), ids=list(GOLDEN["case"]))
def test_matches_r(row):
    x = _values(row["x"])[None, :]
    y = _values(row["y"])[None, :]
    paired = bool(row["paired"])
    res = (signed_rank if paired else mann_whitney)(x, y).iloc[0]
    assert res["statistic"] == pytest.approx(row["statistic"], abs=1e-9)
    assert res["p_value"] == pytest.approx(row["p_value"], rel=1e-9, abs=1e-300)
    assert res["method"] == ("exact" if "exact" in row["method"] else "asymptotic")
    tres = (paired_t if paired else welch)(x, y).iloc[0]
    assert tres["statistic"] == pytest.approx(row["t_statistic"], rel=1e-9)
    assert tres["p_value"] == pytest.approx(row["t_p_value"], rel=1e-7)


def test_golden_table_covers_both_regimes():
    # The table must exercise the switch: exact and asymptotic rows, paired and unpaired.
    kinds = set(zip(GOLDEN["paired"], GOLDEN["method"].str.contains("exact"), strict=True))
    assert kinds == {(False, True), (False, False), (True, True), (True, False)}
