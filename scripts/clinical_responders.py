"""Adapter for rule clinical_responders: response.tsv -> responders.tsv (one row per subject)."""

from modmap.clinical import check_clinical, derive_responders, read_table
from modmap.io import read_sample_sheet, write_tsv
from modmap.logs import log_to_file, run_job


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    run = dict(smk.params.run)
    definition, visit = run.pop("definition"), run.pop("visit")
    clinical = check_clinical(read_table(smk.input.clinical), path=smk.input.clinical, **run)
    response = read_sample_sheet(smk.input.response)  # every cell as text, empty = undecided
    responders = derive_responders(
        response,
        list(dict.fromkeys(clinical["subject_id"])),
        definition=definition,
        visit=visit,
    )
    log.info("%s at %s: %s", definition, visit, responders["responder"].value_counts().to_dict())
    write_tsv(responders, smk.output.responders)


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
