# Figures: module map, module x comparison dots, module heatmaps (the report's tables: report.smk).
# Needs from common.smk: PARAMS, HEATMAP_MODULES, HEATMAP_COMPARISONS, figure_report,
# HEATMAP_SAMPLES, HEATMAP_LAYOUT, HEATMAP_MAX_ROWS, mem_mb_reads, runtime_scaled, dots_enrichment,
# heatmap_inputs.
# The report captions (workflow/report/*.rst) read params.run and the config: keep their names.
# User strings (labels, reference, module IDs) reach captions only through params.rst (escaped,
# modmap.rst.caption_strings).


# One job draws every module figure: the module map, the dot matrix and the heatmaps of
# heatmaps.modules. Each takes seconds even at 48,000 x 2,000, against about 1.3 s of
# interpreter, pandas and matplotlib start-up per job; the score table and the annotation are
# read once (docs/performance.md, "Module figures: one job").
rule module_figures:
    input:
        unpack(dots_enrichment),
        unpack(heatmap_inputs),
        scores=rules.module_scores.output.scores,
        annotation=rules.bridge.output.annotation,
    output:
        map_pdf=figure_report(
            "results/figures/module_map.pdf",
            "module_map.rst",
            "1. Module maps",
            figure="module map",
            format="PDF",
        ),
        map_png=figure_report(
            "results/figures/module_map.png",
            "module_map.rst",
            "1. Module maps",
            figure="module map",
            format="PNG",
        ),
        # The SVG (for editing) is not embedded in the report: with many comparisons it is the
        # heaviest of the three, and the PDF holds the same vector figure.
        svg="results/figures/module_map.svg",
        dots_pdf=figure_report(
            "results/figures/module_dots.pdf",
            "module_dots.rst",
            "1. Module maps",
            figure="module x comparison dots",
            format="PDF",
        ),
        dots_png=figure_report(
            "results/figures/module_dots.png",
            "module_dots.rst",
            "1. Module maps",
            figure="module x comparison dots",
            format="PNG",
        ),
        heatmap_pdf=[
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
        heatmap_png=[
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
        "results/logs/figures/module_figures.log",
    benchmark:
        "results/benchmarks/module_figures.tsv"
    conda:
        "../envs/modmap.yaml"
    # two: the module map is drawn by a forked child while the job draws the other figures
    threads: 2
    resources:
        # the score and annotation tables and, with heatmaps, the drawn modules' rows (up to
        # HEATMAP_MAX_ROWS features per module counted) and the shown gene tables; the shown
        # samples' columns of the mapped cache are touched
        mem_mb=mem_mb_reads(
            mb_per_text_mb=5,
            samples=(lambda wildcards: HEATMAP_SAMPLES) if HEATMAP_MODULES else None,
            bytes_per_value=30,
            max_rows=HEATMAP_MAX_ROWS * len(HEATMAP_MODULES),
            bytes_per_feature=8 * HEATMAP_SAMPLES,
        ),
        runtime=runtime_scaled(10, 30),
    params:
        run=PARAMS["module_figures"],
        modules=HEATMAP_MODULES,
        rst=REPORT_RST,
        layout=HEATMAP_LAYOUT,
    script:
        "../../scripts/module_figures.py"
