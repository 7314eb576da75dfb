# Module rank enrichment per comparison (tmod's CERNO and U tests; docs/statistics.md).
# Needs from common.smk: COMPARISONS, mem_mb_scaled, runtime_scaled.


rule module_enrichment:
    input:
        genes=expand("results/genes/{comparison}.tsv", comparison=COMPARISONS),
        membership="results/modules/membership.tsv",
        annotation="results/modules/annotation.tsv",
    output:
        table="results/modules/enrichment.tsv",
    log:
        "results/logs/module_enrichment.log",
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(500, 5),
        runtime=runtime_scaled(5, 10),
    params:
        comparisons=COMPARISONS,
    script:
        "../../scripts/module_enrichment.py"


use rule report_table as report_enrichment with:
    input:
        "results/modules/enrichment.tsv",
    output:
        report(
            "results/report/module_enrichment.html",
            caption="../report/enrichment.rst",
            category="7. Module enrichment",
            labels={"table": "module enrichment"},
        ),
    log:
        "results/logs/report/module_enrichment.log",
    params:
        title="Module rank enrichment (tmod CERNO and U tests, genes ranked by p-value)",
        significant=True,
        test=config["enrichment"]["test"],
        alpha=config["enrichment"]["alpha"],
