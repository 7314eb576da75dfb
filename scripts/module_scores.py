"""Adapter for rule module_scores: gene tables + module membership -> the module tables.

Writes ``results/modules/scores.tsv`` (per module and comparison: tested genes, % up / down) and
``results/modules/enrichment.tsv`` (tmod-style rank enrichment, CERNO and U tests). One job for
both: the gene tables, membership and annotation are read once (docs/performance.md, "Module
scores and enrichment: one job").
"""

from modmap.io import read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.stats import module_scores
from modmap.stats.enrichment import module_enrichment


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    run = dict(smk.params.run)
    genes = {
        name: read_tsv(path, dtype={"feature_id": str}, keep_default_na=False, na_values=[""])
        for name, path in zip(run.pop("comparisons"), smk.input.genes, strict=True)
    }
    membership = read_tsv(smk.input.membership, dtype=str, keep_default_na=False)
    annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
    scores = module_scores(genes, membership, annotation, **run)
    enrichment = module_enrichment(genes, membership, annotation)
    # both tables only once both are computed: a failing one leaves neither written
    write_tsv(scores, smk.output.scores)
    write_tsv(enrichment, smk.output.enrichment)
    log.info("module enrichment: %d comparisons x modules", len(enrichment))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
