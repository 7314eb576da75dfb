# Per-sample fingerprints and the distance to health (docs/statistics.md, docs/figures.md).
# Targets only when config fingerprints.reference is set (FINGERPRINTS, fingerprint_targets()).
# Needs from common.smk: PARAMS, SAMPLES, WHOLE_MATRIX_BYTES_PER_VALUE, figure_report,
# mem_mb_reads, runtime_scaled.
# The report captions (workflow/report/fingerprints.rst, distance.rst) read the config.

FINGERPRINT_FIGURES = "6. Per-sample fingerprints"


rule sample_fingerprints:
    input:
        expression=rules.validate.output.expression,
        samples=rules.validate.output.samples,
        membership=rules.bridge.output.membership,
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
        # The whole matrix is read (every sample of the sheet is compared); work runs in row
        # chunks.
        mem_mb=mem_mb_reads(
            samples=lambda wildcards: len(SAMPLES),
            bytes_per_value=WHOLE_MATRIX_BYTES_PER_VALUE,
            mb_per_text_mb=5,
        ),
        runtime=runtime_scaled(10, 20),
    params:
        run=PARAMS["sample_fingerprints"],
    script:
        "../../scripts/sample_fingerprints.py"


# One job draws both figures of the stage: they read the same per-sample tables, and a second
# interpreter (Python, pandas and matplotlib start-up, ~1.2 s) costs more than the smaller of
# the two figures (docs/performance.md, "Figure jobs of the toy").
rule sample_figures:
    input:
        fingerprints=rules.sample_fingerprints.output.fingerprints,
        distance=rules.sample_fingerprints.output.distance,
        samples=rules.validate.output.samples,
        annotation=rules.bridge.output.annotation,
    output:
        fingerprints_pdf=figure_report(
            "results/figures/fingerprints.pdf",
            "fingerprints.rst",
            FINGERPRINT_FIGURES,
            figure="module fingerprints",
            format="PDF",
        ),
        fingerprints_png=figure_report(
            "results/figures/fingerprints.png",
            "fingerprints.rst",
            FINGERPRINT_FIGURES,
            figure="module fingerprints",
            format="PNG",
        ),
        distance_pdf=figure_report(
            "results/figures/distance_to_health.pdf",
            "distance.rst",
            FINGERPRINT_FIGURES,
            figure="distance to health",
            format="PDF",
        ),
        distance_png=figure_report(
            "results/figures/distance_to_health.png",
            "distance.rst",
            FINGERPRINT_FIGURES,
            figure="distance to health",
            format="PNG",
        ),
    log:
        "results/logs/figures/sample_figures.log",
    benchmark:
        "results/benchmarks/sample_figures.tsv"
    # after the jobs of the longer chains that are ready at the same time (docs/performance.md)
    priority: -1
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_reads(mb_per_text_mb=8),
        runtime=runtime_scaled(10, 20),
    params:
        run=PARAMS["sample_figures"],
    script:
        "../../scripts/sample_figures.py"
