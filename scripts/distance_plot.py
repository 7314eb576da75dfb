"""Adapter for rule distance_plot: results/samples/distance.tsv -> distance to health figure."""

from modmap.config import select_samples
from modmap.io import read_tsv
from modmap.logs import log_to_file
from modmap.plots import save_figure
from modmap.plots.fingerprint import plot_distance


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    p = smk.params.run
    sheet = read_tsv(smk.input.samples, dtype=str, keep_default_na=False)
    distance = read_tsv(smk.input.distance, dtype={"sample_id": str})
    where = "fingerprints.reference"
    mask = select_samples(sheet, p["reference"], where=where, sheet_path=smk.input.samples)
    fig = plot_distance(
        distance,
        sheet,
        reference=sheet.loc[mask, "sample_id"].tolist(),
        group_by=p["group_by"],
        order_by=p["order_by"],
        subject=p["subject"],
        colour_by=p["colour_by"],
        sd_threshold=p["distance_sd"],
    )
    save_figure(fig, *smk.output)
    log.info("distance to health: %d samples", len(distance))


if __name__ == "__main__":
    main(snakemake)  # noqa: F821
