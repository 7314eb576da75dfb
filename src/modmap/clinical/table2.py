"""Table 2: responders by arm for each definition, and relative changes compared between arms.

Quartier et al., Table 2 ("Responses at month 1"): responders n (%) per arm with a chi-square
(uncorrected) p-value for the primary objective, the systemic responders and the ACRpedi 30
variants, and a Fisher exact p-value for modified ACRpedi 50/70/100 (the printed 0.005 and 0.038
are Fisher's; the chi-square would give 0.002 and 0.025); then, per variable, the mean variation
from D1 to M1 in percent and a Mann-Whitney p-value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from modmap.clinical.contingency import two_by_two
from modmap.clinical.definitions import DEFINITIONS
from modmap.clinical.pairs import visit_pairs
from modmap.errors import InputError
from modmap.stats import mann_whitney

__all__ = ["DEFAULT_CHANGES", "DEFAULT_ROWS", "relative_variation", "table2"]

#: The rows of the paper's Table 2 with the test the paper used for each.
DEFAULT_ROWS = (
    {"definition": "primary", "test": "chisq"},
    {"definition": "systemic", "test": "chisq"},
    {"definition": "acrpedi30", "test": "chisq"},
    {"definition": "acrpedi30_no_fever", "test": "chisq"},
    {"definition": "acrpedi30_no_fever_crp", "test": "chisq"},
    {"definition": "modified_acrpedi50", "test": "fisher"},
    {"definition": "modified_acrpedi70", "test": "fisher"},
    {"definition": "modified_acrpedi100", "test": "fisher"},
)
#: The variables of the paper's Table 2 available in the clinical table (pain is not).
DEFAULT_CHANGES = (
    "crp",
    "esr",
    "saa",
    "active_joints",
    "limited_joints",
    "chaq",
    "physician_global",
    "patient_global",
)

LABELS = {
    "primary": "Primary objective (modified ACRpedi 30)",
    "systemic": "Systemic symptoms responders",
    "acrpedi30": "ACRpedi 30 responders",
    "acrpedi50": "ACRpedi 50 responders",
    "acrpedi70": "ACRpedi 70 responders",
    "acrpedi100": "ACRpedi 100 responders",
    "modified_acrpedi50": "Modified ACRpedi 50 responders",
    "modified_acrpedi70": "Modified ACRpedi 70 responders",
    "modified_acrpedi100": "Modified ACRpedi 100 responders",
    "acrpedi30_no_fever": "ACRpedi 30 and no fever",
    "acrpedi30_no_fever_crp": "ACRpedi 30, no fever and CRP < {crp_below:g} mg/l",
    "inactive": "Inactive disease",
}
#: Labels of the relative-change rows (other columns are labelled by their name).
CHANGE_LABELS = {
    "crp": "CRP",
    "esr": "ESR",
    "saa": "SAA",
    "ferritin": "Ferritin",
    "active_joints": "Number of active joints",
    "limited_joints": "Number of joints with LOM",
    "chaq": "CHAQ",
    "physician_global": "Physician's disease activity assessment",
    "patient_global": "Parent/patient's global assessment",
}


def relative_variation(reference: np.ndarray, value: np.ndarray) -> np.ndarray:
    """``(value - reference) / reference * 100`` (percent; negative = decrease).

    NaN when either is missing or the reference is 0 (no relative change from 0).
    """
    ref = np.asarray(reference, dtype=np.float64)
    val = np.asarray(value, dtype=np.float64)
    out = np.full(ref.shape, np.nan)
    ok = (ref != 0) & ~np.isnan(ref) & ~np.isnan(val)
    out[ok] = (val[ok] - ref[ok]) / ref[ok] * 100.0
    return out


def table2(
    response: pd.DataFrame,
    clinical: pd.DataFrame,
    *,
    visit: str,
    arms: Sequence[str],
    visits: Sequence[str],
    baseline: str,
    rows: Sequence[Mapping[str, Any]] = DEFAULT_ROWS,
    changes: Sequence[str] = DEFAULT_CHANGES,
    missing: Literal["non_responder", "exclude"] = "non_responder",
    min_group_size: int = 3,
    crp_below: float = 15.0,
) -> pd.DataFrame:
    """Responders per arm with the chosen test, and relative changes by Mann-Whitney.

    Parameters
    ----------
    response
        :func:`modmap.clinical.definitions.response_table` output.
    clinical
        The checked clinical table (for the relative changes and the subjects of each arm).
    visit
        The visit assessed (the paper: M1).
    arms
        The arms in column order; tests need exactly two.
    visits, baseline
        Visit order and baseline visit.
    rows
        ``{definition, test}`` per response row; ``test`` is ``chisq`` (Pearson, no
        correction), ``yates`` or ``fisher`` (two-sided), all as R.
    changes
        Clinical columns whose relative variation from baseline to ``visit`` is compared.
    missing
        ``non_responder`` (default, intention to treat as the paper): every randomised subject
        of the arm is in the denominator, and a response that cannot be decided (or a missing
        visit) counts as no response; ``exclude``: such subjects leave the denominator.
    min_group_size
        Fewest values per arm for a Mann-Whitney test (R's wilcox.test itself needs 1).
    crp_below
        The CRP cut of ``acrpedi30_no_fever_crp``, for its label (mg/l).

    Returns
    -------
    pandas.DataFrame
        ``section`` (``response`` / ``relative_change``), ``item`` (definition or column),
        ``label``, for each arm ``<arm>_n`` (denominator, or values compared),
        ``<arm>_count`` and ``<arm>_percent`` (responders), ``<arm>_undecided`` (responses
        that could not be decided, incl. a missing visit), ``<arm>_mean_change`` (mean
        relative variation in percent); ``test`` (``chisq``, ``yates``, ``fisher``,
        ``mann_whitney`` or ``not_tested``), ``statistic`` (X-squared or W; W counts the
        first arm's ranks), ``p_value``.
    """
    subjects = clinical.drop_duplicates("subject_id").set_index("subject_id")["arm"]
    at = response[response["visit"] == visit].set_index("subject_id")
    two = len(arms) == 2
    out = []
    for i, spec in enumerate(rows):
        name = spec["definition"]
        if name not in DEFINITIONS:
            raise InputError(
                f"config clinical.table2.rows[{i}]: {name!r} is not a response definition "
                f"(one of {', '.join(DEFINITIONS)})."
            )
        label = LABELS[name].format(crp_below=crp_below)
        row: dict[str, Any] = {"section": "response", "item": name, "label": label}
        cells = []
        for arm in arms:
            ids = subjects.index[subjects == arm]
            status = at[name].reindex(ids).fillna("")
            yes, undecided = int((status == "yes").sum()), int((status == "").sum())
            n = len(ids) - (undecided if missing == "exclude" else 0)
            row[f"{arm}_n"], row[f"{arm}_count"] = n, yes
            row[f"{arm}_percent"] = 100.0 * yes / n if n else np.nan
            row[f"{arm}_undecided"] = undecided
            cells.append([yes, n - yes])
        if two:
            result = two_by_two(cells, test=spec.get("test", "chisq"))
            row.update(test=result.test, statistic=result.statistic, p_value=result.p_value)
        else:
            row.update(test="not_tested", statistic=np.nan, p_value=np.nan)
        out.append(row)
    ref, cur = visit_pairs(clinical, visits=visits, baseline=baseline, reference="baseline")
    keep = (cur["visit"] == visit).to_numpy()
    ref, cur = ref[keep], cur[keep]
    for column in changes:
        if column not in clinical.columns:
            raise InputError(
                f"config clinical.table2.changes: column {column!r} is not in the clinical "
                f"table (columns: {', '.join(map(str, clinical.columns))})."
            )
        try:
            variation = relative_variation(
                ref[column].to_numpy(dtype=np.float64), cur[column].to_numpy(dtype=np.float64)
            )
        except (ValueError, TypeError):
            raise InputError(
                f"config clinical.table2.changes: column {column!r} holds text, not numbers."
            ) from None
        label = CHANGE_LABELS.get(column, column)
        row = {"section": "relative_change", "item": column, "label": label}
        groups = []
        for arm in arms:
            x = variation[(cur["arm"] == arm).to_numpy()]
            x = x[~np.isnan(x)]
            groups.append(x)
            row[f"{arm}_n"] = int(x.size)
            row[f"{arm}_mean_change"] = float(x.mean()) if x.size else np.nan
        if two and min(g.size for g in groups) >= min_group_size:
            mw = mann_whitney(
                groups[0][None, :], groups[1][None, :], min_group_size=min_group_size, threads=1
            ).iloc[0]
            tested = mw["method"] != "not_tested"
            row.update(
                test="mann_whitney" if tested else "not_tested",
                statistic=float(mw["statistic"]) if tested else np.nan,
                p_value=float(mw["p_value"]),
            )
        else:
            row.update(test="not_tested", statistic=np.nan, p_value=np.nan)
        out.append(row)
    per_arm = [
        f"{arm}_{c}" for arm in arms for c in ("n", "count", "percent", "undecided", "mean_change")
    ]
    table = pd.DataFrame(out).reindex(
        columns=["section", "item", "label", *per_arm, "test", "statistic", "p_value"]
    )
    counts = [f"{arm}_{c}" for arm in arms for c in ("n", "count", "undecided")]
    return table.astype({c: "Int64" for c in counts})
