"""Adapter for rule kaplan_meier: time from withdrawal to flare -> results/survival/."""

from modmap.io import read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.longitudinal import time_to_flare


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    table = read_tsv(smk.input.table, dtype=str, keep_default_na=False)
    curve, median = time_to_flare(table, path=str(smk.input.table))
    write_tsv(curve, smk.output.curve)
    write_tsv(median, smk.output.median)
    log.info("time to flare: %s", median.iloc[0].to_dict())


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
