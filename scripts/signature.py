"""Adapter for rule signature: core signature and its status in the followed comparisons."""

from modmap.io import read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.longitudinal import signature_tables


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    scores = read_tsv(smk.input.scores, dtype={"comparison": str, "module_id": str})
    core, status, counts = signature_tables(scores, **smk.params.run)
    write_tsv(core, smk.output.core)
    write_tsv(status, smk.output.status)
    write_tsv(counts, smk.output.counts)
    for row in counts.itertuples(index=False):
        log.info("signature %s (vs %s): %s", row.comparison, row.baseline, row.summary)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
