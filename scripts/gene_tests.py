"""Adapter for the gene_tests rules: per-gene tests of a batch of comparisons, one job.

Writes results/genes/{name}.tsv for every comparison of ``params.run["comparisons"]`` (the
outputs, in that order). The expression cache is memory-mapped once for all of them: only the
pages the comparisons' samples touch are read, and no copy of the matrix is made.
"""

from modmap.design import comparison_design
from modmap.io import open_expression, read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.stats import collapse_rows, gene_tests, module_multiplicity


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    run = dict(smk.params.run)
    names = list(run.pop("comparisons"))
    tables = list(smk.output.tables)
    if len(names) != len(tables):
        raise ValueError(f"{len(names)} comparisons for {len(tables)} output tables")
    comparisons = read_tsv(smk.input.comparisons, dtype=str, keep_default_na=False)
    # Every comparison's design first: a bad one stops the job (naming it) before any reading.
    designs = [comparison_design(comparisons, name) for name in names]
    expression = open_expression(smk.input.expression)
    if smk.input.get("collapsed"):  # bridge.collapse: mean
        collapsed = read_tsv(smk.input.collapsed, dtype=str, keep_default_na=False)
        expression = collapse_rows(expression, collapsed)
    members = None
    if smk.input.get("membership"):  # statistics.fdr_over: module_members
        membership = read_tsv(smk.input.membership, dtype=str, keep_default_na=False)
        members = module_multiplicity(membership)
    results = {}
    for name, design, path in zip(names, designs, tables, strict=True):
        results[path] = gene_tests(
            expression,
            design,
            comparison=name,
            threads=smk.threads,
            fdr_members=members,
            **run,
        )
    # Tables only once every comparison is computed: a failing one leaves none written.
    for path, table in results.items():
        write_tsv(table, path)
    log.info("%d comparison table(s) written", len(results))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
