# The probe bridge: module features -> expression features (docs/bridge.md).
# Needs from common.smk: HEATMAP_MODULES, mem_mb_scaled, runtime_scaled.

from modmap.bridge import config_inputs, config_params


rule bridge:
    input:
        unpack(lambda wildcards: config_inputs(config)),
    output:
        bridge="results/bridge/bridge.tsv",
        summary="results/bridge/summary.tsv",
        notes="results/bridge/notes.tsv",
        membership="results/modules/membership.tsv",
        dropped="results/modules/dropped.tsv",
        annotation="results/modules/annotation.tsv",
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
        mem_mb=mem_mb_scaled(1000, 20),
        runtime=runtime_scaled(10, 10),
    params:
        run=config_params(config),
        # checked here, so a heatmap of a dropped module stops the run before the statistics
        heatmap_modules=HEATMAP_MODULES,
    script:
        "../../scripts/bridge.py"
