"""Helpers shared by all rules: config and sample-sheet validation, targets, resources.

Parsing stays cheap because every cluster job parses the Snakefile again: only the config and the
sample sheet are read here. Everything that needs the expression matrix happens in rule validate.
"""

import os
import re

from snakemake.utils import validate

from modmap.config import (
    check_config_references,
    check_sample_sheet,
    resolve_comparisons,
    select_samples,
)
from modmap.io import read_sample_sheet
from modmap.modules import check_module_ids
from modmap.rst import caption_strings, report_safe
from modmap.schema import validate_config

validate_config(config, workflow.source_path("../schemas/config.schema.yaml"))

SAMPLE_SHEET = config["samples"]["path"]
check_config_references(config)
check_module_ids(
    config["heatmaps"]["modules"],
    config["modules"]["path"],
    format=config["modules"]["format"],
)
SAMPLES = check_sample_sheet(
    read_sample_sheet(SAMPLE_SHEET),
    path=SAMPLE_SHEET,
    id_column=config["samples"]["id_column"],
)
validate(
    SAMPLES, workflow.source_path("../schemas/samples.schema.yaml"), set_default=False
)
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

COMPARISONS = [c["name"] for c in config["comparisons"]]
PAIRED = {c["name"] for c in config["comparisons"] if c.get("paired_by")}
# report_safe: the report prints params as text in a <script> element (modmap.rst)
LABELS = report_safe(
    {c["name"]: c.get("label") or c["name"] for c in config["comparisons"]}
)
HEATMAP_MODULES = list(config["heatmaps"]["modules"])
# heatmaps.comparisons: null (the default) = every unpaired comparison, in config order.
HEATMAP_COMPARISONS = list(
    config["heatmaps"]["comparisons"] or [c for c in COMPARISONS if c not in PAIRED]
)
# User strings of the report captions, escaped for reStructuredText (rules pass it as params.rst).
REPORT_RST = caption_strings(
    LABELS, modules=HEATMAP_MODULES, reference=config["heatmaps"]["reference"]
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


def all_targets():
    """Every final output of the workflow (the inputs of rule all)."""
    return [
        "results/validated/expression.parquet",
        "results/validated/comparisons.tsv",
        "results/bridge/bridge.tsv",
        "results/bridge/summary.tsv",
        "results/bridge/notes.tsv",
        "results/modules/membership.tsv",
        "results/modules/dropped.tsv",
        "results/modules/annotation.tsv",
        *expand("results/genes/{comparison}.tsv", comparison=COMPARISONS),
        "results/modules/scores.tsv",
        *expand("results/figures/module_map.{ext}", ext=["pdf", "png", "svg"]),
        *expand("results/figures/module_dots.{ext}", ext=["pdf", "png"]),
        *(
            f"results/figures/heatmap_{mod}.{ext}"
            for mod in HEATMAP_MODULES
            for ext in ("pdf", "png")
        ),
        "results/report/module_scores.html",
        "results/report/bridge_summary.html",
    ]
