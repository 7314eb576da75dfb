"""save_figure writes what matplotlib's own savefig writes (the oracle), byte for byte.

save_figure runs the layout engine as savefig would and then saves with the engine off (no
disabled whole-figure pass); these figures exercise constrained layout with a colour bar, a
fixed-aspect image, legends, rotated tick labels, and every output format. (Figures with
subfigures are left out: matplotlib's own savefig does not lay them out the same way twice, so
they have no byte oracle; the toy's module map, which has them, is compared run to run.)
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest

from modmap.plots._base import SVG_HASHSALT, _metadata, new_figure, save_figure, style


def _figure(kind: str):
    rng = np.random.default_rng(5)
    with style():
        fig = new_figure(6.0, 3.5)
        if kind == "grid":
            axes = fig.subplots(2, 3)
            for i, ax in enumerate(axes[:, :2].ravel()):
                ax.scatter(rng.random(30), rng.random(30), s=8, label=f"group {i}")
                ax.set_xticks([0, 0.5, 1], ["low", "middle value", "high"], rotation=45)
                ax.set_title(f"panel {i} with a long title")
            axes[0, 0].legend(loc="upper right")
            img = axes[0, 2].imshow(rng.random((12, 8)), cmap="RdBu_r")
            fig.colorbar(img, ax=axes[1, 2], label="value")
        else:
            ax = fig.subplots()
            ax.plot(np.arange(20), rng.random(20).cumsum(), label="trajectory")
            ax.set_xlabel("day")
            ax.set_ylabel("value ($, %)")
            ax.legend(loc="upper left")
    return fig


@pytest.mark.parametrize("kind", ["grid", "lines"])
@pytest.mark.parametrize("order", [("pdf", "png", "svg"), ("png", "svg", "pdf")])
def test_save_figure_bytes_equal_plain_savefig(tmp_path, kind, order):
    ours = [tmp_path / f"ours.{ext}" for ext in order]
    want = [tmp_path / f"want.{ext}" for ext in order]
    with style():
        save_figure(_figure(kind), *ours)
        oracle = _figure(kind)  # the same figure saved by matplotlib alone, in the same order
        for path in want:
            with mpl.rc_context({"text.parse_math": False, "svg.hashsalt": SVG_HASHSALT}):
                oracle.savefig(path, dpi=200, metadata=_metadata(str(path)))
    for a, b in zip(ours, want, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_save_figure_keeps_the_layout_engine(tmp_path):
    fig = _figure("lines")
    engine = fig.get_layout_engine()
    save_figure(fig, tmp_path / "a.png")
    assert fig.get_layout_engine() is engine
