"""modmap: blood transcriptome module maps (see README.md)."""

from snakemake.utils import min_version

min_version("9.19")


# The toy config is the default; a config given with --configfile replaces it (a key-by-key merge
# would keep the toy's bridge tables and selectors). --config key=value still overrides keys.
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/validate.smk"
include: "workflow/rules/bridge.smk"
include: "workflow/rules/stats.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/longitudinal.smk"


# Tiny jobs that are not worth a cluster submission.
localrules:
    all,
    report_table,
    report_bridge_summary,


rule all:
    default_target: True
    input:
        all_targets(),
