"""Adapter for rule analyte_figure: paired dot-and-line figure of every analyte, one figure each."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, naming, run_job
from modmap.plots import save_figure
from modmap.plots.paired import plot_paired


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    text = {"analyte": str, "group": str, "subject_id": str, "source": str}
    pairs = read_tsv(smk.input.pairs, dtype=text, keep_default_na=False, na_values=[""])
    tests = read_tsv(smk.input.tests, dtype=text, keep_default_na=False, na_values=[""])
    analytes = [str(a) for a in smk.params.analytes]
    for analyte, pdf, png in zip(analytes, smk.output.pdf, smk.output.png, strict=True):
        with naming(f"figure of analyte {analyte}"):
            fig = plot_paired(pairs, tests, analyte=analyte, **smk.params.run)
            save_figure(fig, pdf, png)
        log.info("analyte figure %s", analyte)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
