"""modmap.stats.members: membership as scores and enrichment read it (hand-built tables)."""

from __future__ import annotations

import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.stats.members import module_members


def _membership():
    return pd.DataFrame(
        {
            "module_id": ["M2", "M1", "M2", "M1", "M2"],
            "title": ["two", "one", "two", "one", "two"],
            "feature_id": ["a", "b", "c", "b", 7],
            "extra": range(5),
        }
    )


def test_members_order_and_titles():
    members, order, titles = module_members(_membership(), None, where="m.tsv")
    assert list(order) == ["M2", "M1"]  # first appearance, not sorted
    assert list(members.columns) == ["module_id", "title", "feature_id"]
    # M1/b listed twice counts once; feature IDs become text
    assert members.values.tolist() == [
        ["M2", "two", "a"], ["M1", "one", "b"], ["M2", "two", "c"], ["M2", "two", "7"],
    ]  # fmt: skip
    assert titles.to_dict() == {"M2": "two", "M1": "one"}


def test_annotation_titles_replace_the_membership_titles():
    annotation = pd.DataFrame({"module_id": ["M1", "M9"], "title": ["Interferon", "unused"]})
    _, order, titles = module_members(_membership(), annotation, where="m.tsv")
    assert titles.reindex(order).to_dict() == {"M2": "two", "M1": "Interferon"}


def test_missing_column_names_the_table():
    with pytest.raises(InputError, match=r"m\.tsv: missing column\(s\) \['title'\]"):
        module_members(_membership().drop(columns="title"), None, where="m.tsv")
