"""Snakemake adapter: draw the module x comparison dot matrix (results/figures/module_dots.*)."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots import plot_module_dots, save_figure
from modmap.stats.enrichment import enriched_modules


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    scores = read_tsv(smk.input.scores, dtype={"comparison": str, "module_id": str})
    annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
    run = dict(smk.params.run)
    # enrichment.mark_dots: ring the modules whose rank enrichment has q < alpha
    test, alpha = run.pop("enrichment_test", None), run.pop("enrichment_alpha", None)
    enriched, label = set(), ""
    if "enrichment" in smk.input.keys():
        table = read_tsv(smk.input.enrichment, dtype={"comparison": str, "module_id": str})
        enriched = enriched_modules(table, test=test, alpha=alpha)
        label = f"{'CERNO' if test == 'cerno' else 'U test'} q < {alpha:g}"
    fig = plot_module_dots(scores, annotation, enriched=enriched, enriched_label=label, **run)
    save_figure(fig, *smk.output, layout_once=True)
    log.info("module dot matrix: %d comparisons", len(smk.params.run["comparisons"]))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
