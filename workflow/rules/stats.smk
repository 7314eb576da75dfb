# Per-gene tests, module scores and module rank enrichment (docs/statistics.md).
# Needs from common.smk: PARAMS, COMPARISONS, batch_samples, mem_mb_reads, runtime_scaled,
# comparison_batches, batch_rule_name.


# One gene_tests job per batch of comparisons (statistics.gene_tests_jobs, default 1: one job
# for all). A job reads the union of its comparisons' samples once and writes one table per
# comparison; the rules are named gene_tests (one batch) or gene_tests_1, gene_tests_2, ...
GENE_TABLE = "results/genes/{comparison}.tsv"
GENE_TEST_BATCHES = comparison_batches(
    COMPARISONS, jobs=config["statistics"]["gene_tests_jobs"]
)


for _batch, _names in GENE_TEST_BATCHES.items():

    rule:
        name:
            batch_rule_name(_batch)
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
            # one table per comparison, in the order of params.run's comparisons
            tables=expand(GENE_TABLE, comparison=_names),
        log:
            f"results/logs/gene_tests/{_batch}.log",
        benchmark:
            f"results/benchmarks/gene_tests/{_batch}.tsv"
        conda:
            "../envs/modmap.yaml"
        threads: 2
        resources:
            # The cache is memory-mapped: the union of the batch's samples is touched (8 bytes
            # per value, file cache); the paired and t-tests copy a comparison's groups again
            # (up to ~28 bytes per value at peak).
            mem_mb=mem_mb_reads(samples=batch_samples(_names), bytes_per_value=28),
            # minutes per GB of input, for each comparison of the batch
            runtime=runtime_scaled(10, 20 * len(_names)),
        params:
            # the batch's comparisons, in the order of output.tables (popped by the script)
            run={**PARAMS["gene_tests"], "comparisons": _names},
        script:
            "../../scripts/gene_tests.py"


# One job writes both module tables of the gene tables: the scores and the rank enrichment
# (tmod's CERNO and U tests; docs/statistics.md). Each takes a fraction of a second against
# ~0.5 s of interpreter and pandas start-up per job, and both read the same gene tables,
# membership and annotation (docs/performance.md, "Module scores and enrichment: one job").
# The enrichment table's HTML page for the report: rule report_tables (report.smk).
rule module_scores:
    input:
        genes=expand(GENE_TABLE, comparison=COMPARISONS),
        membership=rules.bridge.output.membership,
        annotation=rules.bridge.output.annotation,
    output:
        scores="results/modules/scores.tsv",
        enrichment="results/modules/enrichment.tsv",
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
