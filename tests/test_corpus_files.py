"""A corpus of bad files (issue 11 section 2 and the first two items of section 3): each one gives
ONE line naming the file (and the line where there is one), the value and the fix, at the
earliest stage that must catch it, and leaves nothing in results/.

Most cases call the library entry points the workflow calls (the readers, the checks of the
validate stage, the config-file check of ``make run``); a few go through the real workflow, at
parse time (``snakemake -n``) or up to the validate job.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from conftest import load_config, run_snakemake, write_config

from modmap.configfile import load_config_file
from modmap.design import check_sample_sheet
from modmap.errors import InputError
from modmap.io import read_sample_sheet
from modmap.readers import read_matrix
from modmap.validate import prepare_expression, resolve_headers

MATRIX = "ID\tS1\tS2\tS3\nf1\t1.5\t2\t3\nf2\t4\t5\t6\n"
SHEET = "sample_id\tgroup\tsex\nS1\tcase\tF\nS2\tcase\tM\nS3\tcontrol\tF\n"


def _validate(path: Path, sheet_text: str = SHEET, *, policy="error"):
    """What the validate job does with a matrix: read, name the samples, check and subset."""
    sheet_path = path.parent / "sheet.tsv"
    sheet_path.write_text(sheet_text)
    sheet = check_sample_sheet(read_sample_sheet(sheet_path), path=str(sheet_path))
    read = read_matrix(path)
    header, note = resolve_headers(
        read.header, sheet, policy=policy, path=str(path), sheet_path=str(sheet_path)
    )
    read.values.columns = header[1:]
    matrix, warnings = prepare_expression(
        read.values,
        sample_ids=list(sheet["sample_id"]),
        path=str(path),
        first_line=read.first_line or 2,
    )
    return matrix, warnings + read.notes + ([note] if note else [])


def _sheet(path: Path):
    """What the workflow does with a sample sheet at parse time."""
    return check_sample_sheet(read_sample_sheet(path), path=str(path))


def _big_gzip(lines: int = 100_000) -> bytes:
    body = "".join(f"f{i}\t{i}.25\t{i}.5\t{i}.75\n" for i in range(lines))
    return gzip.compress(("ID\tS1\tS2\tS3\n" + body).encode())


def _truncated_series_matrix(path: Path) -> None:
    rows = "".join(f'"f{i}"\t{i}.25\t{i}.5\n' for i in range(100_000))
    text = (
        '!Series_title\t"x"\n!Sample_geo_accession\t"S1"\t"S2"\n!series_matrix_table_begin\n'
        f'"ID_REF"\t"S1"\t"S2"\n{rows}!series_matrix_table_end\n'
    )
    data = gzip.compress(text.encode())
    path.write_bytes(data[: len(data) // 2])


def _xlsx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")


def _two_member_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.tsv", MATRIX)
        archive.writestr("b.tsv", MATRIX)


# (case id, file name, content (text, bytes or a writer), entry point, expected fragments)
BAD: list[tuple[str, str, object, Callable, list[str]]] = [
    ("matrix_0_bytes", "m.tsv", "", _validate, ["is empty (0 bytes)"]),
    ("sheet_0_bytes", "s.tsv", "", _sheet, ["sample sheet file is empty (0 bytes)"]),
    (
        "truncated_gzip_large",
        "m.tsv.gz",
        _big_gzip()[:150_000],
        _validate,
        ["gzip stream is cut short", "download it again"],
    ),
    (
        "truncated_gzip_small",
        "m.tsv.gz",
        gzip.compress(MATRIX.encode())[:-6],
        _validate,
        ["gzip stream is cut short"],
    ),
    (
        "semicolons_decimal_commas",
        "m.csv",
        "ID;S1;S2;S3\nf1;1,5;2,25;3\nf2;4;5,5;6\n",
        _validate,
        ["line 2, column 2", "'1,5'", "decimal comma", "'.' decimals"],
    ),
    (
        "decimal_comma_after_the_sniffed_lines",
        "m.tsv",
        "ID\tS1\tS2\tS3\n" + "".join(f"f{i}\t1.5\t2\t3\n" for i in range(80)) + "g\t1\t2,5\t3\n",
        _validate,
        ["line 82", "feature 'g'", "'2,5' is not a number", "decimal comma"],
    ),
    (
        "matrix_header_not_utf8",
        "m.tsv",
        "ID\tS1\tS\xe92\tS3\nf1\t1\t2\t3\n".encode("latin-1"),
        _validate,
        ["line 1, character 8", "0xE9", "Save the file as UTF-8"],
    ),
    (
        "sheet_not_utf8",
        "s.tsv",
        "sample_id\tgroup\nS1\tcontr\xf4le\n".encode("latin-1"),
        _sheet,
        ["line 2, character 9", "0xF4", "UTF-8"],
    ),
    (
        "matrix_ragged_extra_field",
        "m.tsv",
        "ID\tS1\tS2\tS3\nf1\t1\t2\t3\nf2\t4\t5\t6\t7\n",
        _validate,
        ["line 3: 5 fields where the header has 4"],
    ),
    (
        "sheet_ragged_extra_field",
        "s.tsv",
        SHEET + "S4\tcase\tF\textra\n",
        _sheet,
        ["line 5: 4 fields where the header has 3"],
    ),
    (
        "sheet_short_row",
        "s.tsv",
        "sample_id\tgroup\tsex\tage\nS1\tcase\tF\t3\nS2\tcase\nS3\tcontrol\tF\t5\n",
        _sheet,
        ["line 3: 2 of the header's 4 fields", "'sex' onwards missing"],
    ),
    (
        "sheet_repeated_column",
        "s.tsv",
        "sample_id\tgroup\tgroup\nS1\ta\tb\n",
        _sheet,
        ["column 'group' appears twice", "columns 2 and 3"],
    ),
    (
        "matrix_header_no_rows",
        "m.tsv",
        "ID\tS1\tS2\tS3\n",
        _validate,
        ["has a header but no feature rows"],
    ),
    (
        "matrix_duplicated_symbols",
        "m.tsv",
        "ID\tS1\tS2\tS3\nTP53\t1\t2\t3\nMX1\t1\t2\t3\nTP53\t4\t5\t6\n",
        _validate,
        ["feature ID 'TP53' appears on lines 2, 4", "bridge.collapse"],
    ),
    (
        "matrix_repeated_headers",
        "m.tsv",
        "ID\tcase\tcase\tcontrol\nf1\t1\t2\t3\n",
        _validate,
        ["'case' appears twice (columns 2 and 3)", "duplicate_headers: sheet_order"],
    ),
    (
        "geo_soft_file",
        "GSE1_family.soft",
        "^DATABASE = GeoMiame\n!Database_name = Gene Expression Omnibus (GEO)\n",
        _validate,
        ["GEO SOFT file", "series matrix"],
    ),
    ("xlsx_workbook", "m.tsv", _xlsx, _validate, ["Excel workbook", "tab-separated text"]),
    ("zip_two_tables", "m.zip", _two_member_zip, _validate, ["exactly one table", "2 file(s)"]),
    (
        "series_matrix_truncated_gzip",
        "GSE1_series_matrix.txt.gz",
        _truncated_series_matrix,
        _validate,
        ["gzip stream is cut short"],
    ),
    (
        "series_matrix_cut_short",
        "GSE1_series_matrix.txt",
        '!Series_title\t"x"\n!Sample_geo_accession\t"S1"\n!series_matrix_table_begin\n'
        '"ID_REF"\t"S1"\n"f1"\t1\n',
        _validate,
        ["no !series_matrix_table_end line", "cut short"],
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "entry", "fragments"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_bad_file_gives_one_clear_line(tmp_path, name, content, entry, fragments):
    path = tmp_path / name
    if callable(content):
        content(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(InputError) as caught:
        entry(path)
    message = str(caught.value)
    assert "\n" not in message, message
    assert message.startswith(str(path)), message  # names the file first
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_the_good_corpus_matrix_reads_as_typed(tmp_path):
    # Guard for the corpus itself: without a fault the same entry point reads the values.
    path = tmp_path / "m.tsv"
    path.write_text(MATRIX)
    matrix, warnings = _validate(path)
    np.testing.assert_array_equal(matrix.to_numpy(), [[1.5, 2, 3], [4, 5, 6]])
    assert list(matrix.columns) == ["S1", "S2", "S3"] and warnings == []


def test_plain_text_named_gz_is_read_and_the_truth_logged(tmp_path):
    path = tmp_path / "m.tsv.gz"
    path.write_text(MATRIX)
    matrix, warnings = _validate(path)
    assert matrix.shape == (2, 3)
    assert f"{path}: named .gz but the content is plain text; read as what it is." in warnings


def test_empty_feature_ids_are_skipped_with_their_count(tmp_path):
    path = tmp_path / "m.tsv"
    path.write_text("ID\tS1\tS2\tS3\nf1\t1\t2\t3\n\t9\t9\t9\nf2\t4\t5\t6\n  \t9\t9\t9\n")
    matrix, warnings = _validate(path)
    assert list(matrix.index) == ["f1", "f2"]
    assert f"{path}: 2 row(s) with an empty feature ID in the first column are skipped" in (
        " ".join(warnings)
    )
    assert "line(s) 3, 5" in " ".join(warnings)


def test_repeated_headers_are_named_through_the_sheet_order(tmp_path):
    path = tmp_path / "m.tsv"
    path.write_text("ID\tcase\tcase\tcontrol\nf1\t1\t2\t3\nf2\t4\t5\t6\n")
    matrix, warnings = _validate(path, policy="sheet_order")
    # Oracle: the k-th matrix column is the k-th sheet sample (S1, S2 case; S3 control).
    assert list(matrix.columns) == ["S1", "S2", "S3"]
    assert matrix.loc["f2"].tolist() == [4.0, 5.0, 6.0]
    assert any("its column 'group' repeats the headers" in w for w in warnings)


def test_repeated_headers_in_another_order_than_the_sheet_are_refused(tmp_path):
    path = tmp_path / "m.tsv"
    path.write_text("ID\tcontrol\tcase\tcase\nf1\t1\t2\t3\n")
    with pytest.raises(InputError, match="no column of .* repeats the matrix headers"):
        _validate(path, policy="sheet_order")


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("", ["is empty"]),
        ("# only a comment\n\n", ["is empty (or only comments)"]),
        (
            "expression:\n  path: m.tsv\n  scale: [log2\nsamples: {}\n",
            ["line 4, column 8", "not valid YAML", "starts on line 3"],
        ),
        ("expression:\n\tpath: m.tsv\n", ["line 2", "not valid YAML", "spaces (not tabs)"]),
        ("- a\n- b\n", ["top level of a config must be keys", "found a list"]),
    ],
    ids=["empty", "comments_only", "unclosed_bracket", "tab_indent", "a_list"],
)
def test_bad_config_file_names_the_line(tmp_path, text, fragments):
    path = tmp_path / "my.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_config_file(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message, message


def test_labels_with_dollars_are_drawn_as_plain_text(tmp_path):
    from matplotlib.mathtext import MathTextParser
    from test_plots_module_map import planted_scores

    from modmap.plots import plot_module_dots, plot_module_map, save_figure

    label = r"cost $\frac{$ and 5$"
    with pytest.raises(ValueError):  # the case is real: mathtext cannot parse it
        MathTextParser("path").parse(r"$\frac{$")
    scores, annotation = planted_scores()
    annotation["title"] = r"title $x^{$"
    labels = {c: label for c in scores["comparison"].unique()}
    for plot, suffixes in ((plot_module_map, ("png", "pdf", "svg")), (plot_module_dots, ("png",))):
        fig = plot(scores, annotation, labels=labels)
        save_figure(fig, *(tmp_path / f"{plot.__name__}.{s}" for s in suffixes))
        texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        assert any(label in t for t in texts), texts  # drawn as written, "$" included
    svg = (tmp_path / "plot_module_map.svg").read_text()
    assert "cost $\\frac{$ and 5$" in svg


def test_label_dollars_in_the_heatmap(tmp_path):
    from test_plots_heatmap import cohort

    from modmap.design import heatmap_columns
    from modmap.plots import plot_module_heatmap, save_figure

    samples, comp, expr, memb, ann, genes = cohort()
    ann["title"] = r"Interferon $\frac{$"
    labels = {"c1": r"c1 $\frac{$", "c2": "c2 $"}
    cols = heatmap_columns(
        samples, comp, reference={"group": "healthy"}, comparisons=["c1", "c2"], labels=labels
    )
    fig = plot_module_heatmap(expr, cols, memb, ann, genes, module="M3.1", threshold_on="p_value")
    save_figure(fig, tmp_path / "h.png", tmp_path / "h.pdf")
    texts = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    assert r"Interferon $\frac{$" in texts and r"c1 $\frac{$" in texts


# ---------------------------------------------------------------- through the real workflow


def _no_results(workdir: Path) -> None:
    # The clinical stage reads only the clinical table and runs before validate (which merges its
    # responders into the sample sheet): its tables are complete whatever the matrix holds.
    made = [
        p
        for p in (workdir / "results").rglob("*")
        if p.is_file()
        and not {"logs", "benchmarks", "clinical"} & set(p.parts)
        and not p.name.startswith("clinical_")  # its report pages
    ]
    assert made == [], made


def _line_with(output: str, *fragments: str) -> str:
    """The one output line holding every fragment (the message is one line)."""
    lines = [line for line in output.splitlines() if all(f in line for f in fragments)]
    assert lines, f"no line with {fragments} in:\n{output[-4000:]}"
    return lines[0]


def _use(workdir: Path, key: str, name: str, content: str | bytes) -> str:
    path = workdir / "config" / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    config = load_config(workdir)
    config[key]["path"] = f"config/{name}"
    write_config(workdir, config)
    return f"config/{name}"


@pytest.mark.e2e
def test_workflow_short_sheet_row_is_refused_at_parse_time(workdir):
    sheet = (workdir / "config" / "samples.tsv").read_text().splitlines()
    fields = sheet[5].split("\t")
    sheet[5] = "\t".join(fields[:3])  # 3 of the sheet's fields
    path = _use(workdir, "samples", "short.tsv", "\n".join(sheet) + "\n")
    proc = run_snakemake(workdir, "-n")
    assert proc.returncode != 0
    n = len(sheet[0].split("\t"))
    _line_with(proc.stdout + proc.stderr, path, f"line 6: 3 of the header's {n} fields")
    _no_results(workdir)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("name", "fragment"),
    [("a" * 101, "is too long"), ("anakinra_D1\n", "does not match")],
    ids=["too_long", "trailing_newline"],
)
def test_workflow_comparison_name_is_refused_by_the_schema(workdir, name, fragment):
    config = load_config(workdir)
    config["comparisons"][0]["name"] = name
    config["module_map"]["core_signature"] = []
    config["heatmaps"]["comparisons"] = None
    write_config(workdir, config)
    proc = run_snakemake(workdir, "-n")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert fragment in output and repr(name)[1:-1] in output, output[-3000:]
    _no_results(workdir)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (b"feature_id\tX\n", ["has a header but no feature rows"]),
        (None, ["gzip stream is cut short"]),
    ],
    ids=["header_no_rows", "truncated_gzip"],
)
def test_workflow_bad_matrix_stops_in_validate_with_nothing_left(workdir, content, fragments):
    if content is None:
        full = (workdir / "resources" / "toy" / "expression.tsv.gz").read_bytes()
        content = full[: len(full) // 2]
    elif content.startswith(b"feature_id"):
        header = gzip.decompress(
            (workdir / "resources" / "toy" / "expression.tsv.gz").read_bytes()
        ).split(b"\n", 1)[0]
        content = header + b"\n"
    path = _use(workdir, "expression", "bad_matrix.tsv.gz", content)
    proc = run_snakemake(workdir, "results/validated/validation.txt")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    _line_with(output, path, *fragments)
    assert "module" not in _line_with(output, path, *fragments)  # not blamed on the modules
    _no_results(workdir)
