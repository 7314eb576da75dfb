# Longitudinal results of a treatment study (docs/longitudinal.md): signature normalisation,
# paired analyte and gene tests, lab endpoints over time, time to flare, transcript lists.
# Each config section (signature, analytes, labs, survival, transcripts) is null (off) by default;
# its rules exist only when it is on (their outputs are in all_targets(), their parameters in
# PARAMS, their cross-key checks in modmap.settings.check_config).
# Needs from common.smk: PARAMS, SAMPLES, WHOLE_MATRIX_BYTES_PER_VALUE, figure_report,
# figure_outputs, mem_mb_reads, runtime_scaled.
# The report captions (workflow/report/longitudinal_*.rst) read params.run and the params below;
# the sections' tables are put in the report by rule report_tables (report.smk).

from modmap.longitudinal.options import section, transcript_comparisons
from modmap.rst import report_safe, rst_text
from modmap.settings import comparison_labels

SIGNATURE = section(config, "signature")
ANALYTES = section(config, "analytes")
LABS = section(config, "labs")
SURVIVAL = section(config, "survival")
TRANSCRIPTS = section(config, "transcripts")
# Comparison labels for captions, reStructuredText-escaped (user text is data), printed by the
# report's job properties without a "<" (modmap.rst.report_safe).
RST_LABELS = report_safe(
    {name: rst_text(label) for name, label in comparison_labels(config).items()}
)
LONGITUDINAL = "5. Longitudinal"
# The items of the one-job-per-rule figures (file names: the schema allows [A-Za-z0-9_.-]).
ANALYTE_NAMES = (
    [str(a) for a in [*ANALYTES["analytes"], *ANALYTES["genes"]]] if ANALYTES else []
)
LAB_VARIABLES = [str(v) for v in LABS["variables"]] if LABS else []


if SIGNATURE is not None:

    rule signature:
        input:
            scores=rules.module_scores.output.scores,
        output:
            core="results/modules/core_signature.tsv",
            status="results/modules/signature.tsv",
            counts="results/modules/signature_counts.tsv",
        log:
            "results/logs/longitudinal/signature.log",
        benchmark:
            "results/benchmarks/signature.tsv"
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_reads(mb_per_text_mb=5),
            runtime=runtime_scaled(5, 10),
        params:
            run=PARAMS["signature"],
        script:
            "../../scripts/signature.py"

    rule signature_figure:
        input:
            status=rules.signature.output.status,
            counts=rules.signature.output.counts,
        output:
            pdf=figure_report(
                "results/figures/signature.pdf",
                "longitudinal_signature.rst",
                LONGITUDINAL,
                "1. Signature normalisation",
                figure="core signature status",
                format="PDF",
            ),
            png=figure_report(
                "results/figures/signature.png",
                "longitudinal_signature.rst",
                LONGITUDINAL,
                "1. Signature normalisation",
                figure="core signature status",
                format="PNG",
            ),
        log:
            "results/logs/longitudinal/signature_figure.log",
        benchmark:
            "results/benchmarks/signature_figure.tsv"
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_reads(mb_per_text_mb=5),
            runtime=runtime_scaled(10, 10),
        params:
            run=PARAMS["signature_figure"],
            signature=PARAMS["signature"],
            rst_labels=RST_LABELS,
        script:
            "../../scripts/signature_figure.py"


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
            samples=rules.validate.output.samples,
            expression=rules.validate.output.expression,
            membership=rules.bridge.output.membership,
        output:
            tests="results/analytes/tests.tsv",
            pairs="results/analytes/pairs.tsv",
        log:
            "results/logs/longitudinal/analyte_tests.log",
        benchmark:
            "results/benchmarks/analyte_tests.tsv"
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            # With analytes.genes, the whole matrix is read (and copied once by
            # reset_index): the fingerprints' factor plus 8 bytes a value.
            mem_mb=mem_mb_reads(
                samples=lambda wildcards: len(SAMPLES),
                bytes_per_value=WHOLE_MATRIX_BYTES_PER_VALUE + 8,
                mb_per_text_mb=10,
            ),
            runtime=runtime_scaled(5, 10),
        params:
            run=PARAMS["analyte_tests"],
        script:
            "../../scripts/analyte_tests.py"


if LABS is not None:

    rule labs:
        input:
            table=LABS["path"],
            samples=rules.validate.output.samples,
        output:
            summary="results/labs/summary.tsv",
            values="results/labs/values.tsv",
        log:
            "results/logs/longitudinal/labs.log",
        benchmark:
            "results/benchmarks/labs.tsv"
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_reads(mb_per_text_mb=10),
            runtime=runtime_scaled(5, 10),
        params:
            run=PARAMS["labs"],
        script:
            "../../scripts/labs.py"


if SURVIVAL is not None:

    rule kaplan_meier:
        input:
            table=SURVIVAL["path"],
            # waits for the run's validation, so a failed validation leaves no partial results
            validated=rules.validate.output.report,
        output:
            curve="results/survival/km.tsv",
            median="results/survival/median.tsv",
        log:
            "results/logs/longitudinal/kaplan_meier.log",
        benchmark:
            "results/benchmarks/kaplan_meier.tsv"
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_reads(mb_per_text_mb=10),
            runtime=runtime_scaled(5, 10),
        script:
            "../../scripts/kaplan_meier.py"


# The lab, analyte and Kaplan-Meier figures: one job draws all of them (every lab variable and
# every analyte, one figure each). Their tables are ready early (after validate and bridge) and
# tiny; one interpreter instead of three saves two Python, pandas and matplotlib start-ups
# (~1.2 s each) per run (docs/performance.md, "Figure jobs of the toy"). Lower priority than the
# jobs of the longer chains that are ready at the same time, which run first.
TRIAL_FIGURES = [
    name
    for name, on in (("labs", LABS), ("analytes", ANALYTES), ("survival", SURVIVAL))
    if on is not None
]


if TRIAL_FIGURES:

    rule longitudinal_figures:
        input:
            **(
                {
                    "lab_summary": rules.labs.output.summary,
                    "lab_values": rules.labs.output.values,
                }
                if LABS is not None
                else {}
            ),
            **(
                {
                    "analyte_tests": rules.analyte_tests.output.tests,
                    "analyte_pairs": rules.analyte_tests.output.pairs,
                }
                if ANALYTES is not None
                else {}
            ),
            **(
                {
                    "km_curve": rules.kaplan_meier.output.curve,
                    "km_median": rules.kaplan_meier.output.median,
                }
                if SURVIVAL is not None
                else {}
            ),
        output:
            **(
                figure_outputs(
                    "lab",
                    {v: f"results/figures/labs/{v}" for v in LAB_VARIABLES},
                    "longitudinal_lab.rst",
                    LONGITUDINAL,
                    "3. Lab endpoints",
                    key="variable",
                )
                if LABS is not None
                else {}
            ),
            **(
                figure_outputs(
                    "analyte",
                    {a: f"results/figures/analytes/{a}" for a in ANALYTE_NAMES},
                    "longitudinal_analyte.rst",
                    LONGITUDINAL,
                    "2. Paired analyte and gene tests",
                    key="analyte",
                )
                if ANALYTES is not None
                else {}
            ),
            **(
                {
                    "km_pdf": figure_report(
                        "results/figures/kaplan_meier.pdf",
                        "longitudinal_km.rst",
                        LONGITUDINAL,
                        "4. Time to flare",
                        figure="Kaplan-Meier",
                        format="PDF",
                    ),
                    "km_png": figure_report(
                        "results/figures/kaplan_meier.png",
                        "longitudinal_km.rst",
                        LONGITUDINAL,
                        "4. Time to flare",
                        figure="Kaplan-Meier",
                        format="PNG",
                    ),
                }
                if SURVIVAL is not None
                else {}
            ),
        log:
            "results/logs/longitudinal/figures.log",
        benchmark:
            "results/benchmarks/longitudinal_figures.tsv"
        priority: -1
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_reads(mb_per_text_mb=5),
            runtime=runtime_scaled(5, 10),
        params:
            run=PARAMS["longitudinal_figures"],
            # for the captions (workflow/report/longitudinal_{lab,analyte,km}.rst)
            variables=LAB_VARIABLES,
            lab_baseline=rst_text(LABS["baseline"]) if LABS else None,
            analytes=ANALYTE_NAMES,
            test=ANALYTES["test"] if ANALYTES else None,
            group_by=(
                rst_text(ANALYTES["group_by"] or "all subjects") if ANALYTES else None
            ),
            time_label=rst_text(SURVIVAL["time_label"]) if SURVIVAL else None,
        script:
            "../../scripts/longitudinal_figures.py"


if TRANSCRIPTS is not None:

    rule transcripts:
        input:
            genes=expand(GENE_TABLE, comparison=transcript_comparisons(config)),
            membership=rules.bridge.output.membership,
        output:
            counts="results/transcripts/counts.tsv",
            sets="results/transcripts/sets.tsv",
            lists=expand(
                "results/transcripts/sets/{name}.tsv",
                name=[s["name"] for s in TRANSCRIPTS["sets"]],
            ),
        log:
            "results/logs/longitudinal/transcripts.log",
        benchmark:
            "results/benchmarks/transcripts.tsv"
        conda:
            "../envs/modmap.yaml"
        threads: 1
        resources:
            mem_mb=mem_mb_reads(mb_per_text_mb=5),
            runtime=runtime_scaled(5, 10),
        params:
            run=PARAMS["transcripts"],
        script:
            "../../scripts/transcripts.py"
