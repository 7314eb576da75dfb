"""End to end: the longitudinal stage in a real Snakemake run of the toy cohort plus synthetic
tables with planted truth (tests/longitudinal_synthetic.py); every answer is recomputed here
from the inputs or the upstream result files, never from the stage's own earlier output.

The full-pipeline test starts from a copy of the session's toy run (results and Snakemake's
metadata): the synthetic tables and the changed sections make Snakemake rerun the longitudinal
jobs and the report's tables, and the stages upstream of them, whose inputs and settings are the
toy run's, are not run again. Every check below reads files that this run rewrote (or, for the
transcript sets, whose settings are the toy's, recounts them from the per-gene tables).
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import load_config, run_snakemake, write_config
from longitudinal_synthetic import analyte_table, longitudinal_config, patients, write_tables
from scipy import stats

pytestmark = pytest.mark.e2e


def _read(wd, path, **kw):
    return pd.read_csv(wd / path, sep="\t", **kw)


def _configure(wd, **changes):
    paths = write_tables(wd)
    cfg = load_config(wd)
    cfg.update(longitudinal_config(paths))
    for key, value in changes.items():
        cfg[key] = value
    write_config(wd, cfg)
    return cfg


def _spots(scores):
    up, down = scores["pct_up"], scores["pct_down"]
    value = np.where(up > down, up, np.where(down > up, -down, 0.0))
    return pd.Series(value, index=pd.MultiIndex.from_frame(scores[["comparison", "module_id"]]))


def test_every_longitudinal_output_on_planted_tables(workdir, toy_run):
    shutil.copytree(toy_run / "results", workdir / "results")
    shutil.copytree(toy_run / ".snakemake" / "metadata", workdir / ".snakemake" / "metadata")
    cfg = _configure(workdir)
    run_snakemake(workdir, check=True)
    run_snakemake(workdir, "--report", "results/report.html", check=True)
    wd = workdir

    # 1. signature: recount from scores.tsv with the map's rule (|dominant %| >= 15)
    spots = _spots(_read(wd, "results/modules/scores.tsv"))
    a, p = spots["anakinra_D1"], spots["placebo_D1"]
    core = [m for m in a.index if abs(a[m]) >= 15 and abs(p[m]) >= 15 and a[m] * p[m] > 0]
    got_core = _read(wd, "results/modules/core_signature.tsv")
    assert list(dict.fromkeys(got_core["module_id"])) == core
    counts = _read(wd, "results/modules/signature_counts.tsv").set_index("comparison")
    for comp in ("responders_M6", "nonresponders_M6", "placebo_M6"):
        v = spots[comp][core]
        normalised = int((v.abs() < 15).sum())
        assert counts.loc[comp, "n_normalised"] == normalised
        assert counts.loc[comp, "summary"].startswith(f"{normalised}/{len(core)} normalised")
    # planted: responders normalise most, non-responders and placebo few
    assert counts.loc["responders_M6", "n_normalised"] >= 0.7 * len(core)
    assert counts.loc["placebo_M6", "n_normalised"] <= 0.2 * len(core)

    # 2. analytes: the textbook paired t on the synthetic table, per arm
    tests = _read(wd, "results/analytes/tests.tsv").set_index(["analyte", "group"])
    samples = pd.read_csv(wd / "config" / "samples.tsv", sep="\t", dtype=str)
    table = analyte_table(samples)
    arms = patients(samples).set_index("subject_id")["arm"]
    for (analyte, arm), row in tests.drop(index="SOCS3", level=0).iterrows():
        sub = table[table["analyte"] == analyte].pivot(
            index="subject_id", columns="visit", values="value"
        )
        sub = sub[sub.index.map(arms) == arm].dropna()
        d = (sub["M6"] - sub["D1"]).to_numpy()
        t = d.mean() / (d.std(ddof=1) / np.sqrt(d.size))
        assert row["n_pairs"] == d.size
        assert row["statistic"] == pytest.approx(t, rel=1e-10)
        assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(t), d.size - 1), rel=1e-8)
    assert tests.loc[("IP10", "anakinra"), "p_value"] < 0.001  # planted rise
    assert tests.loc[("IP10", "placebo"), "p_value"] > 0.05
    assert {"SOCS3"} <= set(tests.index.get_level_values(0))
    log = (wd / "results/logs/longitudinal/analyte_tests.log").read_text()
    last = arms[arms == "anakinra"].index[-1]
    assert f"left out: {last}" in log  # the unpaired subject, stated

    # 3. labs: planted crp fall (x 1/4 per visit) in every anakinra subject -> V = 0 exact
    labs = _read(wd, "results/labs/summary.tsv").set_index(["variable", "group", "visit"])
    n = int((arms == "anakinra").sum())
    row = labs.loc[("crp", "anakinra", "M6")]
    assert (row["n_pairs"], row["statistic"], row["method"]) == (n, 0, "exact")
    assert row["p_value"] == pytest.approx(2 / 2**n)
    d1 = [40 + 3 * i for i, s in enumerate(arms.index) if arms[s] == "anakinra"]
    assert labs.loc[("crp", "anakinra", "D1"), "median"] == pytest.approx(np.median(d1))
    for var in ("crp", "saa", "esr"):
        assert (wd / f"results/figures/labs/{var}.png").stat().st_size > 0

    # 4. survival: median (5 + 7) / 2 by hand (tests/longitudinal_synthetic.py)
    assert _read(wd, "results/survival/median.tsv").iloc[0].tolist() == [10, 8, 2, 6.0]

    # 5. transcripts: recount from the per-gene tables
    genes = {c: _read(wd, f"results/genes/{c}.tsv") for c in ("anakinra_M1", "placebo_M1")}
    changed = {
        c: set(g.loc[(g["p_value"] < 0.05) & g["direction"].isin(["up", "down"]), "feature_id"])
        for c, g in genes.items()
    }
    want = changed["anakinra_M1"] - changed["placebo_M1"]
    got = _read(wd, "results/transcripts/sets/anakinra_not_placebo_M1.tsv")
    assert set(got["feature_id"]) == want and len(got) == len(want)
    tc = _read(wd, "results/transcripts/counts.tsv").set_index("comparison")
    assert tc.loc["anakinra_M1", "n_changed"] == len(changed["anakinra_M1"])

    # the report has the section and the counts
    report = (wd / "results/report.html").read_text(errors="replace")
    assert "5. Longitudinal" in report
    for subcategory in (
        "Signature normalisation",
        "Paired analyte",
        "Lab endpoints",
        "Time to flare",
        "5. Transcripts",
    ):
        assert subcategory in report
    assert "<strong>Normalisation of the core signature.</strong>" in report  # the caption
    assert (
        cfg["signature"]["follow"][0]
        in _read(wd, "results/modules/signature_counts.tsv")["comparison"].tolist()
    )


SECTIONS = ("signature", "analytes", "labs", "survival", "transcripts")


def test_config_without_the_sections_runs_as_before(workdir):
    cfg = load_config(workdir)
    for name in SECTIONS:
        cfg.pop(name, None)
    write_config(workdir, cfg)
    proc = run_snakemake(workdir, "-n", check=True)
    assert "rule module_figures:" in proc.stdout  # the listing names the jobs it would run
    for rule in (
        "signature",
        "analyte_tests",
        "labs",
        "kaplan_meier",
        "longitudinal_figures",
        "transcripts",
    ):
        assert f"rule {rule}:" not in proc.stdout


def _job_outputs(listing: str, rule: str) -> list[str]:
    """The output files of the one job of ``rule`` in a dry run's listing."""
    block = listing.split(f"rule {rule}:", 1)[1].split("\n\n", 1)[0]
    line = next(x for x in block.splitlines() if x.strip().startswith("output:"))
    return [f.strip() for f in line.split("output:", 1)[1].split(",")]


def test_one_figure_job_draws_the_figures_of_the_sections_that_are_on(workdir):
    # only survival and labs on: the job has the Kaplan-Meier files and one PDF + PNG per lab
    # variable of the config, and no analyte figure
    cfg = _configure(workdir)
    cfg.pop("analytes")
    write_config(workdir, cfg)
    proc = run_snakemake(workdir, "-n", "--forceall", check=True)
    outputs = _job_outputs(proc.stdout, "longitudinal_figures")
    want = [
        f"results/figures/labs/{v}.{x}" for x in ("pdf", "png") for v in cfg["labs"]["variables"]
    ]
    want += ["results/figures/kaplan_meier.pdf", "results/figures/kaplan_meier.png"]
    assert sorted(outputs) == sorted(want)
    assert proc.stdout.count("rule longitudinal_figures:") == 1


def test_followed_comparison_that_does_not_exist_stops_before_anything_runs(workdir):
    cfg = _configure(workdir)
    cfg["signature"]["follow"] = ["responders_M7"]
    write_config(workdir, cfg)
    proc = run_snakemake(workdir)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "signature.follow names 'responders_M7'" in out
    assert not (workdir / "results").exists()


def test_non_positive_value_on_a_log_axis_fails_the_rule_with_nothing_written(workdir):
    _configure(workdir)
    path = workdir / "resources/longitudinal/clinical.tsv"
    table = pd.read_csv(path, sep="\t", dtype=str)
    table.loc[4, "crp"] = "0"
    table.to_csv(path, sep="\t", index=False)
    proc = run_snakemake(workdir, "results/labs/summary.tsv")
    assert proc.returncode != 0
    log = (workdir / "results/logs/longitudinal/labs.log").read_text()
    assert f"crp = 0 for subject {table.loc[4, 'subject_id']}" in proc.stderr + log
    assert not (workdir / "results/labs/summary.tsv").exists()
    assert not (workdir / "results/labs/values.tsv").exists()
