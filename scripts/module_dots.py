"""Snakemake adapter: draw the module x comparison dot matrix (results/figures/module_dots.*)."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots import plot_module_dots, save_figure


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    scores = read_tsv(smk.input.scores, dtype={"comparison": str, "module_id": str})
    annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
    fig = plot_module_dots(scores, annotation, **smk.params.run)
    save_figure(fig, *smk.output)
    log.info("module dot matrix: %d comparisons", len(smk.params.run["comparisons"]))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
