"""Adapter for rule transcripts: transcripts changed per comparison and configured sets."""

from pathlib import Path

from modmap.io import read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.longitudinal import transcript_results


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    genes = {
        Path(p).name.removesuffix(".tsv"): read_tsv(p, dtype={"feature_id": str})
        for p in smk.input.genes
    }
    membership = read_tsv(smk.input.membership, dtype=str, keep_default_na=False)
    counts, sets, lists = transcript_results(genes, membership=membership, **smk.params.run)
    write_tsv(counts, smk.output.counts)
    write_tsv(sets, smk.output.sets)
    # output "lists" follows the order of the config's sets
    for spec, path in zip(smk.params.run["sets"], smk.output.lists, strict=True):
        write_tsv(lists[spec["name"]], path)
    for row in sets.itertuples(index=False):
        log.info("transcript set %s: %d transcripts", row.set, row.n_features)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
