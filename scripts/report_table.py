"""Snakemake adapter of rule report_tables: every result table of the report as an HTML page.

``params.run`` maps each table's name (the rule's input and output name) to its title, number
format and display (modmap.report_tables). Every table is read and rendered before any page is
written, so a damaged table (its manifest check names the file) leaves no page half made.
"""

from modmap.clinical.display import display_table
from modmap.io import atomic_path, read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots.tables import table_html


def read_table(path: str, *, display: str):
    """The table as the report shows it: as written, or (clinical) as text rounded for people."""
    if display == "clinical":
        return display_table(read_tsv(path, dtype=str, keep_default_na=False))
    return read_tsv(path, keep_default_na=False, na_values=[""])


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    pages = {}
    for name, spec in smk.params.run.items():
        table = read_table(smk.input[name], display=spec["display"])
        page = table_html(table, title=spec["title"], significant=spec["significant"])
        pages[name] = (page, len(table))
    for name, (page, rows) in pages.items():
        with atomic_path(smk.output[name]) as tmp:
            tmp.write_text(page, encoding="utf-8")
        log.info("%s: %d rows", smk.output[name], rows)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
