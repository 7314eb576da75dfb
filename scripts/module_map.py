"""Snakemake adapter: draw the module map (results/figures/module_map.{pdf,png,svg})."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots import plot_module_map, save_figure


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    scores = read_tsv(smk.input.scores, dtype={"comparison": str, "module_id": str})
    annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
    fig = plot_module_map(scores, annotation, **smk.params.run)
    save_figure(fig, *smk.output, layout_once=True)  # many panels: lay them out once
    n_comparisons = len(smk.params.run["comparisons"])
    log.info("module map: %d comparisons, %d modules", n_comparisons, len(annotation))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
