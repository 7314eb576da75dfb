"""User strings made safe for the report's reStructuredText captions.

Snakemake renders each caption (``workflow/report/*.rst``) with Jinja and then as
reStructuredText, so a comparison label such as ``.. include:: /etc/passwd`` or ``x_`` written
into a caption as is would be a directive or a reference. :func:`rst_text` turns any string into
RST that reads back as exactly that text; :func:`caption_strings` prepares every user string the
captions show, and the rules pass it as ``params.rst``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["caption_strings", "rst_text"]


def rst_text(value: Any) -> str:
    """``value`` as reStructuredText that renders as its plain text, whatever it contains.

    Runs of whitespace (newlines included) become one space, so nothing can start a line (no
    directive, section or list); every other character that is not a letter or a digit is
    backslash-escaped, which RST reads as that literal character (no inline markup, reference,
    substitution or role). Safe inside ``*emphasis*``. HTML special characters are then escaped by
    the RST-to-HTML writer like any text.

    Parameters
    ----------
    value
        Any value; converted with :class:`str`. An empty or blank string gives ``(empty)``.

    Returns
    -------
    str
        The escaped text.
    """
    text = " ".join(str(value).split())
    if not text:
        return "(empty)"
    return "".join(c if c.isalnum() or c == " " else "\\" + c for c in text)


def _selector_text(selector: Mapping[str, Any]) -> str:
    def values(v: Any) -> str:
        return " or ".join(map(str, v)) if isinstance(v, list | tuple) else str(v)

    return ", ".join(f"{k} = {values(v)}" for k, v in selector.items())


def caption_strings(
    labels: Mapping[str, str],
    *,
    modules: Sequence[str] = (),
    reference: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every user string a caption shows, escaped with :func:`rst_text` (the rules' ``params.rst``).

    Parameters
    ----------
    labels
        Comparison name -> label (the label, or the name when there is none).
    modules
        Module IDs with a heatmap (``heatmaps.modules``).
    reference
        The heatmaps' reference selector (``heatmaps.reference``), shown as
        ``column = value, ...`` (a list of values as ``a or b``).

    Returns
    -------
    dict
        ``labels`` (name -> escaped label), ``modules`` (ID -> escaped ID) and ``reference``
        (the escaped selector text).
    """
    return {
        "labels": {name: rst_text(label) for name, label in labels.items()},
        "modules": {str(m): rst_text(m) for m in modules},
        "reference": rst_text(_selector_text(reference or {})),
    }
