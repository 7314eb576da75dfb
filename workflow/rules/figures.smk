# Figures and report tables: module map, module x comparison dots, module heatmaps.
# Needs from common.smk: COMPARISONS, LABELS, HEATMAP_MODULES, HEATMAP_COMPARISONS,
# mem_mb_scaled, runtime_scaled.
# The report captions (workflow/report/*.rst) read the params below: keep their names. User
# strings reach the captions only through params.rst (escaped, modmap.rst.caption_strings).

import re


rule module_map:
    input:
        scores="results/modules/scores.tsv",
        annotation="results/modules/annotation.tsv",
    output:
        pdf=report(
            "results/figures/module_map.pdf",
            caption="../report/module_map.rst",
            category="1. Module maps",
            labels={"figure": "module map", "format": "PDF"},
        ),
        png=report(
            "results/figures/module_map.png",
            caption="../report/module_map.rst",
            category="1. Module maps",
            labels={"figure": "module map", "format": "PNG"},
        ),
        svg=report(
            "results/figures/module_map.svg",
            caption="../report/module_map.rst",
            category="1. Module maps",
            labels={"figure": "module map", "format": "SVG"},
        ),
    log:
        "results/logs/figures/module_map.log",
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(1000, 2),
        runtime=runtime_scaled(10, 10),
    params:
        value=config["module_map"]["value"],
        min_pct=config["module_map"]["min_pct"],
        changed_pct=config["module_map"]["changed_pct"],
        core_signature=config["module_map"]["core_signature"],
        comparisons=COMPARISONS,
        labels=LABELS,
        rst=REPORT_RST,
        alpha=config["statistics"]["alpha"],
        threshold_on=config["statistics"]["threshold_on"],
    script:
        "../../scripts/module_map.py"


rule module_dots:
    input:
        scores="results/modules/scores.tsv",
        annotation="results/modules/annotation.tsv",
    output:
        pdf=report(
            "results/figures/module_dots.pdf",
            caption="../report/module_dots.rst",
            category="1. Module maps",
            labels={"figure": "module x comparison dots", "format": "PDF"},
        ),
        png=report(
            "results/figures/module_dots.png",
            caption="../report/module_dots.rst",
            category="1. Module maps",
            labels={"figure": "module x comparison dots", "format": "PNG"},
        ),
    log:
        "results/logs/figures/module_dots.log",
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(1000, 2),
        runtime=runtime_scaled(10, 10),
    params:
        value=config["module_map"]["value"],
        min_pct=config["module_map"]["min_pct"],
        changed_pct=config["module_map"]["changed_pct"],
        core_signature=config["module_map"]["core_signature"],
        max_rows=config["module_map"]["dots_max_rows"],
        comparisons=COMPARISONS,
        labels=LABELS,
        rst=REPORT_RST,
        alpha=config["statistics"]["alpha"],
        threshold_on=config["statistics"]["threshold_on"],
    script:
        "../../scripts/module_dots.py"


rule heatmap:
    input:
        expression="results/validated/expression.parquet",
        samples="results/validated/samples.tsv",
        comparisons="results/validated/comparisons.tsv",
        membership="results/modules/membership.tsv",
        annotation="results/modules/annotation.tsv",
        genes=expand(
            "results/genes/{comparison}.tsv",
            comparison=HEATMAP_COMPARISONS,
        ),
    output:
        pdf=report(
            "results/figures/heatmap_{module}.pdf",
            caption="../report/heatmap.rst",
            category="2. Module heatmaps",
            subcategory="{module}",
            labels={"module": "{module}", "format": "PDF"},
        ),
        png=report(
            "results/figures/heatmap_{module}.png",
            caption="../report/heatmap.rst",
            category="2. Module heatmaps",
            subcategory="{module}",
            labels={"module": "{module}", "format": "PNG"},
        ),
    log:
        "results/logs/figures/heatmap_{module}.log",
    benchmark:
        "results/benchmarks/figures/heatmap_{module}.tsv"
    wildcard_constraints:
        module="|".join(re.escape(m) for m in HEATMAP_MODULES) or "(?!)",
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(1000, 6),
        runtime=runtime_scaled(10, 30),
    params:
        comparisons=HEATMAP_COMPARISONS,
        labels=LABELS,
        rst=REPORT_RST,
        reference=report_safe(config["heatmaps"]["reference"]),
        normalisation=config["heatmaps"]["normalisation"],
        max_genes=config["heatmaps"]["max_genes"],
        threshold_on=config["statistics"]["threshold_on"],
        alpha=config["statistics"]["alpha"],
    script:
        "../../scripts/heatmap.py"


rule report_table:
    input:
        "results/modules/scores.tsv",
    output:
        report(
            "results/report/module_scores.html",
            caption="../report/scores.rst",
            category="3. Tables",
            labels={"table": "module scores"},
        ),
    log:
        "results/logs/report/module_scores.log",
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        mem_mb=mem_mb_scaled(500, 10),
        runtime=runtime_scaled(5, 10),
    params:
        title="Module scores (% of tested genes changed, per comparison)",
        alpha=config["statistics"]["alpha"],
        threshold_on=config["statistics"]["threshold_on"],
    script:
        "../../scripts/report_table.py"


use rule report_table as report_bridge_summary with:
    input:
        "results/bridge/summary.tsv",
    output:
        report(
            "results/report/bridge_summary.html",
            caption="../report/bridge_summary.rst",
            category="3. Tables",
            labels={"table": "bridge summary"},
        ),
    log:
        "results/logs/report/bridge_summary.log",
    params:
        title="Bridge summary: source features by translation status",
