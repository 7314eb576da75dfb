"""Adapter for rule gene_tests: per-gene tests of one comparison -> results/genes/{name}.tsv."""

from modmap.design import comparison_design
from modmap.io import read_expression, read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.stats import gene_tests


def main(smk) -> None:
    log_to_file(smk.log[0])
    name = smk.wildcards.comparison
    comparisons = read_tsv(smk.input.comparisons, dtype=str, keep_default_na=False)
    design = comparison_design(comparisons, name)
    samples = list(dict.fromkeys(design["sample_id"]))
    expression = read_expression(smk.input.expression, samples=samples)
    table = gene_tests(expression, design, comparison=name, threads=smk.threads, **smk.params.run)
    write_tsv(table, smk.output.table)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
