# The trial layer (docs/clinical.md): response definitions, flares, responders, Tables 1-3.
# Included only when the config has a clinical section.
# Needs from common.smk: CLINICAL, CLINICAL_PARAMS, RESPONDER.
# The report captions (workflow/report/clinical_*.rst) read the params below: keep their names.

from modmap.clinical.captions import rst_escape


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
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(500, 20),
        runtime=runtime_scaled(5, 10),
    params:
        run=CLINICAL_PARAMS["clinical_response"],
    script:
        "../../scripts/clinical_response.py"


rule clinical_responders:
    input:
        clinical=CLINICAL["path"],
        response="results/clinical/response.tsv",
    output:
        responders="results/clinical/responders.tsv",
    log:
        "results/logs/clinical/responders.log",
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(500, 20),
        runtime=runtime_scaled(5, 10),
    params:
        run=CLINICAL_PARAMS["clinical_responders"],
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
        clinical=CLINICAL["path"],
        response="results/clinical/response.tsv",
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
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(500, 20),
        runtime=runtime_scaled(5, 10),
    params:
        run=CLINICAL_PARAMS["clinical_tables"],
    script:
        "../../scripts/clinical_tables.py"


rule report_clinical_table1:
    input:
        "results/clinical/table1.tsv",
    output:
        report(
            "results/report/clinical_table1.html",
            caption="../report/clinical_table1.rst",
            category="4. Clinical response",
            labels={"table": "Table 1: baseline"},
        ),
    log:
        "results/logs/report/clinical_table1.log",
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(500, 10),
        runtime=runtime_scaled(5, 10),
    params:
        title="Table 1. Baseline characteristics by arm and overall",
        baseline=rst_escape(CLINICAL["baseline"]),
    script:
        "../../scripts/clinical_report.py"


use rule report_clinical_table1 as report_clinical_table2 with:
    input:
        "results/clinical/table2.tsv",
    output:
        report(
            "results/report/clinical_table2.html",
            caption="../report/clinical_table2.rst",
            category="4. Clinical response",
            labels={"table": "Table 2: responses"},
        ),
    log:
        "results/logs/report/clinical_table2.log",
    params:
        title="Table 2. Responses by arm",
        baseline=rst_escape(CLINICAL["baseline"]),
        visit=rst_escape(CLINICAL_PARAMS["clinical_tables"]["table2_visit"]),
        missing=CLINICAL_PARAMS["clinical_tables"]["table2_missing"],
        crp_below=CLINICAL_PARAMS["clinical_tables"]["crp_below"],


use rule report_clinical_table1 as report_clinical_table3 with:
    input:
        "results/clinical/table3.tsv",
    output:
        report(
            "results/report/clinical_table3.html",
            caption="../report/clinical_table3.rst",
            category="4. Clinical response",
            labels={"table": "Table 3: adverse events"},
        ),
    log:
        "results/logs/report/clinical_table3.log",
    params:
        title="Table 3. Adverse events",


use rule report_clinical_table1 as report_clinical_responders with:
    input:
        "results/clinical/responders.tsv",
    output:
        report(
            "results/report/clinical_responders.html",
            caption="../report/clinical_responders.rst",
            category="4. Clinical response",
            labels={"table": "responders"},
        ),
    log:
        "results/logs/report/clinical_responders.log",
    params:
        title="Responders derived from the clinical table",
        baseline=rst_escape(CLINICAL["baseline"]),
        visit=rst_escape((RESPONDER or {}).get("visit", "")),
        definition=(RESPONDER or {}).get("definition", ""),
        column=rst_escape((RESPONDER or {}).get("column", "")),
        subject_column=rst_escape((RESPONDER or {}).get("subject_column", "")),
        crp_normal=CLINICAL_PARAMS["clinical_response"]["crp_normal"],
        esr_normal=CLINICAL_PARAMS["clinical_response"]["esr_normal"],
        crp_below=CLINICAL_PARAMS["clinical_response"]["crp_below"],
