# Longitudinal results of a treatment study (docs/longitudinal.md): signature normalisation,
# paired analyte and gene tests, lab endpoints over time, time to flare, transcript lists.
# Each section of the config (signature, analytes, labs, survival, transcripts) is off (null)
# by default; its rules only run when it is on (their outputs are in all_targets()).
# Needs from common.smk: LABELS, mem_mb_scaled, runtime_scaled.
# The report captions (workflow/report/longitudinal_*.rst) read the params below.

from modmap.longitudinal.options import (
    analytes_run,
    check_longitudinal,
    labs_run,
    names_pattern,
    rst,
    section,
    signature_run,
    transcript_comparisons,
    transcripts_run,
)

check_longitudinal(config)
SIGNATURE = section(config, "signature")
ANALYTES = section(config, "analytes")
LABS = section(config, "labs")
SURVIVAL = section(config, "survival")
TRANSCRIPTS = section(config, "transcripts")
# Labels for captions and figures, reStructuredText-escaped (user text is data).
RST_LABELS = {name: rst(label) for name, label in LABELS.items()}
LONGITUDINAL_CATEGORY = "5. Longitudinal"


if SIGNATURE is not None:

    rule signature:
        input:
            scores="results/modules/scores.tsv",
        output:
            core="results/modules/core_signature.tsv",
            status="results/modules/signature.tsv",
            counts="results/modules/signature_counts.tsv",
        log:
            "results/logs/longitudinal/signature.log",
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_scaled(500, 5),
            runtime=runtime_scaled(5, 10),
        params:
            run=signature_run(config),
        script:
            "../../scripts/signature.py"

    rule signature_figure:
        input:
            status="results/modules/signature.tsv",
            counts="results/modules/signature_counts.tsv",
        output:
            pdf=report(
                "results/figures/signature.pdf",
                caption="../report/longitudinal_signature.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="1. Signature normalisation",
                labels={"figure": "core signature status", "format": "PDF"},
            ),
            png=report(
                "results/figures/signature.png",
                caption="../report/longitudinal_signature.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="1. Signature normalisation",
                labels={"figure": "core signature status", "format": "PNG"},
            ),
        log:
            "results/logs/longitudinal/signature_figure.log",
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_scaled(1000, 2),
            runtime=runtime_scaled(10, 10),
        params:
            labels=LABELS,
            rst_labels=RST_LABELS,
            run=signature_run(config),
        script:
            "../../scripts/signature_figure.py"

    use rule report_table as report_signature_counts with:
        input:
            "results/modules/signature_counts.tsv",
        output:
            report(
                "results/report/signature_counts.html",
                caption="../report/longitudinal_signature_counts.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="1. Signature normalisation",
                labels={"table": "signature counts"},
            ),
        log:
            "results/logs/report/signature_counts.log",
        params:
            title="Core signature in the followed comparisons (counts per status)",
            rst_labels=RST_LABELS,
            run=signature_run(config),


if ANALYTES is not None:

    rule analyte_tests:
        input:
            unpack(
                lambda wildcards: (
                    {"analytes": ANALYTES["path"]}
                    if ANALYTES["path"] is not None
                    else {}
                )
            ),
            samples="results/validated/samples.tsv",
            expression="results/validated/expression.parquet",
            membership="results/modules/membership.tsv",
        output:
            tests="results/analytes/tests.tsv",
            pairs="results/analytes/pairs.tsv",
        log:
            "results/logs/longitudinal/analyte_tests.log",
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_scaled(1000, 6),
            runtime=runtime_scaled(5, 10),
        params:
            run=analytes_run(config),
        script:
            "../../scripts/analyte_tests.py"

    rule analyte_figure:
        input:
            tests="results/analytes/tests.tsv",
            pairs="results/analytes/pairs.tsv",
        output:
            pdf=report(
                "results/figures/analytes/{analyte}.pdf",
                caption="../report/longitudinal_analyte.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="2. Paired analyte and gene tests",
                labels={"analyte": "{analyte}", "format": "PDF"},
            ),
            png=report(
                "results/figures/analytes/{analyte}.png",
                caption="../report/longitudinal_analyte.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="2. Paired analyte and gene tests",
                labels={"analyte": "{analyte}", "format": "PNG"},
            ),
        log:
            "results/logs/longitudinal/analyte_{analyte}.log",
        wildcard_constraints:
            analyte=names_pattern([*ANALYTES["analytes"], *ANALYTES["genes"]]),
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_scaled(1000, 2),
            runtime=runtime_scaled(5, 10),
        params:
            run={"baseline": ANALYTES["baseline"], "visit": ANALYTES["visit"]},
            test=ANALYTES["test"],
            group_by=rst(ANALYTES["group_by"] or "all subjects"),
        script:
            "../../scripts/analyte_figure.py"

    use rule report_table as report_analyte_tests with:
        input:
            "results/analytes/tests.tsv",
        output:
            report(
                "results/report/analyte_tests.html",
                caption="../report/longitudinal_analyte_tests.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="2. Paired analyte and gene tests",
                labels={"table": "paired tests"},
            ),
        log:
            "results/logs/report/analyte_tests.log",
        params:
            title="Paired tests within subjects (analytes and genes)",
            test=ANALYTES["test"],
            baseline=rst(ANALYTES["baseline"]),
            visit=rst(ANALYTES["visit"]),
            group_by=rst(ANALYTES["group_by"] or "all subjects"),


if LABS is not None:

    rule labs:
        input:
            table=LABS["path"],
            samples="results/validated/samples.tsv",
        output:
            summary="results/labs/summary.tsv",
            values="results/labs/values.tsv",
        log:
            "results/logs/longitudinal/labs.log",
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_scaled(500, 10),
            runtime=runtime_scaled(5, 10),
        params:
            run=labs_run(config),
        script:
            "../../scripts/labs.py"

    rule lab_figure:
        input:
            summary="results/labs/summary.tsv",
            values="results/labs/values.tsv",
        output:
            pdf=report(
                "results/figures/labs/{variable}.pdf",
                caption="../report/longitudinal_lab.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="3. Lab endpoints",
                labels={"variable": "{variable}", "format": "PDF"},
            ),
            png=report(
                "results/figures/labs/{variable}.png",
                caption="../report/longitudinal_lab.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="3. Lab endpoints",
                labels={"variable": "{variable}", "format": "PNG"},
            ),
        log:
            "results/logs/longitudinal/lab_{variable}.log",
        wildcard_constraints:
            variable=names_pattern(LABS["variables"]),
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_scaled(1000, 2),
            runtime=runtime_scaled(5, 10),
        params:
            run=labs_run(config),
            log_scale=[rst(v) for v in LABS["log_scale"]],
        script:
            "../../scripts/lab_figure.py"

    use rule report_table as report_lab_summary with:
        input:
            "results/labs/summary.tsv",
        output:
            report(
                "results/report/lab_summary.html",
                caption="../report/longitudinal_lab_summary.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="3. Lab endpoints",
                labels={"table": "lab endpoints"},
            ),
        log:
            "results/logs/report/lab_summary.log",
        params:
            title="Lab endpoints: median (IQR) per visit and group, signed-rank vs baseline",
            baseline=rst(LABS["baseline"]),
            group_by=rst(LABS["group_by"] or "all subjects"),


if SURVIVAL is not None:

    rule kaplan_meier:
        input:
            table=SURVIVAL["path"],
        output:
            curve="results/survival/km.tsv",
            median="results/survival/median.tsv",
        log:
            "results/logs/longitudinal/kaplan_meier.log",
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_scaled(500, 10),
            runtime=runtime_scaled(5, 10),
        script:
            "../../scripts/kaplan_meier.py"

    rule kaplan_meier_figure:
        input:
            curve="results/survival/km.tsv",
            median="results/survival/median.tsv",
        output:
            pdf=report(
                "results/figures/kaplan_meier.pdf",
                caption="../report/longitudinal_km.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="4. Time to flare",
                labels={"figure": "Kaplan-Meier", "format": "PDF"},
            ),
            png=report(
                "results/figures/kaplan_meier.png",
                caption="../report/longitudinal_km.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="4. Time to flare",
                labels={"figure": "Kaplan-Meier", "format": "PNG"},
            ),
        log:
            "results/logs/longitudinal/kaplan_meier_figure.log",
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_scaled(1000, 2),
            runtime=runtime_scaled(5, 10),
        params:
            run={"time_label": SURVIVAL["time_label"]},
            time_label=rst(SURVIVAL["time_label"]),
        script:
            "../../scripts/kaplan_meier_figure.py"

    use rule report_table as report_time_to_flare with:
        input:
            "results/survival/median.tsv",
        output:
            report(
                "results/report/time_to_flare.html",
                caption="../report/longitudinal_km_median.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="4. Time to flare",
                labels={"table": "median time to flare"},
            ),
        log:
            "results/logs/report/time_to_flare.log",
        params:
            title="Time from withdrawal to flare (Kaplan-Meier median)",


if TRANSCRIPTS is not None:

    rule transcripts:
        input:
            genes=expand(
                "results/genes/{comparison}.tsv",
                comparison=transcript_comparisons(config),
            ),
            membership="results/modules/membership.tsv",
        output:
            counts="results/transcripts/counts.tsv",
            sets="results/transcripts/sets.tsv",
            lists=expand(
                "results/transcripts/sets/{name}.tsv",
                name=[s["name"] for s in TRANSCRIPTS["sets"]],
            ),
        log:
            "results/logs/longitudinal/transcripts.log",
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_scaled(1000, 5),
            runtime=runtime_scaled(5, 10),
        params:
            run=transcripts_run(config),
        script:
            "../../scripts/transcripts.py"

    use rule report_table as report_transcript_counts with:
        input:
            "results/transcripts/counts.tsv",
        output:
            report(
                "results/report/transcript_counts.html",
                caption="../report/longitudinal_transcript_counts.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="5. Transcripts",
                labels={"table": "transcripts per comparison"},
            ),
        log:
            "results/logs/report/transcript_counts.log",
        params:
            title="Transcripts changed per comparison",
            alpha=config["statistics"]["alpha"],
            threshold_on=config["statistics"]["threshold_on"],

    use rule report_table as report_transcript_sets with:
        input:
            "results/transcripts/sets.tsv",
        output:
            report(
                "results/report/transcript_sets.html",
                caption="../report/longitudinal_transcript_sets.rst",
                category=LONGITUDINAL_CATEGORY,
                subcategory="5. Transcripts",
                labels={"table": "transcript sets"},
            ),
        log:
            "results/logs/report/transcript_sets.log",
        params:
            title="Transcript sets (changed in every 'in' comparison, in no 'not_in' one)",
            alpha=config["statistics"]["alpha"],
            threshold_on=config["statistics"]["threshold_on"],
