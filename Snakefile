"""modmap: blood transcriptome module maps (see README.md)."""

from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/validate.smk"
include: "workflow/rules/bridge.smk"
include: "workflow/rules/stats.smk"
include: "workflow/rules/figures.smk"


# Tiny jobs that are not worth a cluster submission.
localrules:
    all,
    report_table,
    report_bridge_summary,


rule all:
    default_target: True
    input:
        all_targets(),
