"""Shared helpers for modmap figures: style, colour maps, figure saving.

Every plot function of :mod:`modmap.plots` takes tables and keyword options, returns a
:class:`matplotlib.figure.Figure` and never reads files. Saving is the only I/O here
(:func:`save_figure`), used by the workflow scripts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import LinearSegmentedColormap, ListedColormap
from matplotlib.figure import Figure, SubFigure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch

from modmap.io import atomic_path

#: Red for "up" (higher in cases than in controls) and blue for "down"; ColorBrewer RdBu ends.
RED = "#b2182b"
BLUE = "#2166ac"
#: Grey used for modules that were not tested or were dropped by the bridge.
NOT_TESTED = "#bdbdbd"
#: Very light grey for the outline of empty spots (no gene changed, or below ``min_pct``).
EMPTY_EDGE = "#d9d9d9"

#: Diverging blue - white - red map: -1 (all genes down) .. 0 .. +1 (all genes up).
DIVERGING = LinearSegmentedColormap.from_list(
    "modmap_diverging",
    [BLUE, "#4393c3", "#92c5de", "#d1e5f0", "#ffffff", "#fddbc7", "#f4a582", "#d6604d", RED],
)

#: Colours of sample groups (heatmaps, fingerprints): grey first (the reference), then the
#: Okabe-Ito palette.
GROUP_COLOURS = (
    "#7f7f7f",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
    "#a6761d",
)

#: Salt of the SVG element IDs (``rcParams["svg.hashsalt"]``): fixed, for reproducible bytes.
SVG_HASHSALT = "modmap"

#: Base rcParams for legible figures at print size (fonts in points).
STYLE: dict[str, object] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "pdf.fonttype": 42,  # TrueType in PDF: text stays editable
    "svg.fonttype": "none",
    "savefig.dpi": 200,
    # Labels are user text (comparison labels, module titles, gene symbols): draw them as plain
    # text, so a "$" never starts matplotlib mathtext (an unbalanced "$x^{$" would crash it).
    "text.parse_math": False,
}


@contextmanager
def style() -> Iterator[None]:
    """Context manager applying :data:`STYLE` (restored on exit)."""
    with mpl.rc_context(STYLE):
        yield


def new_figure(width: float, height: float) -> Figure:
    """Create a figure of ``width`` x ``height`` inches with constrained layout.

    The figure is not attached to pyplot, so it is garbage collected normally and works with
    any backend (including ``Agg`` in headless jobs).
    """
    return Figure(figsize=(width, height), layout="constrained")


def text_width(texts: Iterable[str], *, size: float, weight: str = "normal") -> float:
    """Width in inches of the widest of ``texts`` (one line each) at ``size`` points.

    Measured with the Agg renderer in the font of :data:`STYLE`, so figure sizes can make room
    for labels instead of guessing from the number of characters. Empty input: 0.
    """
    renderer = RendererAgg(10, 10, 72)  # at 72 dpi, pixels are points
    with mpl.rc_context(STYLE):
        prop = FontProperties(size=size, weight=weight)
        widest = max(
            (
                renderer.get_text_width_height_descent(line, prop, ismath=False)[0]
                for text in texts
                for line in str(text).split("\n")
            ),
            default=0.0,
        )
    return widest / 72.0


def group_bar(ax: Axes, codes: np.ndarray, colours: Sequence[str]) -> None:
    """Draw the coloured sample-group bar above a samples x something image.

    Parameters
    ----------
    ax
        The (thin) axes above the image, sharing its x axis.
    codes
        Group index of each column (0-based, into ``colours``), in column order.
    colours
        Colour of each group, in group order.

    The bar is an image with ``gid="groups"`` holding ``codes`` as one row; the axes get no
    ticks, tick labels or spines.
    """
    ax.imshow(
        np.asarray(codes)[None, :],
        aspect="auto",
        cmap=ListedColormap(list(colours)),
        vmin=-0.5,
        vmax=len(colours) - 0.5,
        interpolation="nearest",
        gid="groups",
    )
    ax.set_yticks([])
    ax.tick_params(labelbottom=False, length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def group_legend(fig: Figure | SubFigure, colours: Mapping[str, str], labels: Mapping[str, str]):
    """Legend of the sample groups below the figure: one coloured box per group.

    ``colours`` maps each group (in legend order) to its colour, ``labels`` each group to its
    text (user strings: drawn as plain text, :data:`STYLE`). At most 4 entries a row.
    """
    handles = [Patch(facecolor=colour, label=labels[g]) for g, colour in colours.items()]
    return fig.legend(handles=handles, loc="outside lower center", ncol=min(4, len(handles)))


#: Longest side of a raster output in pixels: larger figures (a module map of 50 comparisons)
#: are written at a lower dpi so the PNG and the report stay light.
MAX_PNG_PIXELS = 6000


def save_figure(
    fig: Figure,
    *paths: str | os.PathLike,
    dpi: int = 200,
    max_pixels: int = MAX_PNG_PIXELS,
    layout_once: bool = False,
) -> None:
    """Save ``fig`` to each of ``paths`` atomically; the format comes from each suffix.

    Parameters
    ----------
    fig
        The figure to write.
    *paths
        Destinations such as ``module_map.pdf``, ``module_map.png``, ``module_map.svg``.
    dpi
        Resolution of raster outputs (PNG), dots per inch (default 200), lowered when the figure
        would exceed ``max_pixels``.
    max_pixels
        Longest side of a raster output, pixels (default :data:`MAX_PNG_PIXELS`).
    layout_once
        Run the layout engine (constrained layout) once, at the output dpi and without drawing
        any artist, and keep its result for every path, instead of once per path: each path is
        then drawn once (with a layout
        engine, matplotlib draws the figure once more before every save). For figures of many
        axes (a module map of 50 comparisons) and the workflow's figure jobs; the layout is
        computed at the PNG dpi, so a PDF's positions may differ from a per-path layout by a
        fraction of a pixel. Default False: each path is then laid out as ``savefig`` lays it
        out (the format's renderer and dpi, :func:`_layout_for_format`) and drawn once, the
        same bytes as ``savefig`` without its extra pass over every artist.
    """
    longest = max(fig.get_size_inches())
    dpi = min(dpi, max(10, int(max_pixels / longest))) if longest > 0 else dpi
    if layout_once and fig.get_layout_engine() is not None:
        with mpl.rc_context({"text.parse_math": False}):
            original = fig.dpi
            fig.set_dpi(dpi)
            # The engine alone (text extents, no artist drawn): what a draw runs first.
            fig.get_layout_engine().execute(fig)
            fig.set_dpi(original)
        # No engine at all (not "none", whose placeholder engine makes every savefig draw the
        # whole figure once more before drawing it): one draw per path.
        fig.set_layout_engine(None)
        if fig.get_layout_engine() is not None:  # rcParams figure.autolayout / constrained
            fig.set_layout_engine("none")
    # A fixed salt makes the SVG element IDs (clip paths, hatches) the same on every run, so
    # two runs give the same bytes; dates are left out of the metadata for the same reason.
    for path in paths:
        # Tick labels can be created while drawing: keep user text plain there too.
        with (
            atomic_path(path) as tmp,
            mpl.rc_context({"text.parse_math": False, "svg.hashsalt": SVG_HASHSALT}),
        ):
            engine = fig.get_layout_engine()
            if engine is not None and _layout_for_format(fig, str(path), dpi):
                # laid out exactly as savefig would: save without its extra whole-figure pass
                fig.set_layout_engine(None)
                try:
                    fig.savefig(tmp, dpi=dpi, metadata=_metadata(str(path)))
                finally:
                    fig.set_layout_engine(engine)
            else:
                fig.savefig(tmp, dpi=dpi, metadata=_metadata(str(path)))


def _layout_for_format(fig: Figure, path: str, dpi: float) -> bool:
    """Run ``fig``'s layout engine as ``savefig(path, dpi=dpi)`` runs it, without drawing.

    With a layout engine, ``savefig`` first draws the whole figure with rendering disabled (the
    engine runs at the start of that draw, with the renderer of the output format and its dpi:
    72 for PDF and SVG), then draws it for real with the engine off. This does the first part
    alone: the same format's renderer, the same axes aspect adjustment, the engine, so the
    caller's save (engine off) writes the same bytes (``tests/test_plots_save.py``) without
    the disabled pass over every artist (10-25 % of a save). Returns False, having done
    nothing, when this matplotlib lacks the private hooks used (the caller then saves as usual).
    """
    from functools import partial

    from matplotlib import backend_bases, cbook

    fmt = os.path.splitext(path)[1][1:].lower()
    get_renderer = getattr(backend_bases, "_get_renderer", None)
    switch = getattr(fig.canvas, "_switch_canvas_and_return_print_method", None)
    if get_renderer is None or switch is None or not hasattr(fig, "_get_draw_artists"):
        return False
    if not (fig.get_visible() and fig.axes):  # savefig's draw would not run the engine
        return False
    with (
        cbook._setattr_cm(fig.canvas, manager=None),
        switch(fmt) as print_method,
        cbook._setattr_cm(fig, dpi=dpi),
    ):
        renderer = get_renderer(fig, partial(print_method, orientation="portrait"))
        fig._get_draw_artists(renderer)  # what Figure.draw does before the engine
        try:
            fig.get_layout_engine().execute(fig)
        except ValueError:  # as Figure.draw: a layout that cannot be done is skipped
            pass
    return True


def _metadata(path: str) -> dict[str, str | None]:
    """Metadata without creation dates, so outputs are reproducible byte for byte where possible."""
    if path.endswith(".png"):
        return {"Software": "modmap"}
    if path.endswith(".pdf"):
        return {"Creator": "modmap", "Producer": None, "CreationDate": None}
    if path.endswith(".svg"):
        return {"Creator": "modmap", "Date": None}
    return {}
