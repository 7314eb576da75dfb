"""Adapter for rule analyte_figure: paired dot-and-line figure of one analyte."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots import save_figure
from modmap.plots.paired import plot_paired


def main(smk) -> None:
    log_to_file(smk.log[0])
    text = {"analyte": str, "group": str, "subject_id": str, "source": str}
    pairs = read_tsv(smk.input.pairs, dtype=text, keep_default_na=False, na_values=[""])
    tests = read_tsv(smk.input.tests, dtype=text, keep_default_na=False, na_values=[""])
    fig = plot_paired(pairs, tests, analyte=smk.wildcards.analyte, **smk.params.run)
    save_figure(fig, *smk.output)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
