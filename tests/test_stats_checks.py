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


def test_any_layout_gives_the_evidence_of_the_finite_values():
    """Counts against a direct computation on the finite values, in C and column-major layouts
    (the reader makes column-major matrices), with missing and infinite cells ignored."""
    rng = np.random.default_rng(1)
    m = 2 ** rng.normal(5, 2, (3000, 7))
    m[::13, 2] = np.nan
    m[5, 3], m[9, 1] = np.inf, -np.inf
    finite = m[np.isfinite(m)]
    expected = (
        f"maximum {finite.max():.4g} (log2 values rarely exceed 30), "
        f"{100 * np.mean(finite > 100):.1f}% of {finite.size} values are above 100, median "
        f"{np.median(finite):.4g}"
    )
    assert looks_unlogged(m) == expected
    assert looks_unlogged(np.asfortranarray(m)) == expected
    assert looks_unlogged(m[:, 1:5]) == looks_unlogged(np.asfortranarray(m)[:, 1:5])
