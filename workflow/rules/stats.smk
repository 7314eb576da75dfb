# Per-gene tests and module scores (docs/statistics.md).
# Needs from common.smk: PARAMS, COMPARISONS, COMPARISON_SAMPLES, mem_mb_reads, runtime_scaled.


rule gene_tests:
    input:
        expression=rules.validate.output.expression,
        comparisons=rules.validate.output.comparisons,
        # Only when BH runs over module-gene pairs (statistics.fdr_over: module_members).
        membership=(
            rules.bridge.output.membership
            if config["statistics"]["fdr"]
            and config["statistics"]["fdr_over"] == "module_members"
            else []
        ),
        # Only with bridge.collapse: mean (the averaged probe rows are built on reading).
        collapsed=(
            rules.bridge.output.collapsed
            if config["bridge"]["collapse"] == "mean"
            else []
        ),
    output:
        table="results/genes/{comparison}.tsv",
    log:
        "results/logs/gene_tests/{comparison}.log",
    benchmark:
        "results/benchmarks/gene_tests/{comparison}.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 2
    resources:
        # Only this comparison's samples are read, once (8 bytes per value); the paired and
        # t-tests copy the groups again (up to ~28 bytes per value at peak).
        mem_mb=mem_mb_reads(
            samples=lambda wildcards: COMPARISON_SAMPLES[wildcards.comparison],
            bytes_per_value=28,
        ),
        runtime=runtime_scaled(10, 20),
    params:
        run=PARAMS["gene_tests"],
    script:
        "../../scripts/gene_tests.py"


rule module_scores:
    input:
        genes=expand(rules.gene_tests.output.table, comparison=COMPARISONS),
        membership=rules.bridge.output.membership,
        annotation=rules.bridge.output.annotation,
    output:
        scores="results/modules/scores.tsv",
    log:
        "results/logs/module_scores.log",
    benchmark:
        "results/benchmarks/module_scores.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        # the gene tables, one after the other
        mem_mb=mem_mb_reads(mb_per_text_mb=5),
        runtime=runtime_scaled(5, 10),
    params:
        run=PARAMS["module_scores"],
    script:
        "../../scripts/module_scores.py"
