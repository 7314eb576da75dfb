# Module rank enrichment per comparison (tmod's CERNO and U tests; docs/statistics.md).
# Needs from common.smk: PARAMS, COMPARISONS, figure_report, mem_mb_reads, runtime_scaled.
# The report caption (workflow/report/enrichment.rst) reads the config.


rule module_enrichment:
    input:
        genes=expand(GENE_TABLE, comparison=COMPARISONS),
        membership=rules.bridge.output.membership,
        annotation=rules.bridge.output.annotation,
    output:
        table="results/modules/enrichment.tsv",
    log:
        "results/logs/module_enrichment.log",
    benchmark:
        "results/benchmarks/module_enrichment.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        # the gene tables, one after the other (as module_scores)
        mem_mb=mem_mb_reads(mb_per_text_mb=5),
        runtime=runtime_scaled(5, 10),
    params:
        run=PARAMS["module_enrichment"],
    script:
        "../../scripts/module_enrichment.py"


use rule report_table as report_enrichment with:
    input:
        rules.module_enrichment.output.table,
    output:
        figure_report(
            "results/report/module_enrichment.html",
            "enrichment.rst",
            "7. Module enrichment",
            table="module enrichment",
        ),
    log:
        "results/logs/report/module_enrichment.log",
    benchmark:
        "results/benchmarks/report_enrichment.tsv"
    params:
        run=PARAMS["report_enrichment"],
