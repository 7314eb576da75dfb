"""Comparisons as data: sample selectors and the checks that run before anything else.

A comparison names a ``case`` and a ``control`` selector over sample-sheet columns, e.g.
``{timepoint: D1, arm: anakinra}`` against ``{group: healthy}``, and optionally a ``paired_by``
column for within-subject comparisons. :func:`resolve_comparisons` turns the config's list into the
long table ``comparison, sample_id, role, pair`` that the statistics stage reads, and raises
:class:`~modmap.errors.InputError` with a message naming the file, the row or the key, and the fix.

All functions here are pure: they take an already-read sample sheet (every cell a string) and the
config as plain dicts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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


def _show(values: Iterable[str], *, limit: int = 8) -> str:
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
            f"{_show(sheet.columns)}). Rename the column or set samples.id_column in the config."
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
            f"{path} line {lines[empty].iloc[0]}: empty sample ID in column {id_column!r}. "
            "Every row needs the sample ID used as column header in the expression matrix."
        )
    dup = ids.duplicated(keep=False)
    if dup.any():
        first = ids[dup].iloc[0]
        where = ", ".join(str(n) for n in lines[ids == first])
        raise InputError(
            f"{path}: sample ID {first!r} appears on lines {where} "
            f"({ids[dup].nunique()} duplicated ID(s) in all). Sample IDs must be unique: "
            "remove the repeated rows or give technical replicates their own IDs."
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
                f"(columns: {_show(sheet.columns)}). Fix the selector or add the column."
            )
        values = _values(wanted)
        present = set(sheet[column])
        missing = [v for v in values if v not in present]
        if missing:
            raise InputError(
                f"config {where}: {column} {_show(missing)} is not a value of column {column!r} "
                f"in {sheet_path} (values found: {_show(sorted(present))}). Fix the value in the "
                "config or in the sample sheet."
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
            f"(columns: {_show(sheet.columns)})."
        )
    warnings = []
    sides = {}
    for role, mask in (("case", case), ("control", control)):
        sub = sheet.loc[mask, [SAMPLE_ID, column]]
        if (sub[column] == "").any():
            bad = sub.loc[sub[column] == "", SAMPLE_ID].iloc[0]
            raise InputError(
                f"config {where}: sample {bad!r} ({role}) has an empty {column!r} in {sheet_path}; "
                f"a paired comparison needs the subject of every sample."
            )
        dup = sub[column].duplicated(keep=False)
        if dup.any():
            subject = sub.loc[dup, column].iloc[0]
            samples = sub.loc[sub[column] == subject, SAMPLE_ID].tolist()
            raise InputError(
                f"config {where}: subject {subject!r} has {len(samples)} {role} samples "
                f"({_show(samples)}) in comparison {name!r}; a paired comparison needs one case "
                f"and one control sample per subject. Narrow the {role} selector (e.g. add the "
                "timepoint)."
            )
        sides[role] = sub.set_index(column)[SAMPLE_ID]
    common = sides["case"].index.intersection(sides["control"].index, sort=False)
    for role, other in (("case", "control"), ("control", "case")):
        alone = sides[role].index.difference(sides[other].index, sort=False)
        if len(alone):
            warnings.append(
                f"comparison {name!r}: {len(alone)} subject(s) with a {role} sample but no "
                f"{other} sample left out: {_show(alone)}"
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
    min_group_size: int = 3,
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
        Smallest allowed group (config ``statistics.min_group_size``, default 3); for paired
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
        raise InputError(f"config comparisons: name(s) {_show(dup)} used more than once.")
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
                    f"config {where}.{role}: selector {dict(comp[role])} matches {n} sample(s) "
                    f"in {sheet_path}; at least {min_group_size} are needed "
                    "(statistics.min_group_size). Widen the selector or drop the comparison."
                )
            masks[role] = mask
        shared = sheet.loc[masks["case"] & masks["control"], SAMPLE_ID]
        if len(shared):
            raise InputError(
                f"config {where}: {len(shared)} sample(s) are selected as both case and control: "
                f"{_show(shared)}. Make the two selectors exclusive (e.g. add group or timepoint)."
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


def check_config_references(config: Mapping[str, Any]) -> None:
    """Check cross-references and input files of an already schema-validated config.

    Raises
    ------
    InputError
        An input file that does not exist, a ``module_map.core_signature`` or
        ``heatmaps.comparisons`` entry naming no comparison, or ``threshold_on: q_value`` without
        ``fdr: true``.
    """
    names = [c["name"] for c in config["comparisons"]]
    files = [
        ("expression.path", config["expression"]["path"]),
        ("samples.path", config["samples"]["path"]),
        ("modules.path", config["modules"]["path"]),
    ]
    for side in ("source", "target"):
        table = config["bridge"].get(side)
        if table:
            files.append((f"bridge.{side}.path", table["path"]))
    if config["bridge"].get("update_symbols"):
        files.append(("bridge.alias_table", config["bridge"]["alias_table"]))
    for key, path in files:
        if not os.path.isfile(path):
            raise InputError(
                f"config {key}: file {path!r} does not exist (relative paths are read from "
                f"{os.getcwd()}). Set {key} in your config file to an existing file."
            )
    for key, listed in (
        ("module_map.core_signature", config["module_map"]["core_signature"]),
        ("heatmaps.comparisons", config["heatmaps"]["comparisons"] or []),
    ):
        unknown = [n for n in listed if n not in names]
        if unknown:
            hint = (
                " Its default is the SJIA trial's (anakinra_D1, placebo_D1): set it to your own "
                "comparisons, or to [] for no outline."
                if key == "module_map.core_signature"
                else " Set it to your own comparisons, or to null for every unpaired one."
            )
            raise InputError(
                f"config {key}: {_show(unknown)} is not a comparison name (names: "
                f"{_show(names)}).{hint}"
            )
    stats = config["statistics"]
    if stats["threshold_on"] == "q_value" and not stats["fdr"]:
        raise InputError(
            "config statistics.threshold_on is q_value but statistics.fdr is false: set fdr: true "
            "so q-values are computed, or use threshold_on: p_value."
        )
