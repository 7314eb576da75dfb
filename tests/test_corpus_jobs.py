"""Corpus of broken inputs and broken intermediates through the real workflow (issue 11).

Each case breaks a private copy of the toy workflow in one way and runs Snakemake only as far as
the earliest stage that must catch it: a dry run for the config checks made at parse time, the
validate job for the matrix checks, the job that reads a damaged intermediate for the manifest
checks. Every case asserts that

* the terminal shows ONE line naming the file / key and the value, without a Python traceback,
  and the failed job's log starts its failure with that line, followed by the traceback;
* nothing in results/ looks complete when it is not: every table and expression cache left has a
  manifest that matches it, no temporary file of an interrupted write is left, and the failed
  rule's outputs do not exist.

Cases on damaged intermediates start from a copy of the session's toy run (``toy_run``).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from conftest import load_config, run_snakemake, write_config

from modmap.io import file_sha256

pytestmark = pytest.mark.e2e

TABLE_SUFFIXES = (".tsv", ".arrow")


# --------------------------------------------------------------------------------------------
# what every case checks
# --------------------------------------------------------------------------------------------


def _results_are_consistent(workdir: Path, *, damaged: str = "") -> None:
    """No file in results/ looks complete when it is not.

    ``damaged`` is the file a case broke on purpose: it must still be flagged, i.e. differ from
    its manifest, or have none.
    """
    results = workdir / "results"
    if not results.exists():
        return
    for path in results.rglob("*"):
        if not path.is_file() or {"logs", "benchmarks"} & set(path.parts):
            continue
        assert not path.name.startswith("."), f"temporary file left behind: {path}"
        if path.name.endswith(".manifest.json"):
            table = path.with_name(path.name.removesuffix(".manifest.json"))
            assert table.is_file(), f"manifest without its table: {path}"
            info = json.loads(path.read_text())
            matches = info["bytes"] == table.stat().st_size
            if info["sha256"] is not None:  # the expression cache is checked by size, rows, columns
                matches = matches and info["sha256"] == file_sha256(table)
            assert matches != (table == workdir / damaged), table
        elif path.suffix in TABLE_SUFFIXES and path != workdir / damaged:
            assert path.with_name(path.name + ".manifest.json").is_file(), f"no manifest: {path}"


def _one_line(output: str, rule: str | None, *needles: str) -> str:
    """The output has exactly one modmap error line containing every needle, no traceback."""
    prefix = f"modmap rule {rule}:" if rule else None
    lines = [
        line
        for line in output.splitlines()
        if (prefix and line.startswith(prefix)) or (not prefix and "InputError" in line)
    ]
    if prefix is None:  # parse time: Snakemake prints "InputError in file ..., line N:" + message
        index = output.splitlines().index(lines[0])
        lines = [output.splitlines()[index + 1]]
    assert len(lines) == 1, output[-4000:]
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    assert "Traceback (most recent call last)" not in output, output[-4000:]
    assert "empty file" not in output  # Snakemake's "Logfile ...: empty file"
    return lines[0]


def _log_has_failure(workdir: Path, log: str, line: str) -> None:
    """The job's log holds the failure: the one line (after ERROR), then the traceback."""
    text = (workdir / log).read_text()
    first = text.index("ERROR modmap rule ")
    failure = text[first:].splitlines()
    assert failure[0] == f"ERROR {line.split(' (details: ')[0]}", (failure[0], line)
    assert failure[1] == "Traceback (most recent call last):", text[-2000:]


# --------------------------------------------------------------------------------------------
# the corpus
# --------------------------------------------------------------------------------------------


@dataclass
class Case:
    """One broken input: how to break the workflow copy and what must be said."""

    id: str
    breaks: Callable[[Path], None]
    needles: tuple[str, ...]
    rule: str | None = None  # None: caught at parse time (dry run)
    target: str = ""
    from_toy_run: bool = False
    absent: tuple[str, ...] = ()  # outputs that must not exist afterwards
    absent_globs: tuple[str, ...] = field(default=())
    damaged: str = ""  # the intermediate the case damages (it stays, flagged by its manifest)


def _edit_config(edit: Callable[[dict], None]) -> Callable[[Path], None]:
    def breaks(workdir: Path) -> None:
        config = load_config(workdir)
        edit(config)
        write_config(workdir, config)

    return breaks


def _rename_top(config: dict) -> None:
    config["heatmap"] = config.pop("heatmaps")


def _set(path: str, value) -> Callable[[dict], None]:
    def edit(config: dict) -> None:
        node = config
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return edit


def _delete(path: str) -> Callable[[dict], None]:
    def edit(config: dict) -> None:
        node = config
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return edit


def _sheet_with_unarrayed_sample(workdir: Path) -> None:
    path = workdir / "config" / "samples.tsv"
    sheet = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    extra = sheet[sheet["group"] == "healthy"].iloc[[0]].copy()
    extra["sample_id"] = "HC_NOT_ARRAYED"
    pd.concat([sheet, extra]).to_csv(path, sep="\t", index=False)


def _matrix(edit: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    def breaks(workdir: Path) -> None:
        source = workdir / "resources" / "toy" / "expression.tsv.gz"
        with gzip.open(source, "rt") as handle:
            matrix = pd.read_csv(handle, sep="\t", dtype=str, keep_default_na=False)
        edit(matrix).to_csv(workdir / "config" / "broken.tsv", sep="\t", index=False)
        config = load_config(workdir)
        config["expression"]["path"] = "config/broken.tsv"
        write_config(workdir, config)

    return breaks


def _text_cell(matrix: pd.DataFrame) -> pd.DataFrame:
    matrix.iloc[41, 5] = "7,2"
    return matrix


def _duplicated_feature(matrix: pd.DataFrame) -> pd.DataFrame:
    matrix.iloc[10, 0] = matrix.iloc[3, 0]
    return matrix


def _cut_in_half(relative: str, *, touch: bool = True) -> Callable[[Path], None]:
    def breaks(workdir: Path) -> None:
        path = workdir / relative
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
        if touch:  # as an interrupted copy would: newer than everything made from it
            now = time.time() + 5
            os.utime(path, (now, now))

    return breaks


def _drop_manifest(relative: str) -> Callable[[Path], None]:
    def breaks(workdir: Path) -> None:
        (workdir / f"{relative}.manifest.json").unlink()
        now = time.time() + 5
        os.utime(workdir / relative, (now, now))

    return breaks


def _damaged(
    case_id: str,
    damage: Callable[[str], Callable[[Path], None]],
    relative: str,
    needles: tuple[str, ...],
    *,
    rule: str,
    target: str,
) -> Case:
    """A case on the toy run's results: ``damage(relative)`` breaks an intermediate that the
    job of ``rule`` (making ``target``) reads; ``target`` must not exist afterwards."""
    return Case(
        case_id,
        damage(relative),
        needles,
        damaged=relative,
        rule=rule,
        target=target,
        from_toy_run=True,
        absent=(target,),
    )


CASES = [
    # --- config schema, at parse time: key path, value, expectation, closest key ---------------
    Case(
        "top-level-typo",
        _edit_config(_rename_top),
        ("unknown key 'heatmap'", "{'modules': ['M3.1']", "Did you mean 'heatmaps'?"),
    ),
    Case(
        "nested-typo",
        _edit_config(_set("statistics.alpah", 0.01)),
        ("unknown key 'statistics.alpah'", "0.01", "Did you mean 'alpha'?"),
    ),
    Case(
        "wrong-type",
        _edit_config(_set("statistics.alpha", "high")),
        ("'statistics.alpha'", "'high'", "a number"),
    ),
    Case(
        "not-in-enum",
        _edit_config(_set("statistics.test", "ttest")),
        ("'statistics.test'", "'ttest'", "one of 'wilcoxon', 'welch'"),
    ),
    Case(
        "empty-selector-list",
        _edit_config(_set("comparisons.1.case.timepoint", [])),
        ("'comparisons[1].case.timepoint'", "[]"),
    ),
    Case(
        "missing-required",
        _edit_config(_delete("comparisons.2.control")),
        ("required key 'comparisons[2].control' is missing",),
    ),
    # --- a reference that must stop the run before any statistics: parse time ----------------
    Case(
        "heatmap-module-absent",
        _edit_config(_set("heatmaps.modules", ["M9.9"])),
        ("heatmaps.modules", "'M9.9'", "not in the module file resources/toy/modules.tsv"),
    ),
    # --- errors inside the validate job -----------------------------------------------------
    Case(
        "sheet-sample-not-in-matrix",
        _sheet_with_unarrayed_sample,
        ("resources/toy/expression.tsv.gz", "'HC_NOT_ARRAYED'", "results/logs/validate.log"),
        rule="validate",
        target="results/validated/samples.tsv",
        absent=("results/validated/samples.tsv", "results/validated/expression.arrow"),
    ),
    Case(
        "matrix-decimal-comma",
        _matrix(_text_cell),
        ("config/broken.tsv line 43", "'7,2' is not a number"),
        rule="validate",
        target="results/validated/samples.tsv",
        absent=("results/validated/expression.arrow",),
    ),
    Case(
        "matrix-duplicated-feature",
        _matrix(_duplicated_feature),
        ("config/broken.tsv", "appears on lines 5, 12"),
        rule="validate",
        target="results/validated/samples.tsv",
        absent=("results/validated/expression.arrow",),
    ),
    # --- the bridge's check runs before the gene tests --------------------------------------
    Case(
        "heatmap-module-dropped",
        _edit_config(_set("heatmaps.modules", ["M2.9"])),
        ("heatmaps.modules", "'M2.9'", "the bridge dropped it"),
        rule="bridge",
        absent=("results/bridge/bridge.tsv", "results/modules/membership.tsv"),
        absent_globs=("results/genes/*.tsv", "results/modules/scores.tsv", "results/figures/*"),
    ),
    # --- damaged intermediates: never silently wrong ----------------------------------------
    _damaged(
        "gene-table-cut-in-half",
        _cut_in_half,
        "results/genes/placebo_M6.tsv",
        ("results/genes/placebo_M6.tsv", "does not match its manifest", "Delete"),
        rule="module_scores",
        target="results/modules/scores.tsv",
    ),
    _damaged(
        "gene-table-without-manifest",
        _drop_manifest,
        "results/genes/anakinra_M6.tsv",
        ("results/genes/anakinra_M6.tsv", "manifest anakinra_M6.tsv.manifest.json is missing"),
        rule="module_scores",
        target="results/modules/scores.tsv",
    ),
    _damaged(
        "membership-cut-in-half",
        _cut_in_half,
        "results/modules/membership.tsv",
        ("results/modules/membership.tsv", "does not match its manifest"),
        rule="module_scores",
        target="results/modules/scores.tsv",
    ),
    _damaged(
        "report-table-cut-in-half",
        _cut_in_half,
        "results/transcripts/counts.tsv",
        ("results/transcripts/counts.tsv", "does not match its manifest"),
        rule="report_tables",  # one job renders every page: it names the one table that is bad
        target="results/report/transcript_counts.html",
    ),
    _damaged(
        "expression-cache-truncated",
        _cut_in_half,
        "results/validated/expression.arrow",
        ("results/validated/expression.arrow", "damaged or incomplete", "--forcerun validate"),
        rule="gene_tests",
        target="results/genes/anakinra_D1.tsv",
    ),
]


def _copy_results(source: Path, workdir: Path) -> None:
    shutil.copytree(source / "results", workdir / "results")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus_case_fails_in_one_line_and_leaves_nothing_partial(case, workdir, request):
    if case.from_toy_run:
        _copy_results(request.getfixturevalue("toy_run"), workdir)
    case.breaks(workdir)
    if case.rule is None:
        proc = run_snakemake(workdir, "-n")
    else:
        proc = run_snakemake(workdir, *([case.target] if case.target else []))
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output[-3000:]
    line = _one_line(output, case.rule, *case.needles)
    if case.rule is None:
        assert len(output.splitlines()) < 15, output  # no schema dump
        assert not (workdir / "results").exists()
    else:
        log = next(
            p for p in line.split("(details: ")[1].rstrip(")").split() if p.startswith("results")
        )
        _log_has_failure(workdir, log, line)
    for relative in case.absent:
        assert not (workdir / relative).exists(), relative
    for pattern in case.absent_globs:
        assert list(workdir.glob(pattern)) == [], pattern
    _results_are_consistent(workdir, damaged=case.damaged)


def test_truncated_cache_rebuilt_as_the_message_says(workdir, toy_run):
    """Following the message (--forcerun validate) rebuilds the cache and the same table."""
    _copy_results(toy_run, workdir)
    _cut_in_half("results/validated/expression.arrow")(workdir)
    target = "results/genes/anakinra_D1.tsv"
    assert run_snakemake(workdir, target).returncode != 0
    # the target first: --forcerun takes several values and would take it for a rule name
    run_snakemake(workdir, target, "--forcerun", "validate", check=True)
    assert (workdir / target).read_bytes() == (toy_run / target).read_bytes()
    cache = "results/validated/expression.arrow"
    assert (workdir / cache).read_bytes() == (toy_run / cache).read_bytes()
    _results_are_consistent(workdir)


def test_toy_run_results_are_consistent(toy_run):
    """The clean run itself: every table has a matching manifest, no temporary file."""
    _results_are_consistent(toy_run)
    manifests = list((toy_run / "results").rglob("*.manifest.json"))
    assert len(manifests) >= 15
