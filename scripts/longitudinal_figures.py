"""Adapter for rule longitudinal_figures: the lab, analyte and Kaplan-Meier figures of the run.

One interpreter draws every figure of the sections that are on (``params.run`` has a keyword
dict per kind: ``lab_figure``, ``analyte_figure``, ``kaplan_meier_figure``); each table is read
once.
"""

from modmap.io import read_tsv
from modmap.logs import log_to_file, naming, run_job
from modmap.plots import save_figure


def _read(path, text):
    return read_tsv(path, dtype=text, keep_default_na=False, na_values=[""])


def lab_figures(smk, run, log) -> None:
    """Trajectories of every lab variable, one figure each."""
    from modmap.plots.trajectories import plot_trajectories

    text = {"variable": str, "group": str, "subject_id": str, "visit": str}
    values = _read(smk.input.lab_values, text)
    summary = _read(smk.input.lab_summary, text)
    variables = [str(v) for v in smk.params.variables]
    out = smk.output
    for variable, pdf, png in zip(variables, out.lab_pdf, out.lab_png, strict=True):
        with naming(f"figure of lab variable {variable}"):
            fig = plot_trajectories(
                values,
                summary,
                variable=variable,
                visits=run["visits"],
                log_scale=variable in run["log_scale"],
            )
            save_figure(fig, pdf, png)
        log.info("lab figure %s", variable)


def analyte_figures(smk, run, log) -> None:
    """Paired dot-and-line figure of every analyte, one figure each."""
    from modmap.plots.paired import plot_paired

    text = {"analyte": str, "group": str, "subject_id": str, "source": str}
    pairs = _read(smk.input.analyte_pairs, text)
    tests = _read(smk.input.analyte_tests, text)
    analytes = [str(a) for a in smk.params.analytes]
    out = smk.output
    for analyte, pdf, png in zip(analytes, out.analyte_pdf, out.analyte_png, strict=True):
        with naming(f"figure of analyte {analyte}"):
            fig = plot_paired(pairs, tests, analyte=analyte, **run)
            save_figure(fig, pdf, png)
        log.info("analyte figure %s", analyte)


def kaplan_meier_figure(smk, run, log) -> None:
    """The Kaplan-Meier curve with its median."""
    from modmap.plots.survival import plot_kaplan_meier

    with naming("Kaplan-Meier figure"):
        curve = read_tsv(smk.input.km_curve)
        median = float(read_tsv(smk.input.km_median)["median_days"].iloc[0])
        fig = plot_kaplan_meier(curve, median=median, **run)
        save_figure(fig, smk.output.km_pdf, smk.output.km_png)
    log.info("Kaplan-Meier figure")


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    # each kind of figure (a key of params.run) and the function drawing it
    draw = {
        "lab_figure": lab_figures,
        "analyte_figure": analyte_figures,
        "kaplan_meier_figure": kaplan_meier_figure,
    }
    for kind, run in smk.params.run.items():
        draw[kind](smk, run, log)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
