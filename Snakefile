"""modmap: blood transcriptome module maps (see README.md)."""

from snakemake.utils import min_version

min_version("9.19")


# No default config: name one with --configfile (config/config.yaml is the bundled toy cohort;
# `make run` passes it). A `configfile:` here would be merged key by key with the user's (the toy's
# bridge tables and selectors would leak into another cohort's run). See docs/architecture.md.


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


# Optional trial layer (docs/clinical.md); before validate, which reads its responders.
if config.get("clinical"):

    include: "workflow/rules/clinical.smk"


include: "workflow/rules/validate.smk"
include: "workflow/rules/bridge.smk"
include: "workflow/rules/stats.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/samples.smk"
include: "workflow/rules/longitudinal.smk"
# The report's HTML tables, one job (after every stage: its inputs are their tables).
include: "workflow/rules/report.smk"


# Tiny jobs that are not worth a cluster submission.
localrules:
    all,


rule all:
    default_target: True
    input:
        all_targets(),
