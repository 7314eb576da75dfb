# Per-sample module fingerprints and the distance to health (docs/statistics.md, docs/figures.md).
# Included only when config fingerprints.reference is set (FINGERPRINTS in common.smk).
# Needs from common.smk: mem_mb_scaled, runtime_scaled.
# The report captions (workflow/report/fingerprints.rst, distance.rst) read params.run.

FINGERPRINT_FIGURES = "6. Per-sample fingerprints"


rule sample_fingerprints:
    input:
        expression="results/validated/expression.parquet",
        samples="results/validated/samples.tsv",
        membership="results/modules/membership.tsv",
    output:
        fingerprints="results/modules/samples.tsv",
        distance="results/samples/distance.tsv",
    log:
        "results/logs/sample_fingerprints.log",
    benchmark:
        "results/benchmarks/sample_fingerprints.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        # The whole matrix is read (every sample is compared); work runs in row chunks.
        mem_mb=mem_mb_scaled(1000, 6),
        runtime=runtime_scaled(10, 20),
    params:
        run={
            "reference": config["fingerprints"]["reference"],
            "scale": config["fingerprints"]["scale"],
            # the c of log2(x + c) when the matrix was logged with an offset (none today)
            "offset": config["expression"].get("offset", 0),
            "fold_change": config["fingerprints"]["fold_change"],
            "difference": config["fingerprints"]["difference"],
            "distance_sd": config["fingerprints"]["distance_sd"],
        },
    script:
        "../../scripts/sample_fingerprints.py"


rule fingerprint_plot:
    input:
        fingerprints="results/modules/samples.tsv",
        samples="results/validated/samples.tsv",
        annotation="results/modules/annotation.tsv",
    output:
        pdf=report(
            "results/figures/fingerprints.pdf",
            caption="../report/fingerprints.rst",
            category=FINGERPRINT_FIGURES,
            labels={"figure": "module fingerprints", "format": "PDF"},
        ),
        png=report(
            "results/figures/fingerprints.png",
            caption="../report/fingerprints.rst",
            category=FINGERPRINT_FIGURES,
            labels={"figure": "module fingerprints", "format": "PNG"},
        ),
    log:
        "results/logs/figures/fingerprints.log",
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(1000, 4),
        runtime=runtime_scaled(10, 20),
    params:
        run={
            "reference": config["fingerprints"]["reference"],
            "group_by": config["fingerprints"]["group_by"],
            "order_by": config["fingerprints"]["order_by"],
            "show_reference": config["fingerprints"]["show_reference"],
            "cutoff": config["fingerprints"]["cutoff"],
            "fold_change": config["fingerprints"]["fold_change"],
            "difference": config["fingerprints"]["difference"],
            "scale": config["fingerprints"]["scale"],
        },
    script:
        "../../scripts/fingerprint_plot.py"


rule distance_plot:
    input:
        distance="results/samples/distance.tsv",
        samples="results/validated/samples.tsv",
    output:
        pdf=report(
            "results/figures/distance_to_health.pdf",
            caption="../report/distance.rst",
            category=FINGERPRINT_FIGURES,
            labels={"figure": "distance to health", "format": "PDF"},
        ),
        png=report(
            "results/figures/distance_to_health.png",
            caption="../report/distance.rst",
            category=FINGERPRINT_FIGURES,
            labels={"figure": "distance to health", "format": "PNG"},
        ),
    log:
        "results/logs/figures/distance_to_health.log",
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(500, 5),
        runtime=runtime_scaled(5, 10),
    params:
        run={
            "reference": config["fingerprints"]["reference"],
            "group_by": config["fingerprints"]["group_by"],
            "order_by": config["fingerprints"]["order_by"],
            "subject": config["fingerprints"]["subject"],
            "colour_by": config["fingerprints"]["colour_by"],
            "distance_sd": config["fingerprints"]["distance_sd"],
        },
    script:
        "../../scripts/distance_plot.py"
