"""Adapter for rule module_enrichment: gene tables + membership -> modules/enrichment.tsv."""

from modmap.io import read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.stats.enrichment import module_enrichment


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    run = dict(smk.params.run)
    names = run.pop("comparisons")  # routes the gene tables (config order)
    genes = {
        name: read_tsv(path, dtype={"feature_id": str}, keep_default_na=False, na_values=[""])
        for name, path in zip(names, smk.input.genes, strict=True)
    }
    membership = read_tsv(smk.input.membership, dtype=str, keep_default_na=False)
    annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
    table = module_enrichment(genes, membership, annotation, **run)
    write_tsv(table, smk.output.table)
    log.info("module enrichment: %d comparisons x modules", len(table))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
