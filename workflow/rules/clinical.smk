# The trial layer (docs/clinical.md): response definitions, flares, responders, Tables 1-3.
# Included only when the config has a clinical section.
# Needs from common.smk: CLINICAL, PARAMS, RESPONDER, SAMPLE_SHEET, figure_report, mem_mb_reads,
# runtime_scaled.
# The report captions (workflow/report/clinical_*.rst) read the params below: keep their names.

from modmap.rst import rst_text


# Tiny jobs (a few KB of clinical data) that are not worth a cluster submission.
localrules:
    clinical_response,
    clinical_responders,
    clinical_tables,
    report_clinical_table1,
    report_clinical_table2,
    report_clinical_table3,
    report_clinical_responders,


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


rule report_clinical_table1:
    input:
        rules.clinical_tables.output.table1,
    output:
        figure_report(
            "results/report/clinical_table1.html",
            "clinical_table1.rst",
            "4. Clinical response",
            table="Table 1: baseline",
        ),
    log:
        "results/logs/report/clinical_table1.log",
    benchmark:
        "results/benchmarks/report_clinical_table1.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_reads(mb_per_text_mb=10),
        runtime=runtime_scaled(5, 10),
    params:
        title="Table 1. Baseline characteristics by arm and overall",
        baseline=rst_text(CLINICAL["baseline"]),
    script:
        "../../scripts/clinical_report.py"


use rule report_clinical_table1 as report_clinical_table2 with:
    input:
        rules.clinical_tables.output.table2,
    output:
        figure_report(
            "results/report/clinical_table2.html",
            "clinical_table2.rst",
            "4. Clinical response",
            table="Table 2: responses",
        ),
    log:
        "results/logs/report/clinical_table2.log",
    benchmark:
        "results/benchmarks/report_clinical_table2.tsv"
    params:
        title="Table 2. Responses by arm",
        baseline=rst_text(CLINICAL["baseline"]),
        visit=rst_text(PARAMS["clinical_tables"]["table2_visit"]),
        missing=PARAMS["clinical_tables"]["table2_missing"],
        crp_below=PARAMS["clinical_tables"]["crp_below"],


use rule report_clinical_table1 as report_clinical_table3 with:
    input:
        "results/clinical/table3.tsv",  # only written with clinical.adverse_events
    output:
        figure_report(
            "results/report/clinical_table3.html",
            "clinical_table3.rst",
            "4. Clinical response",
            table="Table 3: adverse events",
        ),
    log:
        "results/logs/report/clinical_table3.log",
    benchmark:
        "results/benchmarks/report_clinical_table3.tsv"
    params:
        title="Table 3. Adverse events",
        double_blind_until=(
            rst_text(CLINICAL["double_blind_until"])
            if CLINICAL["double_blind_until"]
            else ""
        ),


use rule report_clinical_table1 as report_clinical_responders with:
    input:
        rules.clinical_responders.output.responders,
    output:
        figure_report(
            "results/report/clinical_responders.html",
            "clinical_responders.rst",
            "4. Clinical response",
            table="responders",
        ),
    log:
        "results/logs/report/clinical_responders.log",
    benchmark:
        "results/benchmarks/report_clinical_responders.tsv"
    params:
        title="Responders derived from the clinical table",
        baseline=rst_text(CLINICAL["baseline"]),
        visit=rst_text((RESPONDER or {}).get("visit", "")),
        definition=(RESPONDER or {}).get("definition", ""),
        column=rst_text((RESPONDER or {}).get("column", "")),
        subject_column=rst_text((RESPONDER or {}).get("subject_column", "")),
        crp_normal=PARAMS["clinical_response"]["crp_normal"],
        esr_normal=PARAMS["clinical_response"]["esr_normal"],
        crp_below=PARAMS["clinical_response"]["crp_below"],
