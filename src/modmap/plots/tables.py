"""Tables rendered for the HTML report (score table, bridge summary)."""

from __future__ import annotations

import html

import pandas as pd


def table_html(
    table: pd.DataFrame, *, title: str, float_digits: int = 1, significant: bool = False
) -> str:
    """A self-contained HTML page showing ``table`` (no scripts, no external resources).

    Every cell, column name and the title are HTML-escaped: a module title such as
    ``</td><script>...`` shows as text.

    Parameters
    ----------
    table
        The table to show; floats are printed with ``float_digits`` decimals (default 1, the
        percentages of the score table), missing values as empty cells.
    title
        Page heading.
    significant
        Print floats with ``float_digits + 2`` significant digits instead (``%.3g`` by default:
        p-values and q-values, which fixed decimals would round to 0).
    """
    body = table.to_html(
        index=False,
        na_rep="",
        float_format=(
            (lambda v: f"{v:.{float_digits + 2}g}")
            if significant
            else (lambda v: f"{v:.{float_digits}f}")
        ),
        border=0,
        classes="modmap",
        escape=True,  # cells hold user strings (module titles): text, never markup
    )
    style = (
        "body{font-family:sans-serif;font-size:13px}"
        "table.modmap{border-collapse:collapse}"
        "table.modmap th,table.modmap td{padding:2px 8px;border-bottom:1px solid #ddd;"
        "text-align:right}"
        "table.modmap th{background:#f2f2f2;position:sticky;top:0}"
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{style}</style></head>"
        f"<body><h2>{html.escape(title)}</h2>{body}</body></html>\n"
    )
