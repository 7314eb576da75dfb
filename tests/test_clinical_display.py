"""Report helpers: rounding for people, user strings escaped in captions."""

from __future__ import annotations

import pandas as pd
from docutils.core import publish_parts
from docutils.writers.html4css1 import Writer

from modmap.clinical.display import display_table, format_p
from modmap.rst import rst_text


def test_p_values_as_the_paper_prints_them():
    assert [format_p(t) for t in ["0.0031627", "0.0000723", "1.0", "", "nan"]] == [
        "0.003",
        "<0.001",
        "1.000",
        "",
        "",
    ]


def test_display_rounds_only_what_people_read():
    table = pd.DataFrame(
        {
            "item": ["primary"],
            "x_percent": ["66.666"],
            "x_count": ["8"],
            "statistic": ["8.7111"],
            "p_value": ["0.0031"],
        }
    )
    out = display_table(table).iloc[0].tolist()
    assert out == ["primary", "67", "8", "8.71", "0.003"]


def test_escaped_user_strings_render_as_themselves():
    nasty = "arm_*1* `x` |sub| <b>&"
    html = publish_parts(f"Arm {rst_text(nasty)} here.", writer=Writer())["body"]
    assert "arm_*1* `x` |sub| &lt;b&gt;&amp;" in html
    assert "<em>" not in html and "<b>" not in html
