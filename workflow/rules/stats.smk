# Per-gene tests and module scores (docs/statistics.md).
# Needs from common.smk: COMPARISONS, mem_mb_scaled, runtime_scaled.


rule gene_tests:
    input:
        expression="results/validated/expression.parquet",
        comparisons="results/validated/comparisons.tsv",
        # Only when BH runs over module-gene pairs (statistics.fdr_over: module_members).
        membership=(
            "results/modules/membership.tsv"
            if config["statistics"]["fdr"]
            and config["statistics"]["fdr_over"] == "module_members"
            else []
        ),
        # Only with bridge.collapse: mean (the averaged probe rows are built on reading).
        collapsed=(
            "results/bridge/collapsed.tsv"
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
        run={
            "test": config["statistics"]["test"],
            "fdr": config["statistics"]["fdr"],
            "min_group_size": config["statistics"]["min_group_size"],
            "exact_with_ties": config["statistics"]["exact_with_ties"],
            "untestable": config["statistics"]["untestable"],
            "linear_offset": (
                config["expression"]["offset"]
                if config["expression"]["scale"] == "linear"
                else None
            ),
        },
    script:
        "../../scripts/gene_tests.py"


rule module_scores:
    input:
        genes=expand("results/genes/{comparison}.tsv", comparison=COMPARISONS),
        membership="results/modules/membership.tsv",
        annotation="results/modules/annotation.tsv",
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
        comparisons=COMPARISONS,
        run={
            "alpha": config["statistics"]["alpha"],
            "threshold_on": config["statistics"]["threshold_on"],
            "fold_change_cutoff": config["statistics"]["fold_change_cutoff"],
            "fold_change_on": config["statistics"]["fold_change_on"],
            "direction_from": config["statistics"]["direction_from"],
            "percent_of": config["statistics"]["percent_of"],
            "untestable": config["statistics"]["untestable"],
        },
    script:
        "../../scripts/module_scores.py"
