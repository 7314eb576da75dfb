"""Adapter for rule distance_plot: results/samples/distance.tsv -> distance to health figure."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots import save_figure
from modmap.plots.fingerprint import distance_figure


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    sheet = read_tsv(smk.input.samples, dtype=str, keep_default_na=False)
    distance = read_tsv(smk.input.distance, dtype={"sample_id": str})
    fig = distance_figure(distance, sheet, **smk.params.run)
    save_figure(fig, *smk.output)
    log.info("distance to health: %d samples", len(distance))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
