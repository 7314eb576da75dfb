"""User strings in report captions and tables are text, never markup.

Oracle: docutils itself (the RST renderer Snakemake uses) must give back the plain string.
"""

from __future__ import annotations

import html
import io
import pickle
import re
import warnings

import pandas as pd
import pytest
from docutils.core import publish_parts

from modmap.plots.tables import table_html
from modmap.rst import caption_strings, report_safe, rst_text

HOSTILE = [
    ".. include:: /etc/passwd",
    "x\n\n.. raw:: html\n\n   <script>alert(1)</script>\n",
    "</script><script>alert(1)</script>",
    "`code`_ and |sub| and _target and [#]_",
    "*bold* **strong** ``literal``",
    "pipe | under_score_ trailing_",
    "back\\slash \\*",
    ":math:`x` :role:`y`",
    "   leading and trailing   ",
    "Ünïcödé 漢字 — dash",
    "*",
    "_",
    "a*",
]


def _render(rst: str) -> tuple[str, str]:
    """HTML body and docutils' warnings, as Snakemake renders a caption (writer_name="html")."""
    output = io.StringIO()
    with warnings.catch_warnings():  # docutils >= 0.22 prefers writer=; older ones need this
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        body = publish_parts(
            rst, writer_name="html", settings_overrides={"warning_stream": output}
        )["body"]
    return body, output.getvalue()


@pytest.mark.parametrize("label", HOSTILE)
def test_escaped_label_renders_as_its_own_text_inside_emphasis(label):
    body, warnings = _render(f"Comparisons (*{rst_text(label)}*, *B*).")
    assert warnings == ""
    match = re.fullmatch(r"<p>Comparisons \(<em>(.*)</em>, <em>B</em>\)\.</p>\n", body, re.S)
    assert match, body
    assert html.unescape(match.group(1)) == " ".join(label.split())
    assert "<script" not in body and "system-message" not in body


def test_empty_label_still_renders():
    body, warnings = _render(f"(*{rst_text('  ')}*)")
    assert warnings == "" and "(empty)" in body


def test_caption_strings_escape_labels_modules_and_reference():
    strings = caption_strings(
        {"a": "x_"}, modules=["M1.1"], reference={"group": ["healthy", "ctl*"]}
    )
    assert strings["labels"] == {"a": "x\\_"}
    assert strings["modules"] == {"M1.1": "M1\\.1"}
    assert _render(strings["reference"])[0] == "<p>group = healthy or ctl*</p>\n"


def test_report_safe_dict_prints_no_markup_but_keeps_the_strings():
    labels = report_safe({"a": "</script><script>alert(1)</script> & more"})
    assert "<" not in str(labels) and ">" not in repr(labels) and "&" not in f"{labels}"
    assert labels["a"] == "</script><script>alert(1)</script> & more"
    assert pickle.loads(pickle.dumps(labels)) == labels  # reaches the job's script unchanged


def test_report_tables_escape_cells_and_headers():
    table = pd.DataFrame({"title</th>": ["</td><script>alert(1)</script>"], "n": [1.25]})
    page = table_html(table, title="<b>t</b>")
    assert "<script" not in page and "</td><script" not in page
    assert "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "title&lt;/th&gt;" in page and "&lt;b&gt;t&lt;/b&gt;" in page
