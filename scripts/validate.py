"""Adapter for rule validate: check the matrix against the sample sheet, write the cache."""

from modmap.clinical import merge_responders
from modmap.design import check_sample_sheet, resolve_comparisons
from modmap.io import atomic_path, read_sample_sheet, write_expression, write_tsv
from modmap.logs import log_to_file, run_job
from modmap.readers import read_matrix
from modmap.validate import prepare_expression, resolve_headers


def main(smk) -> None:
    log = log_to_file(smk.log[0])
    run = smk.params.run
    sheet_path, matrix_path = smk.input.samples, smk.input.expression
    sheet = check_sample_sheet(
        read_sample_sheet(sheet_path), path=sheet_path, id_column=run["id_column"]
    )
    if run.get("responder"):  # the clinical stage's derived responder column
        sheet = merge_responders(
            sheet,
            read_sample_sheet(smk.input.responders),
            sheet_path=sheet_path,
            clinical_path=run["clinical_path"],
            **run["responder"],
        )
    resolved = resolve_comparisons(
        sheet, run["comparisons"], sheet_path=sheet_path, min_group_size=run["min_group_size"]
    )
    read = read_matrix(matrix_path, threads=smk.threads)
    for note in read.notes:
        log.info(note)
    header, note = resolve_headers(
        read.header,
        sheet,
        policy=run["duplicate_headers"],
        path=matrix_path,
        sheet_path=sheet_path,
    )
    read.values.columns = header[1:]
    if note:
        log.info(note)
    matrix, warnings = prepare_expression(
        read.values,
        sample_ids=list(sheet["sample_id"]),
        path=matrix_path,
        scale=run["scale"],
        offset=run["offset"],
        first_line=read.first_line or 2,
        collapse=run["collapse"],
    )
    warnings = resolved.warnings + warnings
    for warning in warnings:
        log.warning(warning)
    summary = [
        f"expression: {matrix_path} ({read.kind}): {matrix.shape[0]} features x "
        f"{matrix.shape[1]} samples",
        f"samples: {sheet_path}: {len(sheet)} samples",
        *(
            f"comparison {name}: {(g.role == 'case').sum()} case, {(g.role == 'control').sum()} "
            f"control samples"
            for name, g in resolved.table.groupby("comparison", sort=False)
        ),
        *(f"warning: {w}" for w in warnings),
    ]
    log.info("\n".join(summary))
    write_expression(matrix, smk.output.expression)
    write_tsv(sheet, smk.output.samples)
    write_tsv(resolved.table, smk.output.comparisons)
    with atomic_path(smk.output.report) as tmp:
        tmp.write_text("\n".join(summary) + "\n", encoding="utf-8")


if __name__ == "__main__":
    run_job(main, snakemake)  # noqa: F821
