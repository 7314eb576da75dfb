"""looks_unlogged: flags linear intensities, passes log2 data."""

from __future__ import annotations

import numpy as np

from modmap.stats.checks import looks_unlogged


def test_log2_matrix_passes():
    rng = np.random.default_rng(0)
    m = rng.normal(8, 2, (200, 10)).clip(0, 16)
    m[0, 0] = np.nan
    assert looks_unlogged(m) is None


def test_linear_intensities_flagged_with_evidence():
    rng = np.random.default_rng(0)
    m = 2 ** rng.normal(8, 2, (200, 10))
    text = looks_unlogged(m)
    assert text is not None
    assert f"{m.max():.4g}" in text and "% of 2000 values are above 100" in text


def test_a_few_high_values_or_one_huge_value():
    m = np.full((100, 10), 7.0)
    m[0, :5] = 150.0  # 0.5% above 100, max 150 > 30: flagged by the maximum
    assert looks_unlogged(m) is not None
    m = np.full((100, 10), 7.0)
    m[0, 0] = 25.0  # below both limits
    assert looks_unlogged(m) is None
    assert looks_unlogged(np.full((3, 3), np.nan)) is None
