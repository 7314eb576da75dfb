"""The config of the longitudinal stage: defaults, cross-checks, targets and rule parameters.

Each of the five capabilities has its own top-level config section (``signature``, ``analytes``,
``labs``, ``survival``, ``transcripts``), null by default: a config without them runs as before.
The workflow (``workflow/rules/longitudinal.smk``) calls these functions at parse time, so a bad
reference (a followed comparison that does not exist, a missing table) stops the run before any
job starts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from modmap.errors import InputError
from modmap.longitudinal.labs import LAB_VARIABLES
from modmap.longitudinal.signature import follow_pairs

__all__ = [
    "DEFAULTS",
    "analytes_run",
    "labs_run",
    "longitudinal_params",
    "names_pattern",
    "signature_follow",
    "signature_run",
    "transcript_comparisons",
    "transcripts_run",
    "check_longitudinal",
    "longitudinal_targets",
    "section",
]

#: Defaults of each section's keys (the schema states the same; applied here too because a
#: schema default cannot be applied inside a section that is null by default).
DEFAULTS: dict[str, dict[str, Any]] = {
    "signature": {"follow": [], "baseline": None, "changed_pct": None},
    "analytes": {
        "path": None,
        "analytes": [],
        "genes": [],
        "baseline": "D1",
        "visit": "M6",
        "test": "paired_t",
        "group_by": "arm",
        "subject_column": "subject_id",
        "visit_column": "timepoint",
        "min_pairs": 3,
    },
    "labs": {
        "path": None,
        "variables": list(LAB_VARIABLES),
        "visits": ["D1", "M1", "M6"],
        "baseline": "D1",
        "group_by": "arm",
        "log_scale": ["saa", "crp", "ferritin"],
        "min_pairs": 3,
    },
    "survival": {"path": None, "time_label": "days after withdrawal"},
    "transcripts": {"comparisons": None, "sets": []},
}

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


def section(config: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """The config section ``name`` with its defaults applied, or None when it is off."""
    given = config.get(name)
    if given is None:
        return None
    return {**DEFAULTS[name], **given}


def _comparisons(config: Mapping[str, Any]) -> list[str]:
    return [c["name"] for c in config.get("comparisons", [])]


def _file(key: str, path: str | None) -> None:
    if path is not None and not os.path.isfile(path):
        raise InputError(
            f"config {key}: file {path!r} does not exist (relative paths are read from "
            f"{os.getcwd()}). Set {key} to an existing file."
        )


def _known(key: str, names: list[str], known: list[str]) -> None:
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InputError(
            f"config {key} names {', '.join(map(repr, unknown))}, not a comparison of the "
            f"config (comparisons: {', '.join(known)}). Use comparison names from the config."
        )


def _file_names(key: str, names: list[str]) -> None:
    for n in names:
        if not _NAME.match(str(n)):
            raise InputError(
                f"config {key}: {n!r} is used in file names and must start with a letter or "
                "digit and hold only letters, digits, '_', '.', '-'."
            )
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"config {key}: {', '.join(dup)} listed twice.")


def names_pattern(names: Sequence[object]) -> str:
    """Wildcard regex matching exactly ``names`` (one that matches nothing when empty)."""
    return "|".join(re.escape(str(n)) for n in names) or "(?!)"


def signature_follow(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(comparison, baseline)`` of every ``signature.follow`` entry (after defaults)."""
    sig = section(config, "signature")
    core = list(config.get("module_map", {}).get("core_signature", []))
    baseline = sig["baseline"] or (core[0] if core else "")
    return follow_pairs(sig["follow"], default_baseline=baseline)


def check_longitudinal(config: Mapping[str, Any]) -> None:
    """Check every longitudinal section against the rest of the config and the file system.

    Raises
    ------
    InputError
        A followed, baseline or set comparison that is not in ``comparisons``, an empty
        ``module_map.core_signature`` with ``signature`` on, a table that does not exist,
        analytes without any table or gene, a baseline that is not among the visits, a name
        unfit for a file name, a log-scale variable that is not followed.
    """
    known = _comparisons(config)
    sig = section(config, "signature")
    if sig is not None:
        if not sig["follow"]:
            raise InputError("config signature.follow is empty; name the comparisons to follow.")
        if not config.get("module_map", {}).get("core_signature"):
            raise InputError(
                "config signature is on but module_map.core_signature is empty: there is no "
                "core signature to follow. Name its comparisons there (e.g. [anakinra_D1, "
                "placebo_D1])."
            )
        pairs = signature_follow(config)
        _known("signature.follow", [c for c, _ in pairs], known)
        _known("signature baseline", [b for _, b in pairs], known)
    an = section(config, "analytes")
    if an is not None:
        _file("analytes.path", an["path"])
        if an["path"] is None and an["analytes"]:
            raise InputError(
                "config analytes.analytes names analytes but analytes.path is null; give the "
                "analyte table (subject_id, visit, analyte, value)."
            )
        if an["path"] is not None and not an["analytes"]:
            raise InputError(
                "config analytes.path is set but analytes.analytes is empty; list the analytes "
                "of the table to test (e.g. [IP10, TRAIL])."
            )
        names = [*map(str, an["analytes"]), *map(str, an["genes"])]
        if not names:
            raise InputError("config analytes: name analytes (with a path) and/or genes.")
        _file_names("analytes.analytes + analytes.genes", names)
        if an["baseline"] == an["visit"]:
            raise InputError(
                f"config analytes: baseline and visit are both {an['baseline']!r}; name two visits."
            )
    labs = section(config, "labs")
    if labs is not None:
        if labs["path"] is None:
            raise InputError("config labs.path: give the clinical (or long lab) table.")
        _file("labs.path", labs["path"])
        _file_names("labs.variables", [str(v) for v in labs["variables"]])
        if labs["baseline"] not in labs["visits"]:
            raise InputError(
                f"config labs.baseline {labs['baseline']!r} is not one of labs.visits "
                f"({', '.join(labs['visits'])})."
            )
        stray = [v for v in labs["log_scale"] if v not in labs["variables"]]
        if stray:
            raise InputError(
                f"config labs.log_scale names {', '.join(stray)}, not in labs.variables."
            )
    surv = section(config, "survival")
    if surv is not None:
        if surv["path"] is None:
            raise InputError("config survival.path: give the withdrawal table.")
        _file("survival.path", surv["path"])
    tr = section(config, "transcripts")
    if tr is not None:
        _known("transcripts.comparisons", list(tr["comparisons"] or []), known)
        _file_names("transcripts.sets name", [str(s["name"]) for s in tr["sets"]])
        for s in tr["sets"]:
            listed = _as_list(s.get("in")) + _as_list(s.get("not_in"))
            _known(f"transcripts.sets {s['name']!r}", listed, known)
            if not _as_list(s.get("in")):
                raise InputError(f"config transcripts.sets {s['name']!r}: 'in' is empty.")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def transcript_comparisons(config: Mapping[str, Any]) -> list[str]:
    """Comparisons counted by ``transcripts`` plus every one a set names, in config order."""
    tr = section(config, "transcripts")
    chosen = set(tr["comparisons"] or _comparisons(config))
    for s in tr["sets"]:
        chosen |= set(_as_list(s.get("in")) + _as_list(s.get("not_in")))
    return [c for c in _comparisons(config) if c in chosen]


def signature_run(config: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters of rule ``signature`` (flat; the script passes them on as keywords)."""
    mm = config["module_map"]
    sig = section(config, "signature")
    core_threshold = max(float(mm["min_pct"]), float(mm["changed_pct"]))
    threshold = core_threshold if sig["changed_pct"] is None else float(sig["changed_pct"])
    return {
        "core_comparisons": list(mm["core_signature"]),
        "follow": [list(p) for p in signature_follow(config)],
        "value": mm["value"],
        "core_threshold": core_threshold,
        "threshold": threshold,
    }


def analytes_run(config: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters of rule ``analyte_tests``."""
    an = section(config, "analytes")
    keys = ("analytes", "genes", "baseline", "visit", "test", "group_by", "subject_column")
    run = {k: an[k] for k in keys}
    run["visit_column"] = an["visit_column"]
    run["min_pairs"] = int(an["min_pairs"])
    run["exact_with_ties"] = bool(config["statistics"]["exact_with_ties"])
    run["analytes"] = [str(a) for a in run["analytes"]]
    run["genes"] = [str(g) for g in run["genes"]]
    return run


def labs_run(config: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters of rule ``labs``."""
    labs = section(config, "labs")
    return {
        "variables": [str(v) for v in labs["variables"]],
        "visits": [str(v) for v in labs["visits"]],
        "baseline": str(labs["baseline"]),
        "group_by": labs["group_by"],
        "log_scale": [str(v) for v in labs["log_scale"]],
        "min_pairs": int(labs["min_pairs"]),
        "exact_with_ties": bool(config["statistics"]["exact_with_ties"]),
    }


def transcripts_run(config: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters of rule ``transcripts``."""
    tr = section(config, "transcripts")
    return {
        "count_comparisons": [
            c for c in _comparisons(config) if c in set(tr["comparisons"] or _comparisons(config))
        ],
        "sets": [
            {
                "name": str(s["name"]),
                "in": _as_list(s.get("in")),
                "not_in": _as_list(s.get("not_in")),
            }
            for s in tr["sets"]
        ],
        "alpha": float(config["statistics"]["alpha"]),
        "threshold_on": config["statistics"]["threshold_on"],
        # the module scores' call options (modmap.stats.calls.gene_calls)
        "fold_change_cutoff": config["statistics"].get("fold_change_cutoff", 0.0),
        "fold_change_on": config["statistics"].get("fold_change_on", "log2_fc"),
        "direction_from": config["statistics"].get("direction_from", "statistic"),
    }


def longitudinal_params(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Rule name -> ``params.run`` of the longitudinal rules whose section is on.

    Merged into :func:`modmap.settings.rule_params` (``PARAMS`` in the workflow).
    """
    labels = {c["name"]: c.get("label") or c["name"] for c in config["comparisons"]}
    out: dict[str, dict[str, Any]] = {}
    if section(config, "signature") is not None:
        out["signature"] = signature_run(config)
        out["signature_figure"] = {"labels": labels}
    an = section(config, "analytes")
    if an is not None:
        out["analyte_tests"] = analytes_run(config)
        out["analyte_figure"] = {"baseline": an["baseline"], "visit": an["visit"]}
    labs = section(config, "labs")
    if labs is not None:
        out["labs"] = labs_run(config)
        out["lab_figure"] = {"visits": out["labs"]["visits"], "log_scale": out["labs"]["log_scale"]}
    surv = section(config, "survival")
    if surv is not None:
        out["kaplan_meier_figure"] = {"time_label": surv["time_label"]}
    if section(config, "transcripts") is not None:
        out["transcripts"] = transcripts_run(config)
    # rule longitudinal_figures draws the lab, analyte and Kaplan-Meier figures in one job: the
    # keywords of each kind, under its former rule's name
    figures = {
        k: out.pop(k) for k in ("lab_figure", "analyte_figure", "kaplan_meier_figure") if k in out
    }
    if figures:
        out["longitudinal_figures"] = figures
    return out


def longitudinal_targets(config: Mapping[str, Any]) -> list[str]:
    """Every output of the longitudinal sections that are on (empty when all are off)."""
    out: list[str] = []
    if section(config, "signature") is not None:
        out += [
            "results/modules/core_signature.tsv",
            "results/modules/signature.tsv",
            "results/modules/signature_counts.tsv",
            "results/figures/signature.pdf",
            "results/figures/signature.png",
            "results/report/signature_counts.html",
        ]
    an = section(config, "analytes")
    if an is not None:
        out += ["results/analytes/tests.tsv", "results/analytes/pairs.tsv"]
        out += [
            f"results/figures/analytes/{a}.{ext}"
            for a in [*an["analytes"], *an["genes"]]
            for ext in ("pdf", "png")
        ]
        out.append("results/report/analyte_tests.html")
    labs = section(config, "labs")
    if labs is not None:
        out += ["results/labs/summary.tsv", "results/labs/values.tsv"]
        out += [
            f"results/figures/labs/{v}.{ext}" for v in labs["variables"] for ext in ("pdf", "png")
        ]
        out.append("results/report/lab_summary.html")
    if section(config, "survival") is not None:
        out += [
            "results/survival/km.tsv",
            "results/survival/median.tsv",
            "results/figures/kaplan_meier.pdf",
            "results/figures/kaplan_meier.png",
            "results/report/time_to_flare.html",
        ]
    tr = section(config, "transcripts")
    if tr is not None:
        out += [
            "results/transcripts/counts.tsv",
            "results/transcripts/sets.tsv",
            "results/report/transcript_counts.html",
            "results/report/transcript_sets.html",
        ]
        out += [f"results/transcripts/sets/{s['name']}.tsv" for s in tr["sets"]]
    return out
