"""Adapter for rule fingerprint_plot: results/modules/samples.tsv -> the fingerprint grid."""

from modmap.config import select_samples
from modmap.io import read_tsv
from modmap.logs import log_to_file
from modmap.plots import save_figure
from modmap.plots.fingerprint import fingerprint_columns, plot_fingerprints


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    p = smk.params.run
    sheet = read_tsv(smk.input.samples, dtype=str, keep_default_na=False)
    fingerprints = read_tsv(smk.input.fingerprints, dtype={"sample_id": str, "module_id": str})
    annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
    where = "fingerprints.reference"
    mask = select_samples(sheet, p["reference"], where=where, sheet_path=smk.input.samples)
    columns = fingerprint_columns(
        sheet,
        reference=sheet.loc[mask, "sample_id"].tolist(),
        group_by=p["group_by"],
        order_by=p["order_by"],
        show_reference=p["show_reference"],
    )
    fig = plot_fingerprints(fingerprints, columns, annotation, cutoff=p["cutoff"])
    save_figure(fig, *smk.output)
    log.info("fingerprint grid: %d samples in %d groups", len(columns), columns["group"].nunique())


if __name__ == "__main__":
    main(snakemake)  # noqa: F821
