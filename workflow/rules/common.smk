"""Helpers shared by all rules: config and sample-sheet checks, rule parameters, targets, resources.

Parsing stays cheap because every cluster job parses the Snakefile again: only the config and the
sample sheet are read here. Everything that needs the expression matrix happens in rule validate.
The config is turned into each rule's parameters by modmap.settings (PARAMS["rule_name"]); the
rules own every results/ path.
"""

import os
import re

from snakemake.utils import validate

from modmap import settings
from modmap.design import check_sample_sheet, resolve_comparisons, select_samples
from modmap.io import read_sample_sheet
from modmap.clinical import derive_responders, evaluate, merge_responders, read_table
from modmap.modules import check_module_ids
from modmap.presets import apply_preset
from modmap.rst import caption_strings, report_safe
from modmap.schema import validate_config

settings.check_required(config)
# statistics.preset fills only the keys the config does not set: before the schema defaults.
_PRESET_KEYS = apply_preset(config)
validate_config(config, workflow.source_path("../schemas/config.schema.yaml"))
if _PRESET_KEYS:
    logger.info(
        f"modmap: statistics.preset {config['statistics']['preset']} set "
        + ", ".join(_PRESET_KEYS)
    )
for _note in settings.check_config(config):
    logger.info(f"modmap: {_note}")
check_module_ids(
    config["heatmaps"]["modules"],
    config["modules"]["path"],
    format=config["modules"]["format"],
)

SAMPLE_SHEET = config["samples"]["path"]
SAMPLES = check_sample_sheet(
    read_sample_sheet(SAMPLE_SHEET),
    path=SAMPLE_SHEET,
    id_column=config["samples"]["id_column"],
)
validate(
    SAMPLES, workflow.source_path("../schemas/samples.schema.yaml"), set_default=False
)
# One flat dict per rule (modmap.settings.rule_params).
# Optional clinical stage (docs/clinical.md). The clinical table is tiny, so the responder column
# is derived here too (pure and cheap) and comparisons can select on it; rule clinical_responders
# writes the same values to results/clinical/responders.tsv and rule validate merges that file.
# report_safe: the report prints each job's params as text inside a <script> element, so
# params holding user strings (labels, the reference) must not print "<" (modmap.rst).
PARAMS = {rule: report_safe(run) for rule, run in settings.rule_params(config).items()}
CLINICAL = config.get("clinical")
RESPONDER = (CLINICAL or {}).get("responder")
if CLINICAL:  # a bad clinical table is reported before anything runs
    _clinical = evaluate(
        read_table(CLINICAL["path"]),
        path=CLINICAL["path"],
        **PARAMS["clinical_response"],
    )
if RESPONDER:
    SAMPLES = merge_responders(
        SAMPLES,
        derive_responders(
            _clinical.response,
            _clinical.subjects,
            definition=RESPONDER["definition"],
            visit=RESPONDER["visit"],
        ),
        column=RESPONDER["column"],
        subject_column=RESPONDER["subject_column"],
        sheet_path=SAMPLE_SHEET,
        clinical_path=CLINICAL["path"],
    )
# Checked at parse time so a bad selector stops the run before any job; rule validate writes the
# resolved table.
RESOLVED = resolve_comparisons(
    SAMPLES,
    config["comparisons"],
    sheet_path=SAMPLE_SHEET,
    min_group_size=config["statistics"]["min_group_size"],
)
if config["heatmaps"]["modules"]:
    select_samples(
        SAMPLES,
        config["heatmaps"]["reference"],
        where="heatmaps.reference",
        sheet_path=SAMPLE_SHEET,
    )
for _warning in RESOLVED.warnings:
    logger.warning(f"modmap: {_warning}")

COMPARISONS = settings.comparison_names(config)
HEATMAP_MODULES = settings.heatmap_modules(config)
HEATMAP_COMPARISONS = settings.heatmap_comparisons(config)
# User strings of the report captions, escaped for reStructuredText (rules pass it as params.rst).
REPORT_RST = caption_strings(
    settings.comparison_labels(config),
    modules=HEATMAP_MODULES,
    reference=config["heatmaps"]["reference"],
)


wildcard_constraints:
    comparison="|".join(re.escape(c) for c in COMPARISONS),


def _input_mb(input):
    return sum(os.path.getsize(f) for f in input if os.path.exists(f)) / 1e6


def mem_mb_scaled(base_mb, mb_per_input_mb):
    """Memory in MB from the size of the job's input files, growing with the attempt.

    ``base_mb + mb_per_input_mb * input size in MB``, times the attempt number, so that
    ``--retries`` rescues an out-of-memory kill with more memory.
    """

    def mem_mb(wildcards, input, attempt):
        return int((base_mb + mb_per_input_mb * _input_mb(input)) * attempt)

    return mem_mb


def runtime_scaled(base_min, min_per_input_gb):
    """Runtime in minutes from the size of the job's input files, growing with the attempt."""

    def runtime(wildcards, input, attempt):
        return int((base_min + min_per_input_gb * _input_mb(input) / 1000) * attempt)

    return runtime


def figure_report(path, caption, category, subcategory=None, **labels):
    """``report(...)`` of one output file: caption from workflow/report/, labels as keywords.

    ``figure_report("results/figures/x.pdf", "x.rst", "1. Module maps", figure="x", format="PDF")``
    """
    return report(
        path,
        caption=f"../report/{caption}",
        category=category,
        subcategory=subcategory,
        labels=labels,
    )


def all_targets():
    """Every final output of the workflow (the inputs of rule all), from the rules' outputs."""
    return [
        *rules.validate.output,
        *rules.bridge.output,
        *expand(rules.gene_tests.output.table, comparison=COMPARISONS),
        *rules.module_scores.output,
        *rules.module_map.output,
        *rules.module_dots.output,
        *expand(rules.heatmap.output, module=HEATMAP_MODULES),
        *rules.report_table.output,
        *rules.report_bridge_summary.output,
        *clinical_targets(),
    ]


def clinical_targets():
    """Outputs of the clinical stage (none without a clinical section in the config)."""
    if not CLINICAL:
        return []
    tables = [*rules.clinical_tables.output, *rules.report_clinical_table1.output]
    tables += rules.report_clinical_table2.output
    if CLINICAL["adverse_events"]:
        tables += rules.report_clinical_table3.output
    if RESPONDER:
        tables += [
            *rules.clinical_responders.output,
            *rules.report_clinical_responders.output,
        ]
    return [*rules.clinical_response.output, *tables]
