"""Adapter for rule kaplan_meier_figure: the Kaplan-Meier curve with its median."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots import save_figure
from modmap.plots.survival import plot_kaplan_meier


def main(smk) -> None:
    log_to_file(smk.log[0])
    curve = read_tsv(smk.input.curve)
    median = float(read_tsv(smk.input.median)["median_days"].iloc[0])
    fig = plot_kaplan_meier(curve, median=median, **smk.params.run)
    save_figure(fig, *smk.output)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
