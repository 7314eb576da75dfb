"""Module membership as the module-level statistics (scores, enrichment) read it."""

from __future__ import annotations

import pandas as pd

from modmap.errors import InputError

__all__ = ["module_members"]


def module_members(
    membership: pd.DataFrame, annotation: pd.DataFrame | None, *, where: str
) -> tuple[pd.DataFrame, pd.Index, pd.Series]:
    """Members, module order and titles of a membership table.

    Parameters
    ----------
    membership
        ``results/modules/membership.tsv``: ``module_id``, ``title``, ``feature_id`` (other
        columns are ignored).
    annotation
        Optional ``annotation.tsv`` with ``module_id`` and ``title``: its titles replace the
        membership's (a module it does not name keeps the membership's title).
    where
        How the table is named in the error message.

    Returns
    -------
    members
        ``module_id``, ``title``, ``feature_id`` as text, a feature listed twice in a module once.
    order
        Module IDs in order of first appearance.
    titles
        Title per module ID.

    Raises
    ------
    InputError
        A required column is missing.
    """
    missing = {"module_id", "title", "feature_id"} - set(membership.columns)
    if missing:
        raise InputError(
            f"{where}: missing column(s) {sorted(missing)}; expected module_id, title, feature_id"
        )
    members = (
        membership[["module_id", "title", "feature_id"]]
        .astype(str)
        .drop_duplicates(["module_id", "feature_id"])
    )
    order = pd.Index(pd.unique(members["module_id"]))
    titles = members.drop_duplicates("module_id").set_index("module_id")["title"]
    if annotation is not None and {"module_id", "title"} <= set(annotation.columns):
        named = annotation.astype({"module_id": str}).drop_duplicates("module_id")
        titles = named.set_index("module_id")["title"].reindex(order).fillna(titles)
    return members, order, titles
