"""Adapter for the report_clinical_* rules: a clinical table as an HTML page for the report."""

from modmap.clinical.display import display_table
from modmap.io import atomic_path, read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots.tables import table_html


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    table = read_tsv(smk.input[0], dtype=str, keep_default_na=False)
    page = table_html(display_table(table), title=smk.params.title)
    with atomic_path(smk.output[0]) as tmp:
        tmp.write_text(page, encoding="utf-8")
    log.info("%s: %d rows", smk.output[0], len(table))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
