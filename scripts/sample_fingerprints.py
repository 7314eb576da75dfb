"""Adapter for rule sample_fingerprints: every sample against the reference group ->
results/modules/samples.tsv (per-sample module fingerprints) and results/samples/distance.tsv."""

from modmap.io import read_expression, read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.stats.fingerprints import per_sample_tables


def main(smk) -> None:
    log_to_file(smk.log[0])
    sheet = read_tsv(smk.input.samples, dtype=str, keep_default_na=False)
    membership = read_tsv(smk.input.membership, dtype=str, keep_default_na=False)
    expression = read_expression(smk.input.expression)
    fingerprints, distance = per_sample_tables(expression, sheet, membership, **smk.params.run)
    write_tsv(fingerprints, smk.output.fingerprints)
    write_tsv(distance, smk.output.distance)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
