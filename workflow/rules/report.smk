# The report's HTML tables, every one rendered by one job (issue 16: one interpreter start-up, and on
# a cluster no queued job per table). Included after every stage: its inputs are their tables.
# Needs from common.smk: PARAMS, figure_report, mem_mb_reads, runtime_scaled; from
# longitudinal.smk: LONGITUDINAL.
# PARAMS["report_tables"] (modmap.report_tables.report_table_params) names the tables the config
# turns on; each has its own output, caption and place in the report, as below. The captions
# (workflow/report/*.rst) read their table's entry, snakemake.params.run["<name>"]["caption"]
# (user strings escaped), and the config.

TABLES_REPORT = "3. Tables"
CLINICAL_REPORT = "4. Clinical response"

# name -> (its input table, its output page): the input as a function, since the rules of a
# section that is off do not exist.
REPORT_TABLES = {
    "module_scores": (
        lambda: rules.module_scores.output.scores,
        figure_report(
            "results/report/module_scores.html",
            "scores.rst",
            TABLES_REPORT,
            table="module scores",
        ),
    ),
    "bridge_summary": (
        lambda: rules.bridge.output.summary,
        figure_report(
            "results/report/bridge_summary.html",
            "bridge_summary.rst",
            TABLES_REPORT,
            table="bridge summary",
        ),
    ),
    "module_enrichment": (
        lambda: rules.module_scores.output.enrichment,
        figure_report(
            "results/report/module_enrichment.html",
            "enrichment.rst",
            "7. Module enrichment",
            table="module enrichment",
        ),
    ),
    "clinical_table1": (
        lambda: rules.clinical_tables.output.table1,
        figure_report(
            "results/report/clinical_table1.html",
            "clinical_table1.rst",
            CLINICAL_REPORT,
            table="Table 1: baseline",
        ),
    ),
    "clinical_table2": (
        lambda: rules.clinical_tables.output.table2,
        figure_report(
            "results/report/clinical_table2.html",
            "clinical_table2.rst",
            CLINICAL_REPORT,
            table="Table 2: responses",
        ),
    ),
    "clinical_table3": (
        lambda: rules.clinical_tables.output.table3,  # only with clinical.adverse_events
        figure_report(
            "results/report/clinical_table3.html",
            "clinical_table3.rst",
            CLINICAL_REPORT,
            table="Table 3: adverse events",
        ),
    ),
    "clinical_responders": (
        lambda: rules.clinical_responders.output.responders,
        figure_report(
            "results/report/clinical_responders.html",
            "clinical_responders.rst",
            CLINICAL_REPORT,
            table="responders",
        ),
    ),
    "signature_counts": (
        lambda: rules.signature.output.counts,
        figure_report(
            "results/report/signature_counts.html",
            "longitudinal_signature_counts.rst",
            LONGITUDINAL,
            "1. Signature normalisation",
            table="signature counts",
        ),
    ),
    "analyte_tests": (
        lambda: rules.analyte_tests.output.tests,
        figure_report(
            "results/report/analyte_tests.html",
            "longitudinal_analyte_tests.rst",
            LONGITUDINAL,
            "2. Paired analyte and gene tests",
            table="paired tests",
        ),
    ),
    "lab_summary": (
        lambda: rules.labs.output.summary,
        figure_report(
            "results/report/lab_summary.html",
            "longitudinal_lab_summary.rst",
            LONGITUDINAL,
            "3. Lab endpoints",
            table="lab endpoints",
        ),
    ),
    "time_to_flare": (
        lambda: rules.kaplan_meier.output.median,
        figure_report(
            "results/report/time_to_flare.html",
            "longitudinal_km_median.rst",
            LONGITUDINAL,
            "4. Time to flare",
            table="median time to flare",
        ),
    ),
    "transcript_counts": (
        lambda: rules.transcripts.output.counts,
        figure_report(
            "results/report/transcript_counts.html",
            "longitudinal_transcript_counts.rst",
            LONGITUDINAL,
            "5. Transcripts",
            table="transcripts per comparison",
        ),
    ),
    "transcript_sets": (
        lambda: rules.transcripts.output.sets,
        figure_report(
            "results/report/transcript_sets.html",
            "longitudinal_transcript_sets.rst",
            LONGITUDINAL,
            "5. Transcripts",
            table="transcript sets",
        ),
    ),
}


# A few small tables: not worth a cluster submission.
localrules:
    report_tables,


rule report_tables:
    input:
        **{name: REPORT_TABLES[name][0]() for name in PARAMS["report_tables"]},
    output:
        **{name: REPORT_TABLES[name][1] for name in PARAMS["report_tables"]},
    log:
        "results/logs/report/tables.log",
    benchmark:
        "results/benchmarks/report_tables.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        # every table, one after the other; the pages are held until all are rendered
        mem_mb=mem_mb_reads(mb_per_text_mb=10),
        runtime=runtime_scaled(5, 10),
    params:
        run=PARAMS["report_tables"],
    script:
        "../../scripts/report_table.py"
