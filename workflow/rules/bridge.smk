# The probe bridge: module features -> expression features (docs/bridge.md).
# Needs from common.smk: PARAMS, mem_mb_reads, runtime_scaled.

from modmap.settings import bridge_inputs


rule bridge:
    input:
        unpack(lambda wildcards: bridge_inputs(config)),
        expression=rules.validate.output.expression,
    output:
        bridge="results/bridge/bridge.tsv",
        summary="results/bridge/summary.tsv",
        notes="results/bridge/notes.tsv",
        membership="results/modules/membership.tsv",
        dropped="results/modules/dropped.tsv",
        annotation="results/modules/annotation.tsv",
        collapsed="results/bridge/collapsed.tsv",
    log:
        "results/logs/bridge.log",
    benchmark:
        "results/benchmarks/bridge.tsv"
    # before the gene tests when both are ready: the bridge's checks stop a run early
    priority: 10
    conda:
        "../envs/modmap.yaml"
    threads: 1
    resources:
        # the tables it parses and the cache's feature IDs; the cache's values (every sample)
        # only with bridge.collapse max_mean / max_iqr, which score each probe
        mem_mb=mem_mb_reads(
            mb_per_text_mb=20,
            bytes_per_feature=500,
            samples=lambda wildcards: (
                len(SAMPLES)
                if config["bridge"]["collapse"] in ("max_mean", "max_iqr")
                else 0
            ),
            bytes_per_value=28,
        ),
        runtime=runtime_scaled(10, 10),
    params:
        run=PARAMS["bridge"],
    script:
        "../../scripts/bridge.py"
