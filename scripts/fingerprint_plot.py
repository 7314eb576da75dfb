"""Adapter for rule fingerprint_plot: results/modules/samples.tsv -> the fingerprint grid."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots import save_figure
from modmap.plots.fingerprint import fingerprint_figure


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    sheet = read_tsv(smk.input.samples, dtype=str, keep_default_na=False)
    fingerprints = read_tsv(smk.input.fingerprints, dtype={"sample_id": str, "module_id": str})
    annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
    fig = fingerprint_figure(fingerprints, sheet, annotation, **smk.params.run)
    save_figure(fig, *smk.output)
    log.info("fingerprint grid: %d samples", fingerprints["sample_id"].nunique())


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
