"""modmap.plots.dendrogram against scipy.cluster.hierarchy (the oracle) and a hand-worked UPGMA."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy.cluster.hierarchy import dendrogram, leaves_list, linkage
from scipy.spatial.distance import squareform

from modmap.plots.dendrogram import (
    average_linkage,
    dendrogram_links,
    draw_dendrogram,
    leaf_order,
)


def _correlation_distances(rng, n: int, m: int = 12) -> np.ndarray:
    # what cluster_rows feeds it: 1 - Pearson correlation of genes, clipped, zero diagonal
    x = rng.normal(size=(n, m))
    d = np.clip(1.0 - np.corrcoef(x), 0.0, 2.0)
    np.fill_diagonal(d, 0.0)
    return (d + d.T) / 2


def _tied_distances(rng, n: int) -> np.ndarray:
    # few distinct values: many equal distances, so the tie-breaking decides the merges
    d = rng.integers(1, 4, size=(n, n)).astype(float)
    d = np.triu(d, 1)
    return d + d.T


def test_upgma_by_hand():
    # a, b at 2; c at 6 from both; d at 10 from all: merge a+b at 2, then c at
    # (6 + 6) / 2 = 6, then d at 10; scipy labels the clusters 4, 5
    d = np.array([[0, 2, 6, 10], [2, 0, 6, 10], [6, 6, 0, 10], [10, 10, 10, 0]], dtype=float)
    z = average_linkage(d)
    assert z.tolist() == [[0, 1, 2, 2], [2, 4, 6, 3], [3, 5, 10, 4]]
    assert leaf_order(z).tolist() == [3, 2, 0, 1]
    # a mean of unequal distances: c is 4 from a and 8 from b -> 6 from {a, b}
    d[2, 0] = d[0, 2] = 4
    d[2, 1] = d[1, 2] = 8
    assert average_linkage(d)[1, 2] == 6.0


@pytest.mark.parametrize("n", [2, 3, 5, 17, 50, 120])
@pytest.mark.parametrize("kind", ["correlation", "ties"])
def test_linkage_and_leaves_equal_scipy_bit_for_bit(n, kind):
    rng = np.random.default_rng(n + (0 if kind == "ties" else 1000))
    for _ in range(5):
        d = _correlation_distances(rng, n) if kind == "correlation" else _tied_distances(rng, n)
        expected = linkage(squareform(d, checks=False), method="average")
        z = average_linkage(d)
        assert z.dtype == expected.dtype and z.shape == expected.shape
        assert np.array_equal(z, expected), (n, kind)  # heights bit for bit, labels, sizes
        assert np.array_equal(leaf_order(z), leaves_list(expected))
        info = dendrogram(expected, no_plot=True, color_threshold=0)
        icoord, dcoord = dendrogram_links(z)
        assert icoord == info["icoord"] and dcoord == info["dcoord"]


def test_only_the_upper_triangle_is_read():
    rng = np.random.default_rng(3)
    d = _correlation_distances(rng, 9)
    skewed = np.triu(d, 1) + np.tril(rng.uniform(size=d.shape), -1)
    assert np.array_equal(average_linkage(skewed), average_linkage(d))


@pytest.mark.parametrize(
    "bad", [np.zeros((1, 1)), np.zeros((2, 3)), np.array([[0, np.nan], [1, 0]])]
)
def test_bad_distances_are_refused(bad):
    with pytest.raises(ValueError, match="distances must"):
        average_linkage(bad)


def _figure_bytes(draw, fmt: str) -> bytes:
    fig = Figure(figsize=(2, 4))
    ax = fig.add_subplot()
    draw(ax)
    ax.set_ylim(10 * 23, 0)
    ax.axis("off")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Creator": "t", "Date": None} if fmt == "svg" else {})
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_drawn_dendrogram_is_scipy_s_drawing(fmt):
    rng = np.random.default_rng(11)
    z = average_linkage(_correlation_distances(rng, 23))

    def ours(ax):
        draw_dendrogram(ax, z, colour="#333333")

    def scipys(ax):
        dendrogram(
            z,
            orientation="left",
            ax=ax,
            no_labels=True,
            color_threshold=0,
            above_threshold_color="#333333",
        )

    import matplotlib as mpl

    with mpl.rc_context({"svg.hashsalt": "t"}):
        assert _figure_bytes(ours, fmt) == _figure_bytes(scipys, fmt)
