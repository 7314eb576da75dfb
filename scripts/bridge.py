"""Adapter for rule bridge: translate the module file to the matrix's features, write 6 tables."""

from modmap.bridge import check_kept_modules, run_bridge
from modmap.io import write_tsv
from modmap.logs import log_to_file, run_job


def main(smk) -> None:
    log_to_file(smk.log[0])
    run = dict(smk.params.run)
    heatmap_modules = run.pop("heatmap_modules")
    result = run_bridge(modules_path=smk.input.modules, expression_path=smk.input.expression, **run)
    check_kept_modules(result, heatmap_modules, key="heatmaps.modules")
    for name in ("bridge", "summary", "notes", "membership", "dropped", "annotation", "collapsed"):
        write_tsv(getattr(result, name), smk.output[name])


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
