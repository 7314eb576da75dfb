"""The study design: the sample sheet, sample selectors, comparisons and the samples each step uses.

Used by the validate step (sheet and comparisons), the statistics (:func:`comparison_design`) and
the heatmaps (:func:`heatmap_columns`) alike, so a selector means the same everywhere.

A comparison names a ``case`` and a ``control`` selector over sample-sheet columns, e.g.
``{timepoint: D1, arm: anakinra}`` against ``{group: healthy}``, and optionally a ``paired_by``
column for within-subject comparisons. :func:`resolve_comparisons` turns the config's list into the
long table ``comparison, sample_id, role, pair`` that the statistics stage reads, and raises
:class:`~modmap.errors.InputError` with a message naming the file, the row or the key, and the fix.

All functions here are pure: they take already-read tables (every cell a string) and config
sections as plain dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from modmap.errors import InputError

SAMPLE_ID = "sample_id"


def _as_text(value: Any) -> str:
    """Selector values are compared as text: YAML ``yes``/``1`` become ``True``/``1``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _values(value: Any) -> list[str]:
    items = value if isinstance(value, list | tuple) else [value]
    return [_as_text(v) for v in items]


def show_values(values: Iterable[object], *, limit: int = 8) -> str:
    """``'a', 'b', ... (12 in all)``: values quoted for an error message, at most ``limit``."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def check_sample_sheet(
    sheet: pd.DataFrame, *, path: str, id_column: str = SAMPLE_ID
) -> pd.DataFrame:
    """Check a sample sheet and return it with the ID column renamed to ``sample_id``.

    Parameters
    ----------
    sheet
        The sheet as read (all cells strings, no index).
    path
        Where it came from, for messages.
    id_column
        Column that holds sample IDs (config ``samples.id_column``).

    Returns
    -------
    pandas.DataFrame
        Cells stripped of surrounding spaces, ID column first and named ``sample_id``.

    Raises
    ------
    InputError
        Missing ID column, empty or duplicated sample IDs (with their line numbers in the file).
    """
    if id_column not in sheet.columns:
        raise InputError(
            f"{path}: no column {id_column!r} with the sample IDs (columns found: "
            f"{show_values(sheet.columns)}). Rename the column or set samples.id_column in the "
            "config."
        )
    if sheet.empty:
        raise InputError(f"{path}: the sample sheet has a header but no samples.")
    sheet = sheet.apply(lambda col: col.str.strip())
    ids = sheet[id_column]
    # Line numbers in the file: line 1 is the header.
    lines = pd.Series(range(2, len(sheet) + 2), index=sheet.index)
    empty = ids == ""
    if empty.any():
        raise InputError(
            f"{path} line {lines[empty].iloc[0]}: empty sample ID in column {id_column!r}. Every "
            "row needs the sample ID used as column header in the expression matrix."
        )
    dup = ids.duplicated(keep=False)
    if dup.any():
        first = ids[dup].iloc[0]
        where = ", ".join(str(n) for n in lines[ids == first])
        raise InputError(
            f"{path}: sample ID {first!r} appears on lines {where} ({ids[dup].nunique()} "
            "duplicated ID(s) in all). Sample IDs must be unique: remove the repeated rows or "
            "give technical replicates their own IDs."
        )
    sheet = sheet.rename(columns={id_column: SAMPLE_ID})
    return sheet[[SAMPLE_ID, *[c for c in sheet.columns if c != SAMPLE_ID]]].reset_index(drop=True)


def select_samples(
    sheet: pd.DataFrame, selector: Mapping[str, Any], *, where: str, sheet_path: str
) -> pd.Series:
    """Return the boolean mask of samples matching every condition of ``selector``.

    Parameters
    ----------
    sheet
        Checked sample sheet (see :func:`check_sample_sheet`).
    selector
        Column -> value or list of values (any of them). All conditions must hold.
    where
        Where the selector sits in the config, for messages (``comparisons[2].case``).
    sheet_path
        Path of the sample sheet, for messages.

    Returns
    -------
    pandas.Series
        Boolean, on the index of ``sheet``: True for the samples that match. Values are compared
        as text with the sheet cells (YAML booleans as ``yes``/``no``, other values through
        ``str``, surrounding spaces stripped). An empty selector selects every sample.

    Raises
    ------
    InputError
        A column that is not in the sheet, or a value that no sample has in that column (the
        message lists the values found, which catches typos like ``'M 6'``).
    """
    mask = pd.Series(True, index=sheet.index)
    for column, wanted in selector.items():
        if column not in sheet.columns:
            raise InputError(
                f"config {where}: column {column!r} is not in the sample sheet {sheet_path} "
                f"(columns: {show_values(sheet.columns)}). Fix the selector or add the column."
            )
        values = _values(wanted)
        present = set(sheet[column])
        missing = [v for v in values if v not in present]
        if missing:
            raise InputError(
                f"config {where}: {column} {show_values(missing)} is not a value of column "
                f"{column!r} in {sheet_path} (values found: {show_values(sorted(present))}). Fix "
                "the value in the config or in the sample sheet."
            )
        mask &= sheet[column].isin(values)
    return mask


@dataclass
class Resolved:
    """Result of :func:`resolve_comparisons`.

    Attributes
    ----------
    table
        Long table ``comparison, sample_id, role, pair`` (role = case/control; pair = subject for
        paired comparisons, else empty).
    warnings
        Human-readable warnings (e.g. subjects left out of a paired comparison).
    """

    table: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def _pairs(
    sheet: pd.DataFrame,
    case: pd.Series,
    control: pd.Series,
    *,
    column: str,
    name: str,
    where: str,
    sheet_path: str,
) -> tuple[pd.DataFrame, list[str]]:
    if column not in sheet.columns:
        raise InputError(
            f"config {where}.paired_by: column {column!r} is not in the sample sheet {sheet_path} "
            f"(columns: {show_values(sheet.columns)})."
        )
    warnings = []
    sides = {}
    for role, mask in (("case", case), ("control", control)):
        sub = sheet.loc[mask, [SAMPLE_ID, column]]
        if (sub[column] == "").any():
            bad = sub.loc[sub[column] == "", SAMPLE_ID].iloc[0]
            raise InputError(
                f"config {where}: sample {bad!r} ({role}) has an empty {column!r} in {sheet_path}; "
                "a paired comparison needs the subject of every sample."
            )
        dup = sub[column].duplicated(keep=False)
        if dup.any():
            subject = sub.loc[dup, column].iloc[0]
            samples = sub.loc[sub[column] == subject, SAMPLE_ID].tolist()
            raise InputError(
                f"config {where}: subject {subject!r} has {len(samples)} {role} samples "
                f"({show_values(samples)}) in comparison {name!r}; a paired comparison needs one "
                f"case and one control sample per subject. Narrow the {role} selector (e.g. add "
                "the timepoint)."
            )
        sides[role] = sub.set_index(column)[SAMPLE_ID]
    common = sides["case"].index.intersection(sides["control"].index, sort=False)
    for role, other in (("case", "control"), ("control", "case")):
        alone = sides[role].index.difference(sides[other].index, sort=False)
        if len(alone):
            warnings.append(
                f"comparison {name!r}: {len(alone)} subject(s) with a {role} sample but no {other} "
                f"sample left out: {show_values(alone)}"
            )
    rows = []
    for role in ("case", "control"):
        for subject in common:
            rows.append((name, sides[role][subject], role, subject))
    return pd.DataFrame(rows, columns=["comparison", SAMPLE_ID, "role", "pair"]), warnings


def resolve_comparisons(
    sheet: pd.DataFrame,
    comparisons: Sequence[Mapping[str, Any]],
    *,
    sheet_path: str,
    min_group_size: int,
) -> Resolved:
    """Resolve the config's comparisons into case and control samples.

    Parameters
    ----------
    sheet
        Checked sample sheet (:func:`check_sample_sheet`).
    comparisons
        The config's ``comparisons`` list (name, case, control, optional paired_by and label).
    sheet_path
        Path of the sample sheet, for messages.
    min_group_size
        Smallest allowed group (config ``statistics.min_group_size``); for paired
        comparisons, the smallest number of complete pairs.

    Returns
    -------
    Resolved
        The long table and the warnings.

    Raises
    ------
    InputError
        Duplicate comparison names, selectors naming unknown columns or values, a group with no
        or too few samples, case and control sharing samples, paired comparisons whose subjects
        do not pair (several samples of a subject on one side, or fewer complete pairs than
        ``min_group_size``).
    """
    names = [c["name"] for c in comparisons]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"config comparisons: name(s) {show_values(dup)} used more than once.")
    frames, warnings = [], []
    for i, comp in enumerate(comparisons):
        name = comp["name"]
        where = f"comparisons[{i}] ({name})"
        masks = {}
        for role in ("case", "control"):
            mask = select_samples(sheet, comp[role], where=f"{where}.{role}", sheet_path=sheet_path)
            n = int(mask.sum())
            if n < min_group_size:
                raise InputError(
                    f"config {where}.{role}: selector {dict(comp[role])} matches {n} sample(s) in "
                    f"{sheet_path}; at least {min_group_size} are needed "
                    "(statistics.min_group_size). Widen the selector or drop the comparison."
                )
            masks[role] = mask
        shared = sheet.loc[masks["case"] & masks["control"], SAMPLE_ID]
        if len(shared):
            raise InputError(
                f"config {where}: {len(shared)} sample(s) are selected as both case and control: "
                f"{show_values(shared)}. Make the two selectors exclusive (e.g. add group or "
                "timepoint)."
            )
        paired_by = comp.get("paired_by")
        if paired_by:
            table, warn = _pairs(
                sheet,
                masks["case"],
                masks["control"],
                column=paired_by,
                name=name,
                where=where,
                sheet_path=sheet_path,
            )
            n_pairs = table["pair"].nunique()
            if n_pairs < min_group_size:
                raise InputError(
                    f"config {where}: only {n_pairs} subject(s) have both a case and a control "
                    f"sample (paired_by: {paired_by}); at least {min_group_size} complete pairs "
                    "are needed. Check the subject IDs or drop paired_by."
                )
            warnings.extend(warn)
        else:
            rows = [
                pd.DataFrame(
                    {
                        "comparison": name,
                        SAMPLE_ID: sheet.loc[masks[role], SAMPLE_ID].to_numpy(),
                        "role": role,
                        "pair": "",
                    }
                )
                for role in ("case", "control")
            ]
            table = pd.concat(rows, ignore_index=True)
        frames.append(table)
    return Resolved(pd.concat(frames, ignore_index=True), warnings)


#: What the comparisons table (``comparison, sample_id, role, pair``) is called in messages.
COMPARISONS_TABLE = "the comparisons table of the validate step"
#: Group name of the reference samples in :func:`heatmap_columns`.
REFERENCE_GROUP = "reference"


def comparison_design(comparisons: pd.DataFrame, comparison: str) -> pd.DataFrame:
    """The rows of the comparisons table (validate step) for one comparison, checked.

    Parameters
    ----------
    comparisons
        The long table ``comparison, sample_id, role, pair`` (strings; empty ``pair`` = unpaired).
    comparison
        Comparison name.

    Returns
    -------
    pandas.DataFrame
        ``sample_id``, ``role``, ``pair`` for that comparison, in file order.

    Raises
    ------
    InputError
        Missing columns, no rows for the comparison, a role other than case/control, a group
        without samples, or (paired) a pair without exactly one case and one control.
    """
    missing = {"comparison", "sample_id", "role", "pair"} - set(comparisons.columns)
    if missing:
        raise InputError(
            f"{COMPARISONS_TABLE}: missing column(s) {sorted(missing)}; expected comparison, "
            "sample_id, role, pair (re-run the validate step)"
        )
    rows = comparisons.loc[comparisons["comparison"] == comparison, ["sample_id", "role", "pair"]]
    rows = rows.fillna({"pair": ""}).astype(str).reset_index(drop=True)
    if rows.empty:
        known = ", ".join(pd.unique(comparisons["comparison"]).astype(str))
        raise InputError(
            f"{COMPARISONS_TABLE}: no rows for comparison '{comparison}' (found: {known}); check "
            "the comparison name in the config"
        )
    bad = rows.loc[~rows["role"].isin(["case", "control"]), "role"]
    if not bad.empty:
        raise InputError(
            f"{COMPARISONS_TABLE}: comparison '{comparison}' has role '{bad.iloc[0]}'; roles must "
            "be 'case' or 'control'"
        )
    for role in ("case", "control"):
        if not (rows["role"] == role).any():
            raise InputError(
                f"{COMPARISONS_TABLE}: comparison '{comparison}' has no {role} samples; check its "
                f"{role} selector in the config against the sample sheet"
            )
    paired = rows["pair"] != ""
    if paired.any():
        if not paired.all():
            raise InputError(
                f"{COMPARISONS_TABLE}: comparison '{comparison}' mixes rows with and without "
                "'pair'; a paired comparison lists complete pairs only (re-run the validate step)"
            )
        counts = rows.groupby(["pair", "role"]).size().unstack(fill_value=0)
        counts = counts.reindex(columns=["case", "control"], fill_value=0)
        wrong = counts[(counts["case"] != 1) | (counts["control"] != 1)]
        if not wrong.empty:
            pair = wrong.index[0]
            raise InputError(
                f"{COMPARISONS_TABLE}: comparison '{comparison}', pair '{pair}' has "
                f"{wrong.loc[pair, 'case']} case and {wrong.loc[pair, 'control']} control samples; "
                "each pair needs exactly one of each (check paired_by and the sheet)"
            )
    return rows


def reference_samples(samples: pd.DataFrame, selector: Mapping[str, object]) -> list[str]:
    """Sample IDs of ``samples`` matching every condition of ``selector``, in sheet order.

    The same selector semantics as the config's comparisons (:func:`select_samples`:
    ``column: value`` or ``column: [values]``, compared as text, YAML booleans as yes/no).

    Parameters
    ----------
    samples
        The validated sample sheet (``sample_id`` and the selector's columns, all cells
        strings).
    selector
        Column -> value or list of values (any of them); all conditions must hold. Config
        ``heatmaps.reference``, e.g. ``{group: healthy}``.

    Returns
    -------
    list of str
        IDs of the matching samples, in sample-sheet order (possibly empty when each value
        exists but no sample meets all conditions).

    Raises
    ------
    InputError
        An empty selector, a column that is not in the sample sheet, or a value no sample has.
    """
    if not selector:
        raise InputError(
            "heatmaps.reference is empty: name the reference group, e.g. {group: healthy}."
        )
    mask = select_samples(
        samples, selector, where="heatmaps.reference", sheet_path="the validated sample sheet"
    )
    return samples.loc[mask, "sample_id"].astype(str).tolist()


def heatmap_columns(
    samples: pd.DataFrame,
    comparisons_table: pd.DataFrame,
    *,
    reference: Mapping[str, object],
    comparisons: Sequence[str],
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The heatmap's columns: reference samples, then the case samples of each comparison.

    Every sample is drawn once: a sample already shown (a reference sample, or a case of an
    earlier comparison of ``comparisons``) is left out of the later groups, and a comparison
    whose cases were all shown before gets no group (:func:`heatmap_layout` counts both).

    Parameters
    ----------
    samples
        The validated sample sheet (``sample_id`` and selector columns).
    comparisons_table
        The comparisons table (``comparison``, ``sample_id``, ``role``).
    reference
        Selector of the reference (healthy) group, config ``heatmaps.reference``.
    comparisons
        Comparisons whose case samples are shown, in order (config ``heatmaps.comparisons``).
    labels
        Group label per comparison (config ``label``).

    Returns
    -------
    pandas.DataFrame
        One row per heatmap column, i.e. per distinct sample: ``sample_id``, ``group``
        (``"reference"`` or the comparison name), ``label``. Groups are contiguous (reference
        first, then comparisons in ``comparisons`` order); within a group samples keep
        sample-sheet order.
    """
    labels = dict(labels or {})
    ref = reference_samples(samples, reference)
    if not ref:
        raise InputError(
            f"heatmaps.reference {dict(reference)} matches no sample of the sample sheet; the "
            "heatmap needs reference samples to normalise to."
        )
    ref_label = "Reference (" + ", ".join(_flat(reference)) + ")"
    frames = [pd.DataFrame({"sample_id": ref, "group": REFERENCE_GROUP, "label": ref_label})]
    order = {s: i for i, s in enumerate(samples["sample_id"].astype(str))}
    known = set(comparisons_table["comparison"].astype(str))
    shown = set(ref)
    for comp in comparisons:
        if comp not in known:
            raise InputError(
                f"heatmaps.comparisons names {comp!r}, not a comparison of the comparisons table "
                f"({', '.join(sorted(known))})."
            )
        rows = comparisons_table[
            (comparisons_table["comparison"].astype(str) == comp)
            & (comparisons_table["role"] == "case")
        ]
        ids = sorted(dict.fromkeys(rows["sample_id"].astype(str)), key=lambda s: order.get(s, 0))
        ids = [s for s in ids if s not in shown]
        shown.update(ids)
        if ids:
            frames.append(
                pd.DataFrame({"sample_id": ids, "group": comp, "label": labels.get(comp, comp)})
            )
    return pd.concat(frames, ignore_index=True)


def heatmap_runs(groups: Sequence[str], *, max_columns: int) -> tuple[list[np.ndarray], int]:
    """Columns of a heatmap capped at ``max_columns``: runs of consecutive samples per group.

    With at most ``max_columns`` samples every sample is its own run. Otherwise every group
    (a contiguous block of ``groups``) is cut, in its order, into runs of ``k`` consecutive
    samples (the last run of a group may be shorter), ``k = ceil(n / (max_columns -
    n_groups))`` for ``n`` samples, so that at most ``max_columns`` runs result (with at least
    ``max_columns`` groups: one run per group).

    Parameters
    ----------
    groups
        Group of each sample, in column order (groups contiguous, as
        :func:`heatmap_columns` returns them).
    max_columns
        Most columns (config ``heatmaps.max_columns``).

    Returns
    -------
    runs, k
        Column positions of each run, in order, and ``k`` (1 when nothing is aggregated).
    """
    codes = pd.Series(list(groups), dtype=object)
    n = len(codes)
    if n <= max_columns:
        return [np.array([i]) for i in range(n)], 1
    names = list(dict.fromkeys(codes))
    sizes = codes.value_counts()
    k = (
        max(int(sizes.max()), 1)
        if len(names) >= max_columns
        else -(-n // (max_columns - len(names)))
    )
    runs = []
    for g in names:
        idx = np.flatnonzero((codes == g).to_numpy())
        runs.extend(idx[start : start + k] for start in range(0, len(idx), k))
    return runs, k


def heatmap_layout(
    samples: pd.DataFrame,
    comparisons_table: pd.DataFrame,
    *,
    reference: Mapping[str, object],
    comparisons: Sequence[str],
    max_columns: int,
) -> dict[str, int]:
    """What a module heatmap draws, in numbers (for the report caption).

    Parameters
    ----------
    samples, comparisons_table, reference, comparisons
        As for :func:`heatmap_columns`.
    max_columns
        Config ``heatmaps.max_columns``.

    Returns
    -------
    dict
        ``samples`` (distinct samples drawn), ``reference`` (of them in the reference group),
        ``columns`` (image columns), ``per_column`` (``k`` of :func:`heatmap_runs`: 1 = one
        sample per column, else the most samples a column's median summarises), ``repeated``
        (case samples of the listed comparisons already shown in the reference or an earlier
        group, drawn once), ``empty`` (listed comparisons left without a group because all
        their cases were shown before).
    """
    columns = heatmap_columns(
        samples, comparisons_table, reference=reference, comparisons=comparisons
    )
    runs, k = heatmap_runs(columns["group"].tolist(), max_columns=max_columns)
    cases = comparisons_table[
        comparisons_table["comparison"].astype(str).isin(list(comparisons))
        & (comparisons_table["role"] == "case")
    ]
    per_comparison = cases.drop_duplicates(["comparison", "sample_id"])
    n_reference = int((columns["group"] == REFERENCE_GROUP).sum())
    return {
        "samples": len(columns),
        "reference": n_reference,
        "columns": len(runs),
        "per_column": k,
        "repeated": len(per_comparison) - (len(columns) - n_reference),
        "empty": len(set(comparisons) - set(columns["group"])),
    }


def _flat(selector: Mapping[str, object]) -> list[str]:
    out = []
    for v in selector.values():
        out.extend(str(x) for x in (v if isinstance(v, list | tuple) else [v]))
    return out
