"""Adapter for rule sample_figures: the fingerprint grid and the distance-to-health figure.

Both figures of the per-sample stage are drawn by one interpreter: they read the same tables.
"""

from modmap.io import read_tsv
from modmap.logs import log_to_file, naming, run_job
from modmap.plots import save_figure
from modmap.plots.fingerprint import distance_figure, fingerprint_figure


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    run, out = smk.params.run, smk.output
    sheet = read_tsv(smk.input.samples, dtype=str, keep_default_na=False)
    with naming("fingerprint grid"):
        fingerprints = read_tsv(smk.input.fingerprints, dtype={"sample_id": str, "module_id": str})
        annotation = read_tsv(smk.input.annotation, dtype=str, keep_default_na=False)
        fig = fingerprint_figure(fingerprints, sheet, annotation, **run["fingerprints"])
        save_figure(fig, out.fingerprints_pdf, out.fingerprints_png)
    log.info("fingerprint grid: %d samples", fingerprints["sample_id"].nunique())
    with naming("distance to health figure"):
        distance = read_tsv(smk.input.distance, dtype={"sample_id": str})
        fig = distance_figure(distance, sheet, **run["distance"])
        save_figure(fig, out.distance_pdf, out.distance_png)
    log.info("distance to health: %d samples", len(distance))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
