"""Adapter for rule module_scores: gene tables + module membership -> results/modules/scores.tsv."""

from modmap.io import read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.stats import module_scores


def main(smk) -> None:
    log_to_file(smk.log[0])
    run = dict(smk.params.run)
    genes = {
        name: read_tsv(path, dtype={"feature_id": str}, keep_default_na=False, na_values=[""])
        for name, path in zip(run.pop("comparisons"), smk.input.genes, strict=True)
    }
    membership = read_tsv(smk.input.membership, dtype=str, keep_default_na=False)
    annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
    scores = module_scores(genes, membership, annotation, **run)
    write_tsv(scores, smk.output.scores)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
