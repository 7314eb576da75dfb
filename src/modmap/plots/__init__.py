"""Figures: module maps, module x comparison dot matrices and module heatmaps.

Plot functions take tables (:class:`pandas.DataFrame`) and keyword options, draw into a new or
given figure and return it; they never read files, and they only draw: which modules changed is
decided in
:mod:`modmap.stats.changed`, which samples are shown in :mod:`modmap.design`.
:func:`save_figure` writes PDF/PNG/SVG.

The names below load their submodule on first use (:mod:`modmap._lazy`): matplotlib and scipy
are imported by the figure jobs only, not by a job that writes an HTML table (:mod:`.tables`).
"""

from modmap._lazy import lazy_exports

_EXPORTS = {
    "grid_layout": "modmap.plots.layout",
    "normalise_to_reference": "modmap.plots.heatmap",
    "plot_heatmap": "modmap.plots.heatmap",
    "plot_module_dots": "modmap.plots.module_dots",
    "plot_module_heatmap": "modmap.plots.heatmap",
    "plot_module_map": "modmap.plots.module_map",
    "prepare_heatmap": "modmap.plots.heatmap",
    "save_figure": "modmap.plots._base",
}

__all__ = list(_EXPORTS)

lazy_exports(__name__, _EXPORTS)
