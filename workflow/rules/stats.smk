# Per-gene tests and module scores (docs/statistics.md).
# Needs from common.smk: COMPARISONS, mem_mb_scaled, runtime_scaled.


rule gene_tests:
    input:
        expression="results/validated/expression.parquet",
        comparisons="results/validated/comparisons.tsv",
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
        },
    script:
        "../../scripts/module_scores.py"
