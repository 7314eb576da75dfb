"""Average-linkage clustering of a heatmap's rows and its dendrogram, without scipy.

The heatmap job clusters at most a few hundred genes; importing :mod:`scipy.cluster` for it
costs about 0.3 s of the job's start-up (it pulls in :mod:`scipy.spatial` and
:mod:`scipy.special`), more than the clustering itself. This module gives the same results as
``scipy.cluster.hierarchy`` for what the heatmap uses, value for value and line for line
(``tests/test_plots_dendrogram.py`` checks them against scipy):

- :func:`average_linkage` is ``linkage(squareform(d), method="average")``: UPGMA by the
  nearest-neighbour chain algorithm, with scipy's tie-breaking, distance update and order of
  merges (the linkage matrix sorted by height, stable, and relabelled as scipy labels it);
- :func:`leaf_order` is ``leaves_list``;
- :func:`draw_dendrogram` draws what ``dendrogram(z, orientation="left", no_labels=True,
  color_threshold=0, above_threshold_color=colour, ax=ax)`` draws: one line collection of the
  U-shaped links, leaves 10 units apart, heights on a reversed x axis up to 1.05 x the root.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection


def average_linkage(distances: np.ndarray) -> np.ndarray:
    """UPGMA (average-linkage) hierarchical clustering, as scipy's ``method="average"``.

    Parameters
    ----------
    distances
        Symmetric ``n x n`` matrix of finite dissimilarities (``n >= 2``); only the upper
        triangle is read, as ``scipy.spatial.distance.squareform`` reads it.

    Returns
    -------
    numpy.ndarray
        The ``(n - 1) x 4`` linkage matrix in scipy's convention: row ``k`` merges clusters
        ``z[k, 0] < z[k, 1]`` (``0..n-1`` the rows, ``n + j`` the cluster of row ``j``) at height
        ``z[k, 2]`` (the mean distance between their members) into ``z[k, 3]`` members; rows
        sorted by height.
    """
    d = np.asarray(distances, dtype=float)
    n = d.shape[0]
    if d.ndim != 2 or d.shape != (n, n) or n < 2:
        raise ValueError(f"distances must be a square matrix of at least 2 rows, got {d.shape}")
    upper = np.triu(d, 1)
    dist = upper + upper.T  # the upper triangle, mirrored (what the condensed form holds)
    if not np.isfinite(dist).all():
        raise ValueError("distances must be finite")
    size = np.ones(n, dtype=np.int64)
    z = np.empty((n - 1, 4))
    chain: list[int] = []
    y = 0
    for k in range(n - 1):
        if not chain:
            chain.append(int(np.flatnonzero(size > 0)[0]))
        # follow nearest neighbours until two clusters are each other's nearest
        while True:
            x = chain[-1]
            if len(chain) > 1:
                y = chain[-2]
                current = dist[x, y]  # prefer the previous element of the chain on ties
            else:
                current = np.inf
            row = np.where((size > 0) & (np.arange(n) != x), dist[x], np.inf)
            i = int(np.argmin(row))  # the first of equal minima, as scipy's scan
            if row[i] < current:
                current, y = row[i], i
            if len(chain) > 1 and y == chain[-2]:
                break
            chain.append(y)
        del chain[-2:]
        x, y = min(x, y), max(x, y)
        nx, ny = int(size[x]), int(size[y])
        z[k] = (x, y, current, nx + ny)
        size[x] = 0  # x is dropped, y becomes the merged cluster
        size[y] = nx + ny
        others = (size > 0) & (np.arange(n) != y)
        # the average linkage update, operation for operation as scipy's _average
        new = (nx * dist[others, x] + ny * dist[others, y]) / (nx + ny)
        dist[others, y] = new
        dist[y, others] = new
    z = z[np.argsort(z[:, 2], kind="mergesort")]
    _relabel(z, n)
    return z


def _relabel(z: np.ndarray, n: int) -> None:
    """Rename the merged clusters of ``z`` (sorted by height) as scipy's ``label`` does."""
    parent = np.arange(2 * n - 1)
    size = np.ones(2 * n - 1, dtype=np.int64)

    def find(a: int) -> int:
        root = a
        while parent[root] != root:
            root = parent[root]
        while parent[a] != root:  # path compression
            parent[a], a = root, parent[a]
        return root

    for k in range(n - 1):
        a, b = find(int(z[k, 0])), find(int(z[k, 1]))
        z[k, 0], z[k, 1] = min(a, b), max(a, b)
        label = n + k
        parent[a] = parent[b] = label
        size[label] = size[a] + size[b]
        z[k, 3] = size[label]


def leaf_order(z: np.ndarray) -> np.ndarray:
    """Rows in the order of the dendrogram's leaves (scipy's ``leaves_list``): left child first."""
    n = z.shape[0] + 1
    out: list[int] = []
    stack = [2 * n - 2]
    while stack:
        node = stack.pop()
        if node < n:
            out.append(node)
        else:
            left, right = int(z[node - n, 0]), int(z[node - n, 1])
            stack.extend((right, left))
    return np.asarray(out, dtype=np.int32)


def dendrogram_links(z: np.ndarray) -> tuple[list[list[float]], list[list[float]]]:
    """The U-shaped links of the dendrogram of ``z``, as scipy's ``dendrogram`` computes them.

    Returns ``(icoord, dcoord)``: per link, the leaf-axis positions (leaves at 5, 15, 25, ...)
    and the heights of its four points, in scipy's order (children before parents, left first).
    """
    n = z.shape[0] + 1
    icoord: list[list[float]] = []
    dcoord: list[list[float]] = []

    def walk(node: int, iv: float) -> tuple[float, float, float]:
        # (centre on the leaf axis, width used, height) of the subtree, as scipy's
        # _dendrogram_calculate_info without truncation or sorting
        if node < n:
            return iv + 5.0, 10.0, 0.0
        left, right = int(z[node - n, 0]), int(z[node - n, 1])
        a_centre, a_width, a_height = walk(left, iv)
        height = z[node - n, 2]
        b_centre, b_width, b_height = walk(right, iv + a_width)
        icoord.append([a_centre, a_centre, b_centre, b_centre])
        dcoord.append([a_height, height, height, b_height])
        return (a_centre + b_centre) / 2, a_width + b_width, height

    walk(2 * n - 2, 0.0)
    return icoord, dcoord


def draw_dendrogram(ax: Axes, z: np.ndarray, *, colour: str) -> Axes:
    """Draw the dendrogram of ``z`` into ``ax``, root on the left, leaves on the right.

    What ``scipy.cluster.hierarchy.dendrogram(z, orientation="left", no_labels=True,
    color_threshold=0, above_threshold_color=colour, ax=ax)`` draws: the links as one
    :class:`~matplotlib.collections.LineCollection` in ``colour``, leaf ``i`` (in
    :func:`leaf_order`) at ``y = 10 i + 5`` on ``0..10 n``, heights on ``x`` from 1.05 x the
    root's height (left) to 0 (right), no ticks. Returns ``ax``.
    """
    n = z.shape[0] + 1
    icoord, dcoord = dendrogram_links(z)
    top = np.max(z[:, 2])
    ax.set_xlim([top + top * 0.05, 0])
    ax.set_ylim([0, n * 10])
    ax.set_yticks([])
    ax.set_yticklabels([])
    lines = [list(zip(d, i, strict=True)) for d, i in zip(dcoord, icoord, strict=True)]
    ax.add_collection(LineCollection(lines, colors=(colour,)))
    return ax
