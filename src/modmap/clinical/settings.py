"""The clinical config section turned into the flat option dicts of the library functions.

The workflow passes these dicts as ``params: run={...}`` and calls the library with
``**run``; the parse-time responder derivation in ``workflow/rules/common.smk`` uses the same
dicts, so both see one reading of the config. Input is the schema-validated ``config["clinical"]``
(defaults filled in by workflow/schemas/config.schema.yaml).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from modmap.errors import InputError

__all__ = [
    "check_settings",
    "clinical_rule_params",
    "evaluate_params",
    "table1_sheet",
    "table_params",
    "table_visit",
]


def evaluate_params(clinical: Mapping[str, Any]) -> dict[str, Any]:
    """Options of :func:`modmap.clinical.evaluate.evaluate` (everything but the table)."""
    return {
        "visits": list(clinical["visits"]),
        "baseline": clinical["baseline"],
        "columns": dict(clinical.get("columns") or {}),
        "crp_normal": float(clinical["normal_limits"]["crp"]),
        "esr_normal": float(clinical["normal_limits"]["esr"]),
        "crp_below": float(clinical["crp_below"]),
        "prednisone_mg_kg_day": float(clinical["inactive"]["prednisone_mg_kg_day"]),
        "prednisone_mg_day": float(clinical["inactive"]["prednisone_mg_day"]),
        "physician_global_max": float(clinical["inactive"]["physician_global_max"]),
        "flare_reference": clinical["flare_reference"],
    }


def table_visit(clinical: Mapping[str, Any]) -> str:
    """The visit of Table 2: ``table2.visit``, else the first visit after the baseline."""
    visit = clinical["table2"].get("visit")
    if visit:
        return visit
    visits = list(clinical["visits"])
    return visits[min(visits.index(clinical["baseline"]) + 1, len(visits) - 1)]


def table_params(clinical: Mapping[str, Any]) -> dict[str, Any]:
    """Options of the tables script: arms, Table 1 rows, Table 2 visit, rows, changes, missing."""
    return {
        "arms": list(clinical["arms"]) if clinical.get("arms") else None,
        "table1_rows": [dict(r) for r in clinical["table1"]],
        "table2_visit": table_visit(clinical),
        "table2_rows": [dict(r) for r in clinical["table2"]["rows"]],
        "table2_changes": list(clinical["table2"]["changes"]),
        "table2_missing": clinical["table2"]["missing"],
        "crp_below": float(clinical["crp_below"]),
        "double_blind_until": clinical.get("double_blind_until"),
        "table1_sheet": table1_sheet(clinical),
    }


def table1_sheet(clinical: Mapping[str, Any]) -> dict[str, Any] | None:
    """Config ``clinical.table1_samples`` as options of
    :func:`modmap.clinical.sheet.sheet_characteristics`, or None without rows."""
    section = clinical.get("table1_samples") or {}
    if not section.get("rows"):
        return None
    return {
        "rows": [dict(r) for r in section["rows"]],
        "subject_column": section.get("subject_column", "subject_id"),
        "visit_column": section.get("visit_column"),
    }


def check_settings(clinical: Mapping[str, Any]) -> None:
    """Cross-checks the schema cannot express: files exist, visits named are visits.

    Raises
    ------
    InputError
        A file that does not exist, ``adverse_events`` without ``followup``, a baseline,
        responder, Table 2 or ``double_blind_until`` visit not in ``visits``, one of the last
        three equal to the baseline, a visit listed twice.
    """
    visits = list(clinical["visits"])
    if len(set(visits)) != len(visits):
        raise InputError(f"config clinical.visits: a visit is listed twice in {visits}.")
    for key in ("path", "adverse_events", "followup"):
        path = clinical.get(key)
        if path and not os.path.isfile(path):
            raise InputError(
                f"config clinical.{key}: file {path!r} does not exist (relative paths are read "
                f"from {os.getcwd()}). Set clinical.{key} to an existing file."
            )
    if bool(clinical.get("adverse_events")) != bool(clinical.get("followup")):
        raise InputError(
            "config clinical: adverse_events and followup go together (Table 3 gives rates per "
            "patient-year): set both, or neither."
        )
    if visits and visits[-1] == clinical["baseline"]:
        raise InputError(
            f"config clinical.baseline: {clinical['baseline']!r} is the last of clinical.visits "
            f"({', '.join(visits)}); list the visits in time order, baseline first."
        )
    named = [("clinical.baseline", clinical["baseline"])]
    if clinical.get("responder"):
        named.append(("clinical.responder.visit", clinical["responder"]["visit"]))
    if clinical["table2"].get("visit"):
        named.append(("clinical.table2.visit", clinical["table2"]["visit"]))
    if clinical.get("double_blind_until"):
        named.append(("clinical.double_blind_until", clinical["double_blind_until"]))
    for key, visit in named:
        if visit not in visits:
            raise InputError(
                f"config {key}: {visit!r} is not one of clinical.visits ({', '.join(visits)})."
            )
        if key != "clinical.baseline" and visit == clinical["baseline"]:
            why = (
                "the double-blind period runs from the baseline up to that visit"
                if key == "clinical.double_blind_until"
                else "responses are measured at a later visit against the baseline"
            )
            raise InputError(f"config {key}: {visit!r} is the baseline; {why}. Name a later visit.")


def clinical_rule_params(config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Rule name -> ``params.run`` of the clinical rules ({} without a clinical section).

    ``clinical_response`` gets :func:`evaluate_params`; ``clinical_responders`` the reading
    options plus ``definition`` and ``visit``; ``clinical_tables`` the reading options plus
    :func:`table_params`; ``validate_responder`` the keys rule validate needs to merge
    responders.tsv (``responder``: column and subject_column, or None; ``clinical_path``).
    """
    clinical = config.get("clinical")
    if not clinical:
        return {}
    run = evaluate_params(clinical)
    reading = {k: run[k] for k in ("visits", "baseline", "columns")}
    responder = clinical.get("responder")
    return {
        "clinical_response": run,
        "clinical_responders": {
            **reading,
            "definition": responder["definition"] if responder else None,
            "visit": responder["visit"] if responder else None,
        },
        "clinical_tables": {**reading, **table_params(clinical)},
        "validate_responder": {
            "responder": (
                {"column": responder["column"], "subject_column": responder["subject_column"]}
                if responder
                else None
            ),
            "clinical_path": clinical["path"],
        },
    }
