"""User strings made safe for the report's reStructuredText captions.

Snakemake renders each caption (``workflow/report/*.rst``) with Jinja and then as
reStructuredText, so a comparison label such as ``.. include:: /etc/passwd`` or ``x_`` written
into a caption as is would be a directive or a reference. :func:`rst_text` turns any string into
RST that reads back as exactly that text; :func:`caption_strings` prepares every user string the
captions show, and the rules pass it as ``params.rst``.

Snakemake's report also shows each figure's job params as text, inside a ``<script>`` element
(JSON, where ``</script>`` is not escaped). :class:`ReportSafeDict` is a plain dict whose text form
writes ``<``, ``>`` and ``&`` as ``\\x3c``, ``\\x3e``, ``\\x26``; params that carry user
strings (comparison labels, the heatmap reference) are passed as one (:func:`report_safe`), so a
label cannot close that element.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["ReportSafeDict", "caption_strings", "report_safe", "rst_text"]

_HTML_SAFE = str.maketrans({"<": "\\x3c", ">": "\\x3e", "&": "\\x26"})


class ReportSafeDict(dict):
    """A :class:`dict` whose ``repr``/``str`` contain no ``<``, ``>`` or ``&``.

    Used for rule params that hold user strings: Snakemake's report prints a job's params with
    ``str`` into a ``<script>`` element. Everything else behaves as the dict (the script gets the
    strings unchanged).
    """

    def __repr__(self) -> str:
        return dict.__repr__(self).translate(_HTML_SAFE)

    __str__ = __repr__


def report_safe(mapping: Mapping[str, Any]) -> ReportSafeDict:
    """``mapping`` as a :class:`ReportSafeDict` (same keys and values)."""
    return ReportSafeDict(mapping)


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
) -> ReportSafeDict:
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
    ReportSafeDict
        ``labels`` (name -> escaped label), ``modules`` (ID -> escaped ID) and ``reference``
        (the escaped selector text).
    """
    return ReportSafeDict(
        labels={name: rst_text(label) for name, label in labels.items()},
        modules={str(m): rst_text(m) for m in modules},
        reference=rst_text(_selector_text(reference or {})),
    )
