"""Snakemake adapter: render a result table as a self-contained HTML page for the report."""

import logging

from modmap.io import atomic_path, read_tsv
from modmap.plots.tables import table_html


def main(snakemake) -> None:
    logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(message)s")
    table = read_tsv(snakemake.input[0], keep_default_na=False, na_values=[""])
    page = table_html(table, title=snakemake.params.title)
    with atomic_path(snakemake.output[0]) as tmp:
        tmp.write_text(page, encoding="utf-8")
    logging.info("%s: %d rows", snakemake.output[0], len(table))


if "snakemake" in globals():
    main(snakemake)  # noqa: F821
