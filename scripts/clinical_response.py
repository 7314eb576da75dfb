"""Adapter for rule clinical_response: clinical table -> response.tsv and flares.tsv."""

from modmap.clinical import evaluate, read_table
from modmap.io import write_tsv
from modmap.logs import log_to_file, run_job


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    path = smk.input.clinical
    result = evaluate(read_table(path), path=path, **smk.params.run)
    log.info(
        "%s: %d subjects, %d rows; %d assessed visits, %d flare assessments",
        path,
        len(result.subjects),
        len(result.clinical),
        len(result.response),
        len(result.flares),
    )
    write_tsv(result.response, smk.output.response)
    write_tsv(result.flares, smk.output.flares)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
