# Module rank enrichment per comparison (tmod's CERNO and U tests; docs/statistics.md).
# Needs from common.smk: PARAMS, COMPARISONS, mem_mb_reads, runtime_scaled.
# The table's HTML page for the report: rule report_tables (report.smk).


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
