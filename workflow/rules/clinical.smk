# The trial layer (docs/clinical.md): response definitions, flares, responders, Tables 1-3.
# Included only when the config has a clinical section. Their HTML pages for the report are made
# by rule report_tables (report.smk).
# Needs from common.smk: CLINICAL, PARAMS, SAMPLE_SHEET, mem_mb_reads, runtime_scaled.


# Tiny jobs (a few KB of clinical data) that are not worth a cluster submission.
localrules:
    clinical_response,
    clinical_responders,
    clinical_tables,


rule clinical_response:
    input:
        clinical=CLINICAL["path"],
    output:
        response="results/clinical/response.tsv",
        flares="results/clinical/flares.tsv",
    log:
        "results/logs/clinical/response.log",
    benchmark:
        "results/benchmarks/clinical_response.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_reads(mb_per_text_mb=20),
        runtime=runtime_scaled(5, 10),
    params:
        run=PARAMS["clinical_response"],
    script:
        "../../scripts/clinical_response.py"


rule clinical_responders:
    input:
        clinical=CLINICAL["path"],
        response=rules.clinical_response.output.response,
    output:
        responders="results/clinical/responders.tsv",
    log:
        "results/logs/clinical/responders.log",
    benchmark:
        "results/benchmarks/clinical_responders.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_reads(mb_per_text_mb=20),
        runtime=runtime_scaled(5, 10),
    params:
        run=PARAMS["clinical_responders"],
    script:
        "../../scripts/clinical_responders.py"


rule clinical_tables:
    input:
        **(
            {
                "adverse_events": CLINICAL["adverse_events"],
                "followup": CLINICAL["followup"],
            }
            if CLINICAL["adverse_events"]
            else {}
        ),
        # Table 1 rows from the sample sheet: the raw sheet (config samples.path), not the
        # validated one, which depends on this stage's responders.
        **(
            {"samples": SAMPLE_SHEET}
            if PARAMS["clinical_tables"]["table1_sheet"]
            else {}
        ),
        clinical=CLINICAL["path"],
        response=rules.clinical_response.output.response,
    output:
        **(
            {"table3": "results/clinical/table3.tsv"}
            if CLINICAL["adverse_events"]
            else {}
        ),
        table1="results/clinical/table1.tsv",
        table2="results/clinical/table2.tsv",
    log:
        "results/logs/clinical/tables.log",
    benchmark:
        "results/benchmarks/clinical_tables.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_reads(mb_per_text_mb=20),
        runtime=runtime_scaled(5, 10),
    params:
        run=PARAMS["clinical_tables"],
    script:
        "../../scripts/clinical_tables.py"
