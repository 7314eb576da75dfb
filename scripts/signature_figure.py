"""Adapter for rule signature_figure: module x comparison status grid of the core signature."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots import save_figure
from modmap.plots.signature import plot_signature_grid


def main(smk) -> None:
    log_to_file(smk.log[0])
    status = read_tsv(
        smk.input.status,
        dtype={"module_id": str, "comparison": str},
        keep_default_na=False,
        na_values=[""],
    )
    counts = read_tsv(smk.input.counts, dtype={"comparison": str})
    fig = plot_signature_grid(status, counts, **smk.params.run)
    save_figure(fig, *smk.output)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
