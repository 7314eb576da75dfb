"""Snakemake adapter: draw the module x comparison dot matrix (results/figures/module_dots.*)."""

from modmap.io import read_tsv
from modmap.logs import log_to_file
from modmap.plots import plot_module_dots, save_figure
from modmap.stats.enrichment import enriched_modules


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    p = smk.params
    scores = read_tsv(smk.input.scores, dtype={"comparison": str, "module_id": str})
    annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
    enriched, label = set(), ""
    if "enrichment" in smk.input.keys():  # enrichment.mark_dots: ring modules with q < alpha
        mark = p.mark
        table = read_tsv(smk.input.enrichment, dtype={"comparison": str, "module_id": str})
        enriched = enriched_modules(table, test=mark["test"], alpha=mark["alpha"])
        label = f"{'CERNO' if mark['test'] == 'cerno' else 'U test'} q < {mark['alpha']:g}"
    fig = plot_module_dots(
        scores,
        annotation,
        comparisons=p.comparisons,
        labels=p.labels,
        value=p.value,
        min_pct=p.min_pct,
        changed_pct=p.changed_pct,
        max_rows=p.max_rows,
        enriched=enriched,
        enriched_label=label,
    )
    save_figure(fig, *smk.output)
    log.info("module dot matrix: %d comparisons", len(p.comparisons))


if __name__ == "__main__":
    main(snakemake)  # noqa: F821
