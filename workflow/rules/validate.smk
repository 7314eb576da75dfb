rule validate:
    input:
        **({"responders": "results/clinical/responders.tsv"} if RESPONDER else {}),
        expression=config["expression"]["path"],
        samples=config["samples"]["path"],
        # The derived responder column (clinical.responder), merged into the sample sheet.
    output:
        expression="results/validated/expression.parquet",
        samples="results/validated/samples.tsv",
        comparisons="results/validated/comparisons.tsv",
        report="results/validated/validation.txt",
    log:
        "results/logs/validate.log",
    benchmark:
        "results/benchmarks/validate.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(1000, 12),
        runtime=runtime_scaled(10, 10),
    params:
        id_column=config["samples"]["id_column"],
        comparisons=config["comparisons"],
        min_group_size=config["statistics"]["min_group_size"],
        scale=config["expression"]["scale"],
        clinical=CLINICAL_PARAMS.get("validate_responder"),
    script:
        "../../scripts/validate.py"
