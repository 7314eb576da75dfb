# Check the matrix against the sample sheet, resolve the comparisons, write the expression cache.
# Needs from common.smk: PARAMS, RESPONDER, mem_mb_reads, runtime_scaled; clinical.smk (included
# first) when clinical.responder is set: its responders.tsv is merged into the sample sheet.


rule validate:
    input:
        **(
            {"responders": rules.clinical_responders.output.responders}
            if RESPONDER
            else {}
        ),
        expression=config["expression"]["path"],
        samples=config["samples"]["path"],
    output:
        expression="results/validated/expression.arrow",
        samples="results/validated/samples.tsv",
        comparisons="results/validated/comparisons.tsv",
        report="results/validated/validation.txt",
    log:
        "results/logs/validate.log",
    benchmark:
        "results/benchmarks/validate.tsv"
    conda:
        "../envs/modmap.yaml"
    # a large plain-text matrix is parsed in parts, one per thread (modmap.readers.fast_text)
    threads: 2
    resources:
        # the matrix once (pyarrow fast path; pandas path for other formats: ~5x the text)
        mem_mb=mem_mb_reads(mb_per_text_mb=5),
        runtime=runtime_scaled(10, 10),
    params:
        run=PARAMS["validate"],
    script:
        "../../scripts/validate.py"
