# Per-gene tests and module scores (docs/statistics.md).
# Needs from common.smk: PARAMS, COMPARISONS, mem_mb_scaled, runtime_scaled.


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
        # The parquet cache expands ~2-4x in memory; only this comparison's samples are read.
        mem_mb=mem_mb_scaled(1000, 6),
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
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(500, 5),
        runtime=runtime_scaled(5, 10),
    params:
        run=PARAMS["module_scores"],
    script:
        "../../scripts/module_scores.py"
