"""run_job: a failed job reports one line on the terminal and line + traceback in its log."""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from modmap.errors import InputError
from modmap.io import manifest_path, write_tsv
from modmap.logs import log_to_file, naming, read_peak_memory, run_job


def _job(tmp_path: Path, outputs=()) -> SimpleNamespace:
    return SimpleNamespace(
        rule="demo", log=[str(tmp_path / "logs" / "demo.log")], output=list(outputs)
    )


def test_expected_error_is_one_line_on_stderr_and_line_then_traceback_in_the_log(tmp_path, capsys):
    smk = _job(tmp_path)
    (tmp_path / "logs").mkdir()

    def main(smk):
        log_to_file(smk.log[0]).info("started")
        raise InputError("samples.tsv line 4: 'M 6' is not a timepoint.\nUse D1, M1 or M6.")

    with pytest.raises(SystemExit) as exit_info:
        run_job(main, smk)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err == (
        "modmap rule demo: samples.tsv line 4: 'M 6' is not a timepoint. Use D1, M1 or M6. "
        f"(details: {smk.log[0]})\n"
    )
    lines = Path(smk.log[0]).read_text().splitlines()
    assert lines[0].endswith("INFO started")
    assert lines[1] == (
        "ERROR modmap rule demo: samples.tsv line 4: 'M 6' is not a timepoint. Use D1, M1 or M6."
    )
    assert lines[2] == "Traceback (most recent call last):"
    assert lines[-2].startswith("modmap.errors.InputError: samples.tsv line 4")


def test_plain_value_error_counts_as_expected(tmp_path, capsys):
    def main(smk):
        raise ValueError("could not convert string to float: 'abc'")

    with pytest.raises(SystemExit):
        run_job(main, _job(tmp_path))
    assert "could not convert string to float: 'abc'" in capsys.readouterr().err
    assert (tmp_path / "logs" / "demo.log").is_file()  # directory created when missing


def test_unexpected_error_is_reraised_with_its_line_first(tmp_path, capsys):
    def main(smk):
        raise KeyError("feature_id")

    with pytest.raises(KeyError):
        run_job(main, _job(tmp_path))
    err = capsys.readouterr().err
    assert err.startswith("modmap rule demo: unexpected KeyError: 'feature_id'.")
    log = (tmp_path / "logs" / "demo.log").read_text().splitlines()
    assert log[0].startswith("ERROR modmap rule demo: unexpected KeyError")
    assert log[1] == "Traceback (most recent call last):"


def test_manifests_of_a_failed_jobs_outputs_are_removed(tmp_path, capsys):
    out = tmp_path / "results" / "t.tsv"
    write_tsv(pd.DataFrame({"a": [1]}), out)
    assert manifest_path(out).is_file()

    def main(smk):
        raise InputError("bad")

    with pytest.raises(SystemExit):
        run_job(main, _job(tmp_path, [str(out)]))
    assert not manifest_path(out).exists()


def test_success_writes_nothing_extra(tmp_path, capsys):
    smk = _job(tmp_path)
    (tmp_path / "logs").mkdir()
    run_job(lambda s: log_to_file(s.log[0]).info("fine"), smk)
    assert "ERROR" not in Path(smk.log[0]).read_text()
    assert capsys.readouterr().err == ""


def test_a_job_of_several_items_names_the_one_that_failed(tmp_path, capsys):
    """One job drawing several figures: the failing item is in the one line (expected errors,
    same type) or in the traceback's note (unexpected errors); the items before it were made."""
    smk = _job(tmp_path)
    made = []

    def main(smk, bad: BaseException):
        for item in ("IP10", "TRAIL", "SOCS3"):
            with naming(f"figure of analyte {item}"):
                if item == "TRAIL":
                    raise bad
                made.append(item)

    with pytest.raises(SystemExit):
        run_job(lambda s: main(s, InputError("no pair of visits")), smk)
    assert made == ["IP10"]
    assert capsys.readouterr().err.startswith(
        "modmap rule demo: figure of analyte TRAIL: no pair of visits (details: "
    )
    assert (
        "ERROR modmap rule demo: figure of analyte TRAIL: no pair" in Path(smk.log[0]).read_text()
    )
    with pytest.raises(KeyError) as info:
        run_job(lambda s: main(s, KeyError("x")), smk)
    assert info.value.__notes__ == ["while making the figure of analyte TRAIL"]
    assert "while making the figure of analyte TRAIL" in Path(smk.log[0]).read_text()


def _peak(text: str) -> tuple[float, float, float]:
    last = text.splitlines()[-1]
    match = re.search(
        r" INFO peak memory: (\d+\.\d) MB \(resident set high-water mark: "
        r"(\d+\.\d) MB this process, (\d+\.\d) MB its largest child process\)$",
        last,
    )
    assert match, last
    total, own, child = map(float, match.groups())
    assert total == pytest.approx(own + child, abs=0.11)
    return total, own, child


def test_a_successful_job_ends_its_log_with_its_peak_memory(tmp_path):
    """Planted truth: the job fills 300 MB it frees before the end; the peak still counts it."""
    smk = _job(tmp_path)
    (tmp_path / "logs").mkdir()

    def main(smk):
        log_to_file(smk.log[0]).info("fine")
        block = np.ones(300 * 2**20 // 8)  # written: resident, not only reserved
        del block

    run_job(main, smk)
    text = Path(smk.log[0]).read_text()
    assert text.splitlines()[0].endswith("INFO fine")
    total, own, _ = _peak(text)
    assert own >= 300
    assert read_peak_memory(smk.log[0]) == total


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_the_peak_memory_counts_a_forked_child(tmp_path):
    """A child forked by the job (as modmap.forks does) fills 200 MB: its own peak is logged."""
    smk = _job(tmp_path)

    def main(smk):
        pid = os.fork()
        if pid == 0:  # the child: touch 200 MB, then leave at once
            np.ones(200 * 2**20 // 8)
            os._exit(0)
        os.waitpid(pid, 0)

    run_job(main, smk)
    _, _, child = _peak(Path(smk.log[0]).read_text())
    assert child >= 200


def test_a_failed_job_logs_no_peak_memory(tmp_path, capsys):
    smk = _job(tmp_path)
    with pytest.raises(SystemExit):
        run_job(lambda s: (_ for _ in ()).throw(InputError("bad")), smk)
    assert "peak memory" not in Path(smk.log[0]).read_text()
    assert read_peak_memory(smk.log[0]) is None
    assert read_peak_memory(tmp_path / "no such.log") is None
