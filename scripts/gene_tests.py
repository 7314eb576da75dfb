"""Adapter for rule gene_tests: per-gene tests of one comparison -> results/genes/{name}.tsv."""

from modmap.design import comparison_design
from modmap.io import read_expression, read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.stats import collapse_rows, gene_tests, module_multiplicity


def main(smk) -> None:
    log_to_file(smk.log[0])
    name = smk.wildcards.comparison
    comparisons = read_tsv(smk.input.comparisons, dtype=str, keep_default_na=False)
    design = comparison_design(comparisons, name)
    # Cases, then controls (each in design order): the kernel gathers two contiguous column
    # blocks of the column-major frame. The column order does not change any result.
    by_role = design.sort_values("role", kind="stable")  # "case" < "control"
    samples = list(dict.fromkeys(by_role["sample_id"]))
    expression = read_expression(smk.input.expression, samples=samples)
    if smk.input.get("collapsed"):  # bridge.collapse: mean
        collapsed = read_tsv(smk.input.collapsed, dtype=str, keep_default_na=False)
        expression = collapse_rows(expression, collapsed)
    members = None
    if smk.input.get("membership"):  # statistics.fdr_over: module_members
        membership = read_tsv(smk.input.membership, dtype=str, keep_default_na=False)
        members = module_multiplicity(membership)
    table = gene_tests(
        expression,
        design,
        comparison=name,
        threads=smk.threads,
        fdr_members=members,
        **smk.params.run,
    )
    write_tsv(table, smk.output.table)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
