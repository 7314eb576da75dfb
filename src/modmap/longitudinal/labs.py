"""Lab endpoints over time: median (IQR) per visit and group, signed-rank tests against baseline.

The NOMID report (Goldbach-Mansky 2006): SAA, CRP, ESR and the diary score from baseline to month
3, medians with Wilcoxon signed-rank P-values; the SJIA trial follows ESR, CRP, ferritin and the
steroid dose the same way. Quartiles are R's ``quantile(type = 7)`` (numpy's default linear
interpolation); each visit is compared with the baseline within subjects by the Wilcoxon
signed-rank test at R parity (:func:`modmap.stats.signed_rank`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from modmap import stats
from modmap.errors import InputError
from modmap.longitudinal._tables import (
    attach_group,
    check_unique,
    numeric_column,
    require_columns,
)

log = logging.getLogger(__name__)

__all__ = [
    "LAB_VARIABLES",
    "SUMMARY_COLUMNS",
    "VALUE_COLUMNS",
    "check_log_scale",
    "lab_analysis",
    "lab_long",
    "lab_summary",
]

#: Variables followed by default (columns of the clinical table, CONTRACTS.md).
LAB_VARIABLES = ("saa", "crp", "esr", "ferritin", "diary_score", "prednisone_mg_kg_day")
#: Columns of ``results/labs/values.tsv`` (the values the summary and the figures use).
VALUE_COLUMNS = ["variable", "group", "subject_id", "visit", "value"]
#: Columns of ``results/labs/summary.tsv``.
SUMMARY_COLUMNS = [
    "variable",
    "group",
    "visit",
    "n",
    "median",
    "q1",
    "q3",
    "median_iqr",
    "n_pairs",
    "statistic",
    "p_value",
    "method",
]


def lab_long(
    table: pd.DataFrame, *, variables: Sequence[str], path: str = "lab table"
) -> pd.DataFrame:
    """The lab values as a long table, from the wide clinical table or a long one.

    Parameters
    ----------
    table
        Either the clinical table (``subject_id``, ``visit``, one column per variable, e.g.
        ``crp`` in mg/l; other columns such as ``arm`` are kept) or a long table
        (``subject_id``, ``visit``, ``variable``, ``value``, optional extra columns). Read as
        text; empty cells are missing values.
    variables
        Variables to keep, in output order.
    path
        File name for messages.

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``visit``, ``variable``, ``value`` (float64, missing dropped) and the
        table's other columns (wide layout: every column that is not a variable).

    Raises
    ------
    InputError
        A missing key column or variable, a non-numeric value, two rows for one subject and
        visit (and variable).
    """
    variables = list(variables)
    if not variables:
        raise InputError("config labs.variables is empty; name at least one variable.")
    require_columns(
        table,
        ["subject_id", "visit"],
        where=path,
        fix="A lab table has subject_id and visit columns.",
    )
    keys = table.copy()
    for col in ("subject_id", "visit"):
        keys[col] = keys[col].astype(str).str.strip()
    long_layout = {"variable", "value"} <= set(table.columns) and not set(variables) & set(
        table.columns
    )
    if long_layout:
        keys["variable"] = keys["variable"].astype(str).str.strip()
        check_unique(keys, ["subject_id", "visit", "variable"], where=path)
        absent = [v for v in variables if v not in set(keys["variable"])]
        if absent:
            raise InputError(
                f"{path}: variable(s) {', '.join(absent)} not found in column variable "
                f"(found {', '.join(sorted(set(keys['variable'])))}). Fix config labs.variables."
            )
        keys["value"] = numeric_column(table, "value", where=path)
        out = keys[keys["variable"].isin(variables)]
    else:
        require_columns(
            table,
            variables,
            where=path,
            fix="Name columns of the table in config labs.variables (or give a long table: "
            "subject_id, visit, variable, value).",
        )
        check_unique(keys, ["subject_id", "visit"], where=path)
        others = [c for c in table.columns if c not in variables]
        frames = []
        for var in variables:
            part = keys[others].copy()
            part["variable"] = var
            part["value"] = numeric_column(table, var, where=path).to_numpy()
            frames.append(part)
        out = pd.concat(frames, ignore_index=True)
    order = {v: i for i, v in enumerate(variables)}
    out = out[out["value"].notna()]
    out = out.sort_values("variable", key=lambda s: s.map(order), kind="stable")
    return out.reset_index(drop=True)


def check_log_scale(values: pd.DataFrame, log_scale: Sequence[str], *, path: str) -> None:
    """A variable drawn on a log axis must be > 0 everywhere: else one error naming the cell."""
    for var in log_scale:
        sub = values[(values["variable"] == var) & ~(values["value"] > 0)]
        if len(sub):
            row = sub.iloc[0]
            raise InputError(
                f"{path}: {var} = {row['value']:g} for subject {row['subject_id']} at "
                f"{row['visit']} ({len(sub)} value(s) <= 0 in all), but config labs.log_scale "
                f"draws {var} on a log axis, which cannot show values <= 0. Remove {var} from "
                "labs.log_scale, or correct the values."
            )


def lab_summary(
    values: pd.DataFrame,
    *,
    visits: Sequence[str],
    baseline: str,
    min_pairs: int = 3,
    exact_with_ties: bool = False,
) -> pd.DataFrame:
    """Median (IQR) per variable, group and visit, and the signed-rank test of each visit.

    Parameters
    ----------
    values
        :func:`lab_long` output with a ``group`` column (e.g. the arm).
    visits
        Visits in order; the first rows of each variable and group are the baseline's.
        Values at other visits are ignored (with a warning).
    baseline
        The visit every other visit is compared with (one of ``visits``).
    min_pairs
        Fewer subjects with both values: ``method`` ``not_tested`` (default 3).
    exact_with_ties
        R >= 4.6 exact p-values with tied differences (default False: R <= 4.5).

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`: ``n`` non-missing values, ``median``, ``q1``, ``q3`` (R's
        ``quantile(type = 7)``, units of the variable), ``median_iqr`` text
        (``"174 (80.2-301)"``, 3 significant digits), and for visits other than the baseline
        ``n_pairs`` (subjects with both values), ``statistic`` (R's V: sum of the ranks of the
        positive ``visit - baseline`` differences; below ``n (n + 1) / 4`` when values fall),
        ``p_value`` (two-sided), ``method`` (``exact``, ``asymptotic``, ``not_tested``).

    Raises
    ------
    InputError
        ``baseline`` not among ``visits``; a configured visit without any value in the table.
    """
    visits = list(visits)
    if baseline not in visits:
        raise InputError(
            f"config labs.baseline {baseline!r} is not one of labs.visits ({', '.join(visits)})."
        )
    present = set(values["visit"])
    absent = [v for v in visits if v not in present]
    if absent:
        raise InputError(
            f"labs: no value at visit(s) {', '.join(absent)} (visits in the table: "
            f"{', '.join(sorted(present))}). Fix config labs.visits."
        )
    extra = sorted(present - set(visits))
    if extra:
        log.warning(
            f"labs: values at visit(s) {', '.join(extra)} are not in labs.visits and are ignored",
        )
    rows = []
    for var in dict.fromkeys(values["variable"]):
        for group in sorted(set(values.loc[values["variable"] == var, "group"])):
            sub = values[(values["variable"] == var) & (values["group"] == group)]
            wide = sub.pivot(index="subject_id", columns="visit", values="value")
            for visit in visits:
                x = wide[visit].dropna().to_numpy(np.float64) if visit in wide else np.array([])
                rows.append(
                    (
                        var,
                        group,
                        visit,
                        *_quartiles(x),
                        *_test(wide, visit, baseline, min_pairs, exact_with_ties),
                    )
                )
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    out["n_pairs"] = out["n_pairs"].astype("Int64")  # empty on baseline rows
    return out


def _quartiles(x: np.ndarray) -> tuple:
    if x.size == 0:
        return (0, np.nan, np.nan, np.nan, "")
    q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75])  # linear = R type 7
    return (int(x.size), float(med), float(q1), float(q3), f"{med:.3g} ({q1:.3g}-{q3:.3g})")


def _test(
    wide: pd.DataFrame, visit: str, baseline: str, min_pairs: int, exact_with_ties: bool
) -> tuple:
    if visit == baseline:
        return (np.nan, np.nan, np.nan, "")
    if visit not in wide or baseline not in wide:
        return (0, np.nan, np.nan, "not_tested")
    both = wide[[visit, baseline]].dropna()
    n = len(both)
    if n < min_pairs:
        return (n, np.nan, np.nan, "not_tested")
    res = stats.signed_rank(
        both[visit].to_numpy(np.float64)[None, :],
        both[baseline].to_numpy(np.float64)[None, :],
        min_group_size=min_pairs,
        exact_with_ties=exact_with_ties,
    ).iloc[0]
    return (n, float(res["statistic"]), float(res["p_value"]), str(res["method"]))


def lab_analysis(
    table: pd.DataFrame,
    *,
    samples: pd.DataFrame | None,
    variables: Sequence[str],
    visits: Sequence[str],
    baseline: str,
    group_by: str | None = "arm",
    log_scale: Sequence[str] = (),
    min_pairs: int = 3,
    exact_with_ties: bool = False,
    subject_column: str = "subject_id",
    path: str = "lab table",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lab values grouped, checked for their log axes, and summarised (rule labs).

    Parameters
    ----------
    table
        Clinical (wide) or long lab table (:func:`lab_long`).
    samples
        The validated sample sheet, for the group of each subject when the table has no
        ``group_by`` column.
    variables, visits, baseline, min_pairs, exact_with_ties
        See :func:`lab_long` and :func:`lab_summary`.
    group_by
        Column with each subject's group (``arm``); None = one group ``all``.
    log_scale
        Variables drawn on a log axis: a value <= 0 there is an error (before anything is
        written).
    subject_column
        Sample-sheet column with the subject ID (groups from the sheet).
    path
        File name for messages.

    Returns
    -------
    summary, values
        :data:`SUMMARY_COLUMNS` and :data:`VALUE_COLUMNS` (values at the configured visits).
    """
    values = lab_long(table, variables=variables, path=path)
    check_log_scale(values, log_scale, path=path)
    values["group"] = attach_group(
        values,
        group_by=group_by,
        samples=samples,
        sheet_subject_column=subject_column,
        where=f"labs ({path})",
    ).to_numpy()
    summary = lab_summary(
        values,
        visits=visits,
        baseline=baseline,
        min_pairs=min_pairs,
        exact_with_ties=exact_with_ties,
    )
    kept = values[values["visit"].isin(list(visits))]
    return summary, kept[VALUE_COLUMNS].reset_index(drop=True)
