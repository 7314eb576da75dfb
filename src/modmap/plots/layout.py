"""Grid positions of modules for module maps, from the module annotation.

Three layouts, chosen from the annotation table (``results/modules/annotation.tsv``):

``position``
    The table has a ``position`` column filled for every module, as BloodGen3's ``A28.1``
    (aggregate A28, slot 1): row = aggregate, column = slot.
``id``
    Otherwise, when every module ID reads ``M{round}.{index}`` (first-generation and Gen2
    repertoires): row = round, column = index.
``order``
    Otherwise modules are placed in table order, ``max_cols`` per row.

In the ``id`` layout, rows longer than ``max_cols`` wrap onto continuation rows labelled
``M8+40``, ``M8+80`` (the column number is then added to 40, 80, ...), so Gen2's 111-module round
M8 stays readable. BloodGen3 aggregates (at most 42 slots) are never wrapped.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pandas as pd

from modmap.errors import InputError

POSITION_RE = re.compile(r"^A(\d+)\.(\d+)\Z")
MODULE_ID_RE = re.compile(r"^M(\d+)\.(\d+)\Z")

Layout = Literal["position", "id", "order"]


def detect_layout(annotation: pd.DataFrame) -> Layout:
    """Return which layout :func:`grid_layout` uses for ``annotation`` (see the module docstring).

    Raises
    ------
    InputError
        When a ``position`` column is partly filled or has values not like ``A28.1``.
    """
    ids = annotation["module_id"].astype(str)
    if "position" in annotation.columns:
        pos = annotation["position"].fillna("").astype(str).str.strip()
        if (pos != "").any():
            bad = ~pos.str.match(POSITION_RE)
            if bad.any():
                rows = ", ".join(
                    f"{m} ({p!r})" for m, p in zip(ids[bad][:5], pos[bad][:5], strict=True)
                )
                raise InputError(
                    f"annotation.tsv column 'position': {int(bad.sum())} module(s) have no "
                    f"position like 'A28.1': {rows}. Fill the position of every module in the "
                    "module file, or remove the column to lay modules out by ID."
                )
            return "position"
    if ids.str.match(MODULE_ID_RE).all():
        return "id"
    return "order"


def grid_layout(annotation: pd.DataFrame, *, max_cols: int = 40) -> pd.DataFrame:
    """Grid cell of every module of ``annotation``.

    Parameters
    ----------
    annotation
        Table with ``module_id`` and optionally ``position`` (see the module docstring).
    max_cols
        Maximum number of columns; longer rows wrap onto continuation rows (default 40).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``module_id`` in layout order (top to bottom, left to right), columns
        ``row`` and ``col`` (0-based integers; row 0 is drawn at the top), ``row_label``
        (``"M3"``, ``"A28"``, ``"M8+40"``) and ``slot`` (the 1-based index within the round or
        aggregate).
    """
    if max_cols < 1:
        raise ValueError(f"max_cols must be >= 1, got {max_cols}")
    ids = annotation["module_id"].astype(str).reset_index(drop=True)
    if ids.duplicated().any():
        dup = ", ".join(ids[ids.duplicated()].unique()[:5])
        raise InputError(f"annotation.tsv: module_id repeated: {dup}. Each module needs one row.")
    kind = detect_layout(annotation)
    if kind == "position":
        parts = annotation["position"].astype(str).str.strip().str.extract(POSITION_RE)
        prefix = "A"
    elif kind == "id":
        parts = ids.str.extract(MODULE_ID_RE)
        prefix = "M"
    else:
        n = np.arange(len(ids))
        parts = pd.DataFrame({0: n // max_cols + 1, 1: n % max_cols + 1})
        prefix = ""
    group = parts[0].astype(int).to_numpy()
    slot = parts[1].astype(int).to_numpy()
    if kind == "position":  # aggregates are drawn whole, as BloodGen3Module does
        max_cols = max(max_cols, int(slot.max()))
    wrap = (slot - 1) // max_cols
    table = pd.DataFrame(
        {"module_id": ids, "group": group, "wrap": wrap, "col": (slot - 1) % max_cols, "slot": slot}
    )
    clash = table.duplicated(["group", "slot"], keep=False)
    if clash.any():
        where = ", ".join(table.loc[clash, "module_id"].head(6))
        raise InputError(
            f"annotation.tsv: modules share a grid cell ({kind} layout): {where}. "
            "Give each module a distinct position."
        )
    rows = table[["group", "wrap"]].drop_duplicates().sort_values(["group", "wrap"])
    row_of = {(g, w): i for i, (g, w) in enumerate(zip(rows["group"], rows["wrap"], strict=True))}
    table["row"] = [row_of[(g, w)] for g, w in zip(table["group"], table["wrap"], strict=True)]
    if prefix:
        table["row_label"] = [
            f"{prefix}{g}" + (f"+{w * max_cols}" if w else "")
            for g, w in zip(table["group"], table["wrap"], strict=True)
        ]
    else:
        table["row_label"] = ""
    table = table.sort_values(["row", "col"], kind="stable")
    return table.set_index("module_id")[["row", "col", "row_label", "slot"]]
