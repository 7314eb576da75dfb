"""Adapter for rule lab_figure: trajectories of one lab variable."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, run_job
from modmap.plots import save_figure
from modmap.plots.trajectories import plot_trajectories


def main(smk) -> None:
    log_to_file(smk.log[0])
    text = {"variable": str, "group": str, "subject_id": str, "visit": str}
    values = read_tsv(smk.input.values, dtype=text, keep_default_na=False, na_values=[""])
    summary = read_tsv(smk.input.summary, dtype=text, keep_default_na=False, na_values=[""])
    variable = smk.wildcards.variable
    fig = plot_trajectories(
        values,
        summary,
        variable=variable,
        visits=smk.params.run["visits"],
        log_scale=variable in smk.params.run["log_scale"],
    )
    save_figure(fig, *smk.output)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
