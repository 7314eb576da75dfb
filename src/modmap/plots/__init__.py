"""Figures: module maps, module x comparison dot matrices and module heatmaps.

Plot functions take tables (:class:`pandas.DataFrame`) and keyword options, draw into a new or
given figure and return it; they never read files, and they only draw: which modules changed is
decided in
:mod:`modmap.stats.changed`, which samples are shown in :mod:`modmap.design`.
:func:`save_figure` writes PDF/PNG/SVG.
"""

from modmap.plots._base import save_figure
from modmap.plots.heatmap import (
    normalise_to_reference,
    plot_heatmap,
    plot_module_heatmap,
    prepare_heatmap,
)
from modmap.plots.layout import grid_layout
from modmap.plots.module_dots import plot_module_dots
from modmap.plots.module_map import plot_module_map

__all__ = [
    "normalise_to_reference",
    "plot_heatmap",
    "plot_module_dots",
    "plot_module_heatmap",
    "prepare_heatmap",
    "grid_layout",
    "plot_module_map",
    "save_figure",
]
