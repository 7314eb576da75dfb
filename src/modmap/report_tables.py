"""The report's HTML tables: which ones a config makes, their titles and their caption strings.

Rule ``report_tables`` (workflow/rules/report.smk) renders every table of the report in one job
(one interpreter start-up instead of one per table; issue 16). Its ``params.run`` is
:func:`report_table_params`: one entry per table that the config turns on, keyed by the table's
name (the stem of its ``results/report/<name>.html`` and the rule's input and output name):

``module_scores``, ``bridge_summary``, ``module_enrichment``
    always;
``clinical_table1``, ``clinical_table2``
    with a ``clinical`` section; ``clinical_table3`` when it also sets ``adverse_events``,
    ``clinical_responders`` when it also sets ``responder`` (docs/clinical.md);
``signature_counts``, ``analyte_tests``, ``lab_summary``, ``time_to_flare``, ``transcript_*``
    with the longitudinal section ``signature``, ``analytes``, ``labs``, ``survival``,
    ``transcripts`` (``transcript_counts`` and ``transcript_sets``) on (docs/longitudinal.md).

Each entry holds the page ``title`` and ``significant`` (options of
:func:`modmap.plots.tables.table_html`), ``display`` (``"plain"``: the TSV as written;
``"clinical"``: every cell read as text and rounded for people by
:func:`modmap.clinical.display.display_table`) and ``caption``: the strings the table's caption
(``workflow/report/<caption>.rst``) shows, user text escaped with :func:`modmap.rst.rst_text`.
Nothing here reads a file or knows a ``results/`` path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from modmap.clinical.settings import evaluate_params, table_visit
from modmap.longitudinal.options import section, signature_run
from modmap.rst import rst_text

__all__ = ["TABLES", "Display", "report_table_params"]

#: Every table the report can show, in the order the job renders them.
TABLES = (
    "module_scores",
    "bridge_summary",
    "module_enrichment",
    "clinical_table1",
    "clinical_table2",
    "clinical_table3",
    "clinical_responders",
    "signature_counts",
    "analyte_tests",
    "lab_summary",
    "time_to_flare",
    "transcript_counts",
    "transcript_sets",
)

Display = Literal["plain", "clinical"]


def _entry(
    title: str,
    *,
    significant: bool = False,
    display: Display = "plain",
    caption: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "title": title,
        "significant": significant,
        "display": display,
        "caption": dict(caption or {}),
    }


def _clinical_tables(clinical: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    baseline = rst_text(clinical["baseline"])
    limits = evaluate_params(clinical)
    out = {
        "clinical_table1": _entry(
            "Table 1. Baseline characteristics by arm and overall",
            display="clinical",
            caption={"baseline": baseline},
        ),
        "clinical_table2": _entry(
            "Table 2. Responses by arm",
            display="clinical",
            caption={
                "baseline": baseline,
                "visit": rst_text(table_visit(clinical)),
                "missing": clinical["table2"]["missing"],
                "crp_below": float(clinical["crp_below"]),
            },
        ),
    }
    if clinical.get("adverse_events"):
        until = clinical.get("double_blind_until")
        out["clinical_table3"] = _entry(
            "Table 3. Adverse events",
            display="clinical",
            caption={"double_blind_until": rst_text(until) if until else ""},
        )
    responder = clinical.get("responder")
    if responder:
        out["clinical_responders"] = _entry(
            "Responders derived from the clinical table",
            display="clinical",
            caption={
                "baseline": baseline,
                "visit": rst_text(responder.get("visit", "")),
                "definition": responder.get("definition", ""),
                "column": rst_text(responder.get("column", "")),
                "subject_column": rst_text(responder.get("subject_column", "")),
                "crp_normal": limits["crp_normal"],
                "esr_normal": limits["esr_normal"],
                "crp_below": limits["crp_below"],
            },
        )
    return out


def _longitudinal_tables(
    config: Mapping[str, Any], labels: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    out = {}
    if section(config, "signature") is not None:
        run = signature_run(config)
        out["signature_counts"] = _entry(
            "Core signature in the followed comparisons (counts per status)",
            caption={
                # (comparison, baseline) label pairs, escaped
                "follow": [[rst_text(labels[c]), rst_text(labels[b])] for c, b in run["follow"]],
                "threshold": run["threshold"],
            },
        )
    analytes = section(config, "analytes")
    if analytes is not None:
        out["analyte_tests"] = _entry(
            "Paired tests within subjects (analytes and genes)",
            caption={
                "test": analytes["test"],
                "baseline": rst_text(analytes["baseline"]),
                "visit": rst_text(analytes["visit"]),
                "group_by": rst_text(analytes["group_by"] or "all subjects"),
            },
        )
    labs = section(config, "labs")
    if labs is not None:
        out["lab_summary"] = _entry(
            "Lab endpoints: median (IQR) per visit and group, signed-rank vs baseline",
            caption={
                "baseline": rst_text(labs["baseline"]),
                "group_by": rst_text(labs["group_by"] or "all subjects"),
            },
        )
    if section(config, "survival") is not None:
        out["time_to_flare"] = _entry("Time from withdrawal to flare (Kaplan-Meier median)")
    if section(config, "transcripts") is not None:
        out["transcript_counts"] = _entry("Transcripts changed per comparison")
        out["transcript_sets"] = _entry(
            "Transcript sets (changed in every 'in' comparison, in no 'not_in' one)"
        )
    return out


def report_table_params(
    config: Mapping[str, Any], *, labels: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Table name -> its title, display, number format and caption strings (``params.run``).

    Parameters
    ----------
    config
        The config after schema validation with defaults filled in.
    labels
        Comparison name -> label (:func:`modmap.settings.comparison_labels`), for the signature
        caption.

    Returns
    -------
    dict
        One entry per table the config turns on, in the order of :data:`TABLES`: ``title``
        (str, the page heading), ``significant`` (bool: floats with 3 significant digits instead
        of 1 decimal), ``display`` (:data:`Display`) and ``caption`` (dict of caption strings,
        user text escaped for reStructuredText).
    """
    percent_of = config["statistics"]["percent_of"]
    out = {
        "module_scores": _entry(f"Module scores (% of {percent_of} genes changed, per comparison)"),
        "bridge_summary": _entry("Bridge summary: source features by translation status"),
        "module_enrichment": _entry(
            "Module rank enrichment (tmod CERNO and U tests, genes ranked by p-value)",
            significant=True,
        ),
    }
    if config.get("clinical"):
        out.update(_clinical_tables(config["clinical"]))
    out.update(_longitudinal_tables(config, labels))
    return {name: out[name] for name in TABLES if name in out}
