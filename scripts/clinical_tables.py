"""Adapter for rule clinical_tables: clinical inputs (+ the raw sample sheet for Table 1 rows
read from it) + response.tsv -> Tables 1-3."""

from modmap.clinical import read_table
from modmap.clinical.tables import trial_tables
from modmap.io import read_sample_sheet, write_tsv
from modmap.logs import log_to_file, run_job


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    events = smk.input.get("adverse_events")
    followup = smk.input.get("followup")
    sheet = smk.input.get("samples")
    tables = trial_tables(
        read_table(smk.input.clinical),
        read_sample_sheet(smk.input.response),
        clinical_path=smk.input.clinical,
        raw_events=read_table(events) if events else None,
        events_path=events or "",
        raw_followup=read_table(followup) if followup else None,
        followup_path=followup or "",
        raw_sheet=read_sample_sheet(sheet) if sheet else None,
        sheet_path=sheet or "",
        **smk.params.run,
    )
    for name, table in tables.items():
        write_tsv(table, smk.output[name])
        log.info("%s: %d rows", smk.output[name], len(table))


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
