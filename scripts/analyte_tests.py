"""Adapter for rule analyte_tests: paired tests of analytes and genes -> results/analytes/."""

from modmap.io import read_expression, read_tsv, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.longitudinal import analyte_analysis


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    run = smk.params.run
    table = None
    if "analytes" in smk.input.keys():
        table = read_tsv(smk.input.analytes, dtype=str, keep_default_na=False)
    samples = read_tsv(smk.input.samples, dtype=str, keep_default_na=False)
    expression = membership = None
    if run["genes"]:
        expression = read_expression(smk.input.expression).reset_index()
        membership = read_tsv(smk.input.membership, dtype=str, keep_default_na=False)
    path = str(smk.input.analytes) if table is not None else "analyte table"
    tests, pairs = analyte_analysis(
        table, expression=expression, samples=samples, membership=membership, path=path, **run
    )
    write_tsv(tests, smk.output.tests)
    write_tsv(pairs, smk.output.pairs)
    log.info("analyte tests: %d rows (%s)", len(tests), run["test"])


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
