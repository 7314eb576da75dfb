"""Text for the report captions (reStructuredText), with user strings escaped."""

from __future__ import annotations

import re

__all__ = ["rst_escape"]


def rst_escape(text: object) -> str:
    """``text`` as literal reStructuredText: every punctuation character (and ``_``)
    backslash-escaped.

    Docutils renders a backslash-escaped character as itself, so a user string (an arm, a visit,
    a column name) can never open markup (``*``, backquotes, ``|``, ``_``, links, roles) in a
    caption; docutils escapes ``<`` and ``&`` for the HTML itself.
    """
    return re.sub(r"([^\w\s]|_)", r"\\\1", str(text))
