"""Helpers shared by all rules: config and sample-sheet checks, rule parameters, targets, resources.

Parsing stays cheap because every cluster job parses the Snakefile again: only the config and the
sample sheet are read here. Everything that needs the expression matrix happens in rule validate.
The config is turned into each rule's parameters by modmap.settings (PARAMS["rule_name"]); the
rules own every results/ path.
"""

import os
import re

from snakemake.utils import validate

# Numba's compiled kernels (modmap.stats, cache=True) go where numba puts them by default, the
# installed package's __pycache__ or ~/.cache/numba, shared by every run of the installation (and
# by the nodes of a cluster that see it): they compile once per install, not once per working
# directory. Only when neither is writable (a read-only install and home) are they cached in the
# working directory, which every job of a run shares. Decided before modmap.stats is imported
# (modmap._numba_cache imports neither numba nor modmap.stats). Set NUMBA_CACHE_DIR to choose.
from modmap._numba_cache import workdir_fallback

workdir_fallback(".snakemake/numba-cache")

from modmap import settings
from modmap.batches import batch_rule_name, comparison_batches
from modmap.design import (
    check_sample_sheet,
    heatmap_layout,
    reference_samples,
    resolve_comparisons,
    select_samples,
)
from modmap.io import read_sample_sheet
from modmap.clinical import derive_responders, evaluate, merge_responders, read_table
from modmap.clinical.sheet import sheet_characteristics
from modmap.longitudinal.options import longitudinal_targets
from modmap.modules import check_module_ids
from modmap.presets import apply_preset
from modmap.rst import caption_strings, report_safe
from modmap.schema import validate_config
from modmap.stats.fingerprints import check_fingerprint_settings

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
    # Table 1 rows read from the raw sample sheet: checked here, before anything runs.
    if PARAMS["clinical_tables"]["table1_sheet"]:
        sheet_characteristics(
            read_sample_sheet(SAMPLE_SHEET),
            _clinical.subjects,
            sheet_path=SAMPLE_SHEET,
            baseline=CLINICAL["baseline"],
            **PARAMS["clinical_tables"]["table1_sheet"],
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
# Per-sample fingerprints (workflow/rules/samples.smk) run only with fingerprints.reference set.
FINGERPRINTS = check_fingerprint_settings(
    SAMPLES,
    config["fingerprints"],
    sheet_path=SAMPLE_SHEET,
    derived_column=(RESPONDER or {}).get("column"),
)
if not FINGERPRINTS:
    logger.info(
        "modmap: fingerprints.reference is not set; per-sample fingerprints are skipped"
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


# Memory requests from what each job reads (issue 16; checked against the peaks measured by
# benchmarks/bench_pipeline.py in tests/test_benchmark.py; the other stages' rules against the toy
# run in tests/test_memory_requests.py). A Python job holds ~150 MB (pandas, pyarrow, the script
# wrapper) to ~400 MB (numba kernels, matplotlib figures) before reading anything, so every
# request starts at JOB_BASE_MB; the factors below are the measured peak bytes per byte read.
JOB_BASE_MB = 800
# A gzipped text matrix is counted at this many times its size (numbers compress ~2.5-4x).
GZ_RATIO = 4
# Peak bytes per value of a job that reads the whole expression cache (every sample of the sheet:
# sample_fingerprints; analyte_tests with analytes.genes adds one copy), measured at 20,000 x 400
# and x 1,600: ~21 bytes a value above ~230 MB (docs/performance.md), with a margin.
WHOLE_MATRIX_BYTES_PER_VALUE = 32


def batch_samples(names):
    """Distinct samples a gene_tests job reads: the union over its comparisons ``names``."""
    table = RESOLVED.table
    return lambda wildcards: table.loc[
        table["comparison"].isin(names), "sample_id"
    ].nunique()


# Features of one heatmap counted in its memory request: a module's rows (the largest bundled
# module has 245 members; bridge.collapse: mean adds the probes of its features).
HEATMAP_MAX_ROWS = 2000
# Samples each heatmap job reads: the reference samples and the cases of heatmaps.comparisons.
HEATMAP_SAMPLES = (
    len(
        set(reference_samples(SAMPLES, config["heatmaps"]["reference"]))
        | set(
            RESOLVED.table.loc[
                RESOLVED.table["comparison"].isin(HEATMAP_COMPARISONS)
                & (RESOLVED.table["role"] == "case"),
                "sample_id",
            ]
        )
    )
    if HEATMAP_MODULES
    else 0
)
# What each heatmap draws, in numbers, for its caption (modmap.design.heatmap_layout).
HEATMAP_LAYOUT = (
    heatmap_layout(
        SAMPLES,
        RESOLVED.table,
        reference=config["heatmaps"]["reference"],
        comparisons=HEATMAP_COMPARISONS,
        max_columns=config["heatmaps"]["max_columns"],
    )
    if HEATMAP_MODULES
    else {}
)


def _features(input):
    """Rows (features) of the job's expression cache, from its manifest (0 before it exists)."""
    path = getattr(input, "expression", None)
    if path is None or not os.path.exists(path):
        return 0
    from modmap.errors import InputError
    from modmap.io import read_manifest

    try:
        info = read_manifest(path, check="if_present")
        return int(info["rows"]) if info else 0
    except (InputError, KeyError, TypeError, ValueError):
        return 0  # a damaged cache: the job itself says so, with how to rebuild it


def _text_mb(input):
    """MB of the job's inputs other than the expression cache, a gzipped file counted unpacked."""
    sizes = [
        os.path.getsize(f) * (GZ_RATIO if f.endswith(".gz") else 1)
        for f in input
        if not f.endswith(".arrow") and os.path.exists(f)
    ]
    return sum(sizes) / 1e6


def mem_mb_reads(
    *,
    base_mb=JOB_BASE_MB,
    mb_per_text_mb=0.0,
    samples=None,
    bytes_per_value=0.0,
    bytes_per_feature=0.0,
    max_rows=None,
):
    """Memory in MB from what the job reads, growing with the attempt.

    ``base_mb``, plus ``mb_per_text_mb`` per MB of the job's text inputs (every input but the
    expression cache; see ``_text_mb``), plus ``bytes_per_value`` per value of the features x
    ``samples(wildcards)`` block it reads from the cache (``input.expression``), plus
    ``bytes_per_feature`` per feature of the cache; times the attempt number so that
    ``--retries`` rescues an out-of-memory kill with more memory. ``max_rows`` caps the features
    counted in the block (a job that reads only some features' rows).
    """

    def mem_mb(wildcards, input, attempt):
        features = _features(input) if (samples or bytes_per_feature) else 0
        rows = features if max_rows is None else min(features, max_rows)
        values = rows * (samples(wildcards) if samples else 0)
        mb = (
            base_mb
            + mb_per_text_mb * _text_mb(input)
            + (bytes_per_value * values + bytes_per_feature * features) / 1e6
        )
        return int(mb * attempt)

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


def figure_outputs(prefix, stems, caption, category, subcategory, *, key):
    """Named outputs ``{prefix}_pdf`` and ``{prefix}_png`` of a job drawing several figures.

    ``stems`` maps each item (labelled ``key=item`` in the report) to its path without suffix;
    each output is the list of the items' files, in ``stems`` order.
    """
    return {
        f"{prefix}_{fmt.lower()}": [
            figure_report(
                f"{stem}.{fmt.lower()}",
                caption,
                category,
                subcategory,
                **{key: item},
                format=fmt,
            )
            for item, stem in stems.items()
        ]
        for fmt in ("PDF", "PNG")
    }


def dots_enrichment(wildcards):
    """The enrichment table as an input of module_figures (the dots), with enrichment.mark_dots."""
    if config["enrichment"]["mark_dots"]:
        return {"enrichment": rules.module_scores.output.enrichment}
    return {}


def heatmap_inputs(wildcards):
    """The heatmaps' inputs of module_figures (none without heatmaps.modules)."""
    if not HEATMAP_MODULES:
        return {}
    inputs = {
        "expression": rules.validate.output.expression,
        "samples": rules.validate.output.samples,
        "comparisons": rules.validate.output.comparisons,
        "membership": rules.bridge.output.membership,
        "genes": expand(GENE_TABLE, comparison=HEATMAP_COMPARISONS),
    }
    # only with bridge.collapse: mean (the averaged probe rows are built on reading)
    if config["bridge"]["collapse"] == "mean":
        inputs["collapsed"] = rules.bridge.output.collapsed
    return inputs


def fingerprint_targets():
    """Outputs of workflow/rules/samples.smk (none when fingerprints are off)."""
    if not FINGERPRINTS:
        return []
    return [
        *rules.sample_fingerprints.output,
        *rules.sample_figures.output,
    ]


def all_targets():
    """Every final output of the workflow (the inputs of rule all), from the rules' outputs."""
    return [
        *rules.validate.output,
        *rules.bridge.output,
        *expand(GENE_TABLE, comparison=COMPARISONS),
        *rules.module_scores.output,
        *rules.module_figures.output,
        *rules.report_tables.output,
        *fingerprint_targets(),
        *clinical_targets(),
        *longitudinal_targets(config),
    ]


def clinical_targets():
    """Outputs of the clinical stage (none without a clinical section in the config)."""
    if not CLINICAL:
        return []
    tables = [*rules.clinical_tables.output]
    if RESPONDER:
        tables += rules.clinical_responders.output
    return [*rules.clinical_response.output, *tables]
