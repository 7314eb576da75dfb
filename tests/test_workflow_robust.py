"""Resume after a crash, reproducible bytes, and a report that user strings cannot inject into.

* ``kill -9`` in the middle of a run, then the documented ``make run``: the stale lock is removed
  and the run resumes to exactly the bytes of a clean run (the session's ``toy_run``).
* Two clean runs give identical bytes for everything in results/ except logs, benchmarks and
  the report's runtime fields: the run of the ``kill -9`` test (its own directory, every file made
  by a fresh process) against the session's ``toy_run``, so the suite runs the pipeline once
  for both.
* Hostile comparison labels (RST directives, ``</script>``, markup characters) end up in the
  report as text only.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, copy_workflow, load_config, run_snakemake, write_config

pytestmark = pytest.mark.e2e

SKIP_DIRS = {"logs", "benchmarks"}


def _tree(workdir: Path) -> dict[str, bytes]:
    """Every file of results/ (hidden ones included) but logs, benchmarks and the report."""
    root = workdir / "results"
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and not SKIP_DIRS & set(p.relative_to(root).parts)
        and p.name != "report.html"
    }


def _same_tree(ours: Path, clean: Path) -> None:
    a, b = _tree(ours), _tree(clean)
    assert sorted(a) == sorted(b)
    differ = [name for name in a if a[name] != b[name]]
    assert differ == []
    assert len(a) > 40


# --------------------------------------------------------------------------------------------
# resume after kill -9; two clean runs, same bytes
# --------------------------------------------------------------------------------------------

RUNTIME_BLOCKS = ("runtimes", "timeline")


def _report_without_runtime(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for block in RUNTIME_BLOCKS:
        text, n = re.subn(
            rf'<script id="{block}">.*?</script>', f"<{block}/>", text, count=1, flags=re.S
        )
        assert n == 1, block
    return text


@pytest.fixture(scope="module")
def resumed(tmp_path_factory) -> dict:
    """A second clean run of the toy pipeline in its own directory, killed with ``kill -9`` in
    the middle and finished by ``make run``; returns what the steps showed.

    Every file of its results/ is made by a fresh process of this run (the killed one or the
    resumed one), so it is also the second clean run that the session's ``toy_run`` is compared
    with. Read-only for the tests; the assertions are in the tests, each of which fails on its own.
    """
    wd = copy_workflow(tmp_path_factory.mktemp("resume") / "wf")
    shutil.copy2(REPO / "Makefile", wd / "Makefile")
    run = subprocess.Popen(  # the command make run starts, without --nolock
        [sys.executable, "-m", "snakemake", "--profile", "profiles/default", "--cores", "2"]
        + ["--configfile", "config/config.yaml"],
        cwd=wd,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    genes = wd / "results" / "genes"
    deadline = time.time() + 600
    ended_early = False
    while time.time() < deadline and len(list(genes.glob("*.tsv"))) < 2:
        if run.poll() is not None:
            ended_early = True
            break
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)  # the main process and its running job, at once
    run.wait()
    locks = wd / ".snakemake" / "locks"
    lock_left = locks.is_dir() and any(locks.iterdir())
    scores_made = (wd / "results" / "modules" / "scores.tsv").exists()

    # Snakemake without the unlock step fails on the lock: the problem is real (neither a dry
    # run nor a run with nothing to do takes the lock; scores.tsv is not made yet)
    locked = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", "results/modules/scores.tsv"]
        + ["--configfile", "config/config.yaml"],
        cwd=wd,
        capture_output=True,
        text=True,
    )
    # the documented path: make run (the venv is the one running the tests)
    made = subprocess.run(
        ["make", "-o", ".venv/.modmap-installed", "run", f"BIN={Path(sys.executable).parent}"],
        cwd=wd,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return {
        "wd": wd,
        "ended_early": ended_early,
        "lock_left": lock_left,
        "scores_made": scores_made,
        "locked": locked,
        "make_run": made,
    }


def test_kill_9_mid_run_then_make_run_resumes_to_the_clean_bytes(resumed, toy_run):
    wd = resumed["wd"]
    assert not resumed["ended_early"], "the run ended before it could be killed"
    assert resumed["lock_left"], "a killed run leaves its lock"
    assert not resumed["scores_made"], "killed too late"
    locked = resumed["locked"]
    assert locked.returncode != 0 and "cannot be locked" in locked.stdout + locked.stderr
    output = resumed["make_run"].stdout + resumed["make_run"].stderr
    assert resumed["make_run"].returncode == 0, output[-4000:]
    assert "removed the stale lock" in output
    locks = wd / ".snakemake" / "locks"
    assert not locks.exists() or not any(locks.iterdir())
    _same_tree(wd, toy_run)
    assert (wd / "results" / "report.html").stat().st_size > 100_000


def test_two_clean_runs_give_the_same_bytes(resumed, toy_run):
    """The run of ``resumed`` (its own directory, fresh processes) against the session's run."""
    wd = resumed["wd"]
    assert resumed["make_run"].returncode == 0, resumed["make_run"].stderr[-4000:]
    _same_tree(wd, toy_run)
    assert (wd / "results" / "figures" / "module_map.svg").read_bytes() == (
        toy_run / "results" / "figures" / "module_map.svg"
    ).read_bytes()
    ours = _report_without_runtime(wd / "results" / "report.html")
    clean = _report_without_runtime(toy_run / "results" / "report.html")
    assert ours == clean


# --------------------------------------------------------------------------------------------
# hostile labels in the report
# --------------------------------------------------------------------------------------------

HOSTILE = [
    ".. include:: /etc/passwd",
    "x\n\n.. raw:: html\n\n   <script>alert('raw')</script>\n",
    "</script><script>alert(1)</script>",
    "`code`_ and |sub| and _target",
    "*bold* **x",
    "pipe | under_score_",
    "back\\slash",
    ".. image:: /etc/passwd",
    "M1 vs D1 <b>paired</b> & more",
]


class _Scripts(HTMLParser):
    """Counts the <script> elements as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str | None] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "script":
            self.ids.append(dict(attrs).get("id"))


def _scripts(text: str) -> list[str | None]:
    parser = _Scripts()
    parser.feed(text)
    return parser.ids


def _block(text: str, name: str, var: str):
    start = text.index(f'<script id="{name}">')
    start = text.index(f"var {var} = ", start) + len(f"var {var} = ")
    return json.loads(text[start : text.index("</script>", start)].strip().rstrip(";"))


def test_hostile_labels_reach_the_report_as_text_only(tmp_path, toy_run):
    wd = copy_workflow(tmp_path / "wf")
    shutil.copytree(toy_run / "results", wd / "results")
    shutil.copytree(toy_run / ".snakemake" / "metadata", wd / ".snakemake" / "metadata")
    config = load_config(wd)
    for comparison, label in zip(config["comparisons"], HOSTILE, strict=True):
        comparison["label"] = label
    write_config(wd, config)
    # only the figures (whose params and captions carry the labels) are redrawn
    run_snakemake(
        wd,
        "--rerun-triggers",
        "mtime",
        "--forcerun",
        "module_figures",
        check=True,
    )
    run_snakemake(wd, "--report", "results/report.html", check=True)
    text = (wd / "results" / "report.html").read_text(encoding="utf-8")
    clean = (toy_run / "results" / "report.html").read_text(encoding="utf-8")

    # no element was added: the same <script> elements as the clean report, in the same order
    assert _scripts(text) == _scripts(clean)
    assert "System Message" not in text and "system-message" not in text
    passwd = Path("/etc/passwd")
    if passwd.is_file():
        first = passwd.read_text().splitlines()[0]
        assert first not in text
    # every label is in the module map's caption as escaped text, whitespace collapsed
    results = _block(text, "results", "results")
    caption = results["results/figures/module_map.png"]["caption"]
    for label in HOSTILE:
        shown = html.escape(" ".join(label.split()), quote=False)
        assert f"<em>{shown}</em>" in caption, shown
    for name in ("module_dots.png", "heatmap_M3.1.png"):
        assert "<em>.. include:: /etc/passwd</em>" in results[f"results/figures/{name}"]["caption"]
    # the job params shown by the report cannot close their <script> element
    for result in results.values():
        assert "<" not in result["job_properties"]["params"]
    assert "<script>alert" not in text.replace("&lt;script&gt;alert", "")
