"""Snakemake adapter: draw the module x comparison dot matrix (results/figures/module_dots.*)."""

import logging

from modmap.io import read_tsv
from modmap.plots import plot_module_dots, save_figure


def main(snakemake) -> None:
    logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(message)s")
    p = snakemake.params
    scores = read_tsv(snakemake.input.scores, dtype={"comparison": str, "module_id": str})
    annotation = read_tsv(snakemake.input.annotation, dtype=str, keep_default_na=False)
    fig = plot_module_dots(
        scores,
        annotation,
        comparisons=p.comparisons,
        labels=p.labels,
        value=p.value,
        min_pct=p.min_pct,
        changed_pct=p.changed_pct,
        max_rows=p.max_rows,
    )
    save_figure(fig, *snakemake.output)
    logging.info("module dot matrix: %d comparisons", len(p.comparisons))


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
