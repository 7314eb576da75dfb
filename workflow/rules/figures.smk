# Figures: module map, module x comparison dots, module heatmaps (the report's tables: report.smk).
# Needs from common.smk: PARAMS, HEATMAP_MODULES, HEATMAP_COMPARISONS, figure_report,
# HEATMAP_SAMPLES, HEATMAP_LAYOUT, HEATMAP_MAX_ROWS, mem_mb_reads, runtime_scaled, dots_enrichment.
# The report captions (workflow/report/*.rst) read params.run and the config: keep their names.
# User strings (labels, reference, module IDs) reach captions only through params.rst (escaped,
# modmap.rst.caption_strings).


rule module_map:
    input:
        scores=rules.module_scores.output.scores,
        annotation=rules.bridge.output.annotation,
    output:
        pdf=figure_report(
            "results/figures/module_map.pdf",
            "module_map.rst",
            "1. Module maps",
            figure="module map",
            format="PDF",
        ),
        png=figure_report(
            "results/figures/module_map.png",
            "module_map.rst",
            "1. Module maps",
            figure="module map",
            format="PNG",
        ),
        # The SVG (for editing) is not embedded in the report: with many comparisons it is the
        # heaviest of the three, and the PDF holds the same vector figure.
        svg="results/figures/module_map.svg",
    log:
        "results/logs/figures/module_map.log",
    benchmark:
        "results/benchmarks/module_map.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_reads(mb_per_text_mb=5),
        runtime=runtime_scaled(10, 10),
    params:
        run=PARAMS["module_map"],
        rst=REPORT_RST,
    script:
        "../../scripts/module_map.py"


rule module_dots:
    input:
        unpack(dots_enrichment),
        scores=rules.module_scores.output.scores,
        annotation=rules.bridge.output.annotation,
    output:
        pdf=figure_report(
            "results/figures/module_dots.pdf",
            "module_dots.rst",
            "1. Module maps",
            figure="module x comparison dots",
            format="PDF",
        ),
        png=figure_report(
            "results/figures/module_dots.png",
            "module_dots.rst",
            "1. Module maps",
            figure="module x comparison dots",
            format="PNG",
        ),
    log:
        "results/logs/figures/module_dots.log",
    benchmark:
        "results/benchmarks/module_dots.tsv"
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_reads(mb_per_text_mb=5),
        runtime=runtime_scaled(10, 10),
    params:
        run=PARAMS["module_dots"],
        rst=REPORT_RST,
    script:
        "../../scripts/module_dots.py"


if HEATMAP_MODULES:

    # One job draws every module of heatmaps.modules (the tables and the cache are read once).
    rule heatmap:
        input:
            expression=rules.validate.output.expression,
            samples=rules.validate.output.samples,
            comparisons=rules.validate.output.comparisons,
            membership=rules.bridge.output.membership,
            annotation=rules.bridge.output.annotation,
            genes=expand(GENE_TABLE, comparison=HEATMAP_COMPARISONS),
            # Only with bridge.collapse: mean (the averaged probe rows are built on reading).
            collapsed=(
                rules.bridge.output.collapsed
                if config["bridge"]["collapse"] == "mean"
                else []
            ),
        output:
            pdf=[
                figure_report(
                    f"results/figures/heatmap_{module}.pdf",
                    "heatmap.rst",
                    "2. Module heatmaps",
                    subcategory=module,
                    module=module,
                    format="PDF",
                )
                for module in HEATMAP_MODULES
            ],
            png=[
                figure_report(
                    f"results/figures/heatmap_{module}.png",
                    "heatmap.rst",
                    "2. Module heatmaps",
                    subcategory=module,
                    module=module,
                    format="PNG",
                )
                for module in HEATMAP_MODULES
            ],
        log:
            "results/logs/figures/heatmap.log",
        benchmark:
            "results/benchmarks/heatmap.tsv"
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            # the drawn modules' rows (up to HEATMAP_MAX_ROWS features per module counted) and
            # the shown gene tables; the shown samples' columns of the mapped cache are touched
            mem_mb=mem_mb_reads(
                mb_per_text_mb=5,
                samples=lambda wildcards: HEATMAP_SAMPLES,
                bytes_per_value=30,
                max_rows=HEATMAP_MAX_ROWS * len(HEATMAP_MODULES),
                bytes_per_feature=8 * HEATMAP_SAMPLES,
            ),
            runtime=runtime_scaled(10, 30),
        params:
            run=PARAMS["heatmap"],
            modules=HEATMAP_MODULES,
            rst=REPORT_RST,
            layout=HEATMAP_LAYOUT,
        script:
            "../../scripts/heatmap.py"
