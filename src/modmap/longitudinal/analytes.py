"""Paired tests of serum analytes and single genes between two visits within subjects.

The trial's Figure 3C/3D: IP10 and TRAIL (serum, pg/ml) and SOCS3 (blood expression) at D1 and
M6 in the same patients, compared by a paired t-test. Each analyte and group (arm or responder)
gets one test of ``visit - baseline`` over the subjects measured at both visits:
``paired_t`` (R's ``t.test(x, y, paired = TRUE)``) or ``signed_rank`` (R's
``wilcox.test(x, y, paired = TRUE)``), chosen in the config for this analysis only. The kernels
are modmap's per-gene ones (:func:`modmap.stats.paired_t`, :func:`modmap.stats.signed_rank`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

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
    "ANALYTE_COLUMNS",
    "PAIR_COLUMNS",
    "TEST_COLUMNS",
    "analyte_analysis",
    "analyte_values",
    "gene_values",
    "paired_tests",
]

Test = Literal["paired_t", "signed_rank"]

#: Columns of the analyte table (long format, one row per subject, visit and analyte).
ANALYTE_COLUMNS = ["subject_id", "visit", "analyte", "value"]
#: Columns of ``results/analytes/tests.tsv``.
TEST_COLUMNS = [
    "analyte",
    "group",
    "visits",
    "n_pairs",
    "mean_difference",
    "statistic",
    "df",
    "p_value",
    "test",
    "method",
]
#: Columns of ``results/analytes/pairs.tsv`` (the values the tests and the figure use).
PAIR_COLUMNS = ["analyte", "source", "group", "subject_id", "baseline", "visit", "difference"]


def analyte_values(table: pd.DataFrame, *, path: str = "analyte table") -> pd.DataFrame:
    """Check a long analyte table and return it with float values.

    Parameters
    ----------
    table
        ``subject_id``, ``visit``, ``analyte``, ``value`` (e.g. pg/ml; empty = missing), read
        as text; other columns (e.g. ``arm``) are kept.
    path
        File name for messages.

    Returns
    -------
    pandas.DataFrame
        The table with stripped text keys, ``value`` as float64 and a ``source`` column
        (``table``); rows with a missing value are dropped.

    Raises
    ------
    InputError
        A missing column, a value that is not a number, two rows for one subject, visit and
        analyte.
    """
    require_columns(
        table,
        ANALYTE_COLUMNS,
        where=path,
        fix="The analyte table is long: subject_id, visit, analyte, value (one row each).",
    )
    out = table.copy()
    for col in ("subject_id", "visit", "analyte"):
        out[col] = out[col].astype(str).str.strip()
    out["value"] = numeric_column(table, "value", where=path)
    check_unique(out, ["subject_id", "visit", "analyte"], where=path)
    out["source"] = "table"
    return out[out["value"].notna()].reset_index(drop=True)


def _resolve_gene(gene: str, feature_ids: pd.Index, membership: pd.DataFrame | None) -> str:
    if gene in feature_ids:
        return gene
    found: list[str] = []
    if membership is not None and {"feature_id", "symbol"} <= set(membership.columns):
        sym = membership["symbol"].fillna("").astype(str)
        hit = sym.map(lambda s: gene in s.split("/"))
        found = list(dict.fromkeys(membership.loc[hit, "feature_id"].astype(str)))
        found = [f for f in found if f in feature_ids]
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(
            f"config analytes.genes: {gene!r} is neither a feature ID of the expression matrix "
            "nor the symbol of a module member (results/modules/membership.tsv). Name the gene "
            "by its feature ID (e.g. its probe ID)."
        )
    raise InputError(
        f"config analytes.genes: symbol {gene!r} names {len(found)} features "
        f"({', '.join(found[:8])}). Name the one to test by its feature ID."
    )


def gene_values(
    expression: pd.DataFrame,
    samples: pd.DataFrame,
    genes: Sequence[str],
    *,
    membership: pd.DataFrame | None = None,
    subject_column: str = "subject_id",
    visit_column: str = "timepoint",
    visits: Sequence[str],
) -> pd.DataFrame:
    """Expression of named genes per subject and visit, as a long analyte table.

    Parameters
    ----------
    expression
        ``feature_id`` then one column per sample (log2, the validated matrix).
    samples
        The validated sample sheet (text columns, ``sample_id``).
    genes
        Feature IDs, or gene symbols of module members (``membership.symbol``; a symbol must name
        exactly one feature of the matrix). The analyte is named as written here.
    membership
        ``results/modules/membership.tsv`` (``feature_id``, ``symbol``), for symbols.
    subject_column, visit_column
        Sample-sheet columns with the subject and the visit.
    visits
        Visits to keep; samples at other visits or without a subject are left out.

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``visit``, ``analyte``, ``value`` (log2 expression), ``source``
        (``expression:<feature_id>``); missing values dropped.

    Raises
    ------
    InputError
        Unknown gene, ambiguous symbol, missing sample-sheet column, two samples of one subject
        at one visit.
    """
    require_columns(
        samples,
        ["sample_id", subject_column, visit_column],
        where="analytes: results/validated/samples.tsv",
        fix="Set analytes.subject_column / analytes.visit_column to sample-sheet columns.",
    )
    ids = pd.Index(expression["feature_id"].astype(str))
    sheet = samples.astype(str).apply(lambda c: c.str.strip())
    sheet = sheet[(sheet[subject_column] != "") & sheet[visit_column].isin(list(visits))]
    sheet = sheet[sheet["sample_id"].isin(expression.columns)]
    check_unique(
        sheet.rename(columns={subject_column: "subject", visit_column: "visit"}),
        ["subject", "visit"],
        where="analytes.genes: results/validated/samples.tsv",
    )
    rows = []
    for gene in genes:
        feature = _resolve_gene(str(gene), ids, membership)
        values = expression.loc[ids == feature, sheet["sample_id"].tolist()].iloc[0]
        rows.append(
            pd.DataFrame(
                {
                    "subject_id": sheet[subject_column].to_numpy(),
                    "visit": sheet[visit_column].to_numpy(),
                    "analyte": str(gene),
                    "value": values.to_numpy(dtype=np.float64),
                    "source": f"expression:{feature}",
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=[*ANALYTE_COLUMNS, "source"])
    out = pd.concat(rows, ignore_index=True)
    return out[out["value"].notna()].reset_index(drop=True)


def paired_tests(
    values: pd.DataFrame,
    *,
    baseline: str,
    visit: str,
    test: Test = "paired_t",
    min_pairs: int = 3,
    exact_with_ties: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Paired test of ``visit`` vs ``baseline`` per analyte and group, within subjects.

    Parameters
    ----------
    values
        Long table: ``subject_id``, ``visit``, ``analyte``, ``value`` (float, no missing),
        ``group`` (e.g. the arm; one value for every row when not split) and ``source``.
    baseline, visit
        The two visits (e.g. ``D1`` and ``M6``); differences are ``visit - baseline``.
    test
        ``paired_t`` (default; the paper's test; ``statistic`` = t, ``df`` = n - 1) or
        ``signed_rank`` (``statistic`` = R's V, the sum of ranks of positive differences;
        exact or normal approximation as R decides; no ``df``).
    min_pairs
        Groups with fewer complete pairs are reported with ``method`` ``not_tested`` (and a
        warning). Default 3.
    exact_with_ties
        Signed-rank only: R >= 4.6 exact p-values with tied differences (default False,
        R <= 4.5).

    Returns
    -------
    tests, pairs
        ``tests``: :data:`TEST_COLUMNS`, one row per analyte (input order) and group (sorted);
        ``mean_difference`` = mean of ``visit - baseline`` (units of the analyte; log2 for
        genes); ``visits`` = ``"M6 vs D1"``. ``pairs``: :data:`PAIR_COLUMNS`, the subjects
        used.

    Raises
    ------
    InputError
        An analyte without values at one of the two visits, or without any subject measured
        at both, or a subject in two groups.

    Logs
    ----
    WARNING
        Subjects measured at only one of the two visits (left out), groups below ``min_pairs``.
    """
    if test not in ("paired_t", "signed_rank"):
        raise InputError(f"config analytes.test: {test!r} is not paired_t or signed_rank.")
    if baseline == visit:
        raise InputError(
            f"config analytes: baseline and visit are both {baseline!r}; name two visits."
        )
    check_unique(values, ["analyte", "subject_id", "visit"], where="analytes")
    # Every analyte is checked before any is tested: one error, nothing partial.
    prepared = []
    for analyte in dict.fromkeys(values["analyte"]):
        sub = values[values["analyte"] == analyte]
        present = set(sub["visit"])
        absent = [v for v in (baseline, visit) if v not in present]
        if absent:
            raise InputError(
                f"analytes: {analyte!r} has no value at {' and '.join(absent)} (its visits: "
                f"{', '.join(sorted(present)) or 'none'}); the paired test needs {baseline} and "
                f"{visit}. Add the values or remove the analyte."
            )
        clash = sub.groupby("subject_id")["group"].nunique()
        if (clash > 1).any():
            raise InputError(
                f"analytes: subject {clash[clash > 1].index[0]!r} of {analyte!r} is in more "
                "than one group; a subject must stay in one group."
            )
        wide = sub[sub["visit"].isin([baseline, visit])].pivot(
            index="subject_id", columns="visit", values="value"
        )
        complete = wide.dropna()
        lone = sorted(set(wide.index) - set(complete.index))
        if complete.empty:
            raise InputError(
                f"analytes: no subject has {analyte!r} at both {baseline} and {visit} "
                f"(subjects: {', '.join(lone[:10])}). The paired test needs both visits of a "
                "subject."
            )
        prepared.append((analyte, sub, complete, lone))
    test_rows = []
    pair_frames = []
    for analyte, sub, complete, lone in prepared:
        if lone:
            log.warning(
                f"analytes: {analyte!r}: {len(lone)} subject(s) measured at only one of "
                f"{baseline}, {visit} are left out: {', '.join(lone)}",
            )
        group = sub.drop_duplicates("subject_id").set_index("subject_id")["group"]
        source = str(sub["source"].iloc[0])
        for name in sorted(set(group[complete.index])):
            members = [s for s in complete.index if group[s] == name]
            before = complete.loc[members, baseline].to_numpy(np.float64)
            after = complete.loc[members, visit].to_numpy(np.float64)
            pair_frames.append(
                pd.DataFrame(
                    {
                        "analyte": analyte,
                        "source": source,
                        "group": name,
                        "subject_id": members,
                        "baseline": before,
                        "visit": after,
                        "difference": after - before,
                    }
                )
            )
            test_rows.append(
                _one_test(
                    analyte,
                    name,
                    before,
                    after,
                    label=f"{visit} vs {baseline}",
                    test=test,
                    min_pairs=min_pairs,
                    exact_with_ties=exact_with_ties,
                )
            )
    tests = pd.DataFrame(test_rows, columns=TEST_COLUMNS)
    pairs = (
        pd.concat(pair_frames, ignore_index=True)
        if pair_frames
        else pd.DataFrame(columns=PAIR_COLUMNS)
    )
    return tests, pairs


def _one_test(
    analyte: str,
    group: str,
    before: np.ndarray,
    after: np.ndarray,
    *,
    label: str,
    test: Test,
    min_pairs: int,
    exact_with_ties: bool,
) -> tuple:
    n = before.size
    mean_difference = float(np.mean(after - before))
    if n < min_pairs:
        log.warning(
            f"analytes: {analyte!r} in group {group!r} has {n} pair(s), fewer than "
            f"min_pairs = {min_pairs}: not tested",
        )
        return (
            analyte,
            group,
            label,
            n,
            mean_difference,
            np.nan,
            np.nan,
            np.nan,
            test,
            "not_tested",
        )
    case, control = after[None, :], before[None, :]
    if test == "paired_t":
        res = stats.paired_t(case, control, min_group_size=min_pairs).iloc[0]
        df = float(n - 1) if res["method"] != "not_tested" else np.nan
    else:
        res = stats.signed_rank(
            case, control, min_group_size=min_pairs, exact_with_ties=exact_with_ties
        ).iloc[0]
        df = np.nan
    return (
        analyte,
        group,
        label,
        n,
        mean_difference,
        float(res["statistic"]),
        df,
        float(res["p_value"]),
        test,
        str(res["method"]),
    )


def analyte_analysis(
    table: pd.DataFrame | None,
    *,
    expression: pd.DataFrame | None,
    samples: pd.DataFrame,
    membership: pd.DataFrame | None,
    analytes: Sequence[str],
    genes: Sequence[str],
    baseline: str,
    visit: str,
    test: Test = "paired_t",
    group_by: str | None = "arm",
    subject_column: str = "subject_id",
    visit_column: str = "timepoint",
    min_pairs: int = 3,
    exact_with_ties: bool = False,
    path: str = "analyte table",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analytes of the table and the named genes, grouped and tested (rule analyte_tests).

    Parameters
    ----------
    table
        The long analyte table (:func:`analyte_values`), or None when only genes are tested.
    expression, samples, membership
        For the genes (:func:`gene_values`); ``samples`` (the validated sample sheet) also
        gives each subject's group when the analyte table has no ``group_by`` column.
    analytes
        Analytes of the table to test, in output order (others are ignored, with a warning).
    genes
        Genes to test (feature IDs or module-member symbols).
    baseline, visit, test, min_pairs, exact_with_ties
        See :func:`paired_tests`.
    group_by
        Column giving each subject's group (analyte table, else sample sheet), e.g. ``arm`` or
        ``responder``; None = one group ``all``.
    subject_column, visit_column
        Sample-sheet columns of the subject and the visit (genes, and groups from the sheet).
    path
        File name of the analyte table, for messages.

    Returns
    -------
    tests, pairs
        See :func:`paired_tests`.
    """
    frames = []
    if table is not None:
        values = analyte_values(table, path=path)
        absent = [a for a in analytes if a not in set(values["analyte"])]
        if absent:
            raise InputError(
                f"{path}: analyte(s) {', '.join(absent)} of config analytes.analytes have no "
                f"value (analytes there: {', '.join(sorted(set(values['analyte'])))})."
            )
        other = sorted(set(values["analyte"]) - set(analytes))
        if other:
            log.warning(
                f"analytes: {', '.join(other)} in {path} not listed in analytes.analytes: "
                "not tested",
            )
        values = values[values["analyte"].isin(list(analytes))].copy()
        values["group"] = attach_group(
            values,
            group_by=group_by,
            samples=samples,
            sheet_subject_column=subject_column,
            where=f"analytes ({path})",
        ).to_numpy()
        order = {a: i for i, a in enumerate(analytes)}
        frames.append(values.sort_values("analyte", key=lambda c: c.map(order), kind="stable"))
    if genes:
        if expression is None:
            raise InputError("analytes.genes needs the expression matrix.")
        g = gene_values(
            expression,
            samples,
            genes,
            membership=membership,
            subject_column=subject_column,
            visit_column=visit_column,
            visits=[baseline, visit],
        )
        g["group"] = attach_group(
            g,
            group_by=group_by,
            samples=samples,
            sheet_subject_column=subject_column,
            where="analytes.genes",
        ).to_numpy()
        frames.append(g)
    if not frames:
        raise InputError("config analytes: nothing to test (no analyte table and no genes).")
    values = pd.concat(frames, ignore_index=True)
    return paired_tests(
        values,
        baseline=baseline,
        visit=visit,
        test=test,
        min_pairs=min_pairs,
        exact_with_ties=exact_with_ties,
    )
