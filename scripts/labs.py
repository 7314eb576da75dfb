"""Adapter for rule labs: lab endpoints per visit and group -> results/labs/."""

from modmap.io import read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.longitudinal import lab_analysis


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    table = read_tsv(smk.input.table, dtype=str, keep_default_na=False)
    samples = read_tsv(smk.input.samples, dtype=str, keep_default_na=False)
    summary, values = lab_analysis(
        table, samples=samples, path=str(smk.input.table), **smk.params.run
    )
    write_tsv(summary, smk.output.summary)
    write_tsv(values, smk.output.values)
    log.info("labs: %d variables, %d summary rows", summary["variable"].nunique(), len(summary))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
