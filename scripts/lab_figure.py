"""Adapter for rule lab_figure: trajectories of every lab variable, one figure each."""

from modmap.io import read_tsv
from modmap.logs import log_to_file, naming, run_job
from modmap.plots import save_figure
from modmap.plots.trajectories import plot_trajectories


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    text = {"variable": str, "group": str, "subject_id": str, "visit": str}
    values = read_tsv(smk.input.values, dtype=text, keep_default_na=False, na_values=[""])
    summary = read_tsv(smk.input.summary, dtype=text, keep_default_na=False, na_values=[""])
    variables = [str(v) for v in smk.params.variables]
    for variable, pdf, png in zip(variables, smk.output.pdf, smk.output.png, strict=True):
        with naming(f"figure of lab variable {variable}"):
            fig = plot_trajectories(
                values,
                summary,
                variable=variable,
                visits=smk.params.run["visits"],
                log_scale=variable in smk.params.run["log_scale"],
            )
            save_figure(fig, pdf, png)
        log.info("lab figure %s", variable)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
