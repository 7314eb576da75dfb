"""Config of the longitudinal stage: off by default, defaults, targets, escaped captions."""

from __future__ import annotations

import pytest
from docutils.core import publish_parts
from docutils.writers.html5_polyglot import Writer

from modmap.errors import InputError
from modmap.longitudinal.options import (
    analytes_run,
    check_longitudinal,
    labs_run,
    longitudinal_targets,
    names_pattern,
    section,
)
from modmap.rst import rst_text

BASE = {
    "comparisons": [{"name": "a_D1"}, {"name": "p_D1"}],
    "module_map": {"core_signature": ["a_D1", "p_D1"]},
    "statistics": {"alpha": 0.05, "threshold_on": "p_value", "exact_with_ties": False},
}


def test_off_by_default():
    check_longitudinal(BASE)
    assert longitudinal_targets(BASE) == []
    for name in ("signature", "analytes", "labs", "survival", "transcripts"):
        assert section(BASE, name) is None


def test_defaults_are_applied_and_targets_listed(tmp_path):
    table = tmp_path / "clinical.tsv"
    table.write_text("subject_id\tvisit\n")
    cfg = {**BASE, "labs": {"path": str(table)}, "analytes": {"genes": ["SOCS3"]}}
    check_longitudinal(cfg)
    run = labs_run(cfg)
    assert run["visits"] == ["D1", "M1", "M6"] and run["baseline"] == "D1"
    assert run["log_scale"] == ["saa", "crp", "ferritin"]
    assert analytes_run(cfg)["test"] == "paired_t"
    targets = longitudinal_targets(cfg)
    assert "results/figures/labs/prednisone_mg_kg_day.png" in targets
    assert "results/figures/analytes/SOCS3.pdf" in targets
    assert "results/analytes/tests.tsv" in targets


@pytest.mark.parametrize(
    ("section_name", "value", "message"),
    [
        ("labs", {"path": "nope.tsv"}, "labs.path: file 'nope.tsv' does not exist"),
        ("survival", {"path": "nope.tsv"}, "survival.path: file 'nope.tsv' does not exist"),
        ("analytes", {"genes": ["A", "A"]}, "A listed twice"),
        ("analytes", {"analytes": ["IP10"]}, "analytes.path is null"),
        ("analytes", {"genes": ["X"], "visit": "D1"}, "baseline and visit are both 'D1'"),
        ("signature", {"follow": []}, "signature.follow is empty"),
    ],
)
def test_bad_sections_are_one_error(section_name, value, message):
    with pytest.raises(InputError, match=message):
        check_longitudinal({**BASE, section_name: value})


def test_labs_baseline_and_log_scale_checked(tmp_path):
    table = tmp_path / "t.tsv"
    table.write_text("x\n")
    with pytest.raises(InputError, match="labs.baseline 'M3' is not one of labs.visits"):
        check_longitudinal({**BASE, "labs": {"path": str(table), "baseline": "M3"}})
    with pytest.raises(InputError, match="labs.log_scale names il6, not in labs.variables"):
        check_longitudinal({**BASE, "labs": {"path": str(table), "log_scale": ["il6"]}})


def test_rst_escaped_labels_print_as_written():
    label = "*Anakinra* _M6_ `x` |sub| <b>&"
    html = publish_parts(f"Label: {rst_text(label)}.", writer=Writer())["body"]
    assert "*Anakinra* _M6_ `x` |sub| &lt;b&gt;&amp;" in html
    assert "<em>" not in html and "<b>" not in html


def test_names_pattern_matches_exactly():
    import re

    pattern = names_pattern(["IP10", "HLA-DRB1.x"])
    assert re.fullmatch(pattern, "HLA-DRB1.x") and not re.fullmatch(pattern, "HLA-DRB1ax")
    assert not re.fullmatch(names_pattern([]), "")


def test_every_longitudinal_rule_dict_binds_to_its_library_call():
    """The toy config's dicts, as the workflow builds them, bind to the scripts' calls."""
    import copy
    import inspect
    from pathlib import Path

    import yaml
    from snakemake.utils import validate

    from modmap import settings
    from modmap.longitudinal import (
        analyte_analysis,
        lab_analysis,
        signature_tables,
        transcript_results,
    )
    from modmap.plots.paired import plot_paired
    from modmap.plots.signature import plot_signature_grid
    from modmap.plots.survival import plot_kaplan_meier

    repo = Path(__file__).resolve().parents[1]
    config = yaml.safe_load((repo / "config" / "config.yaml").read_text())
    validate(config, str(repo / "workflow" / "schemas" / "config.schema.yaml"))
    params = settings.rule_params(copy.deepcopy(config))

    def binds(func, run, given=()):
        sig = inspect.signature(func).parameters
        assert set(run) <= set(sig), (func.__name__, set(run) - set(sig))
        required = {n for n, p in sig.items() if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
        assert required <= set(run) | set(given), (func.__name__, required - set(run))

    binds(signature_tables, params["signature"])
    binds(plot_signature_grid, params["signature_figure"])
    # scripts/longitudinal_figures.py: one keyword dict per kind of figure
    figures = params["longitudinal_figures"]
    assert set(figures) == {"lab_figure", "analyte_figure", "kaplan_meier_figure"}
    binds(
        analyte_analysis,
        params["analyte_tests"],
        given={"expression", "samples", "membership", "path"},
    )
    binds(plot_paired, figures["analyte_figure"], given={"analyte"})
    binds(lab_analysis, params["labs"], given={"samples", "path"})
    binds(plot_kaplan_meier, figures["kaplan_meier_figure"], given={"median"})
    binds(transcript_results, params["transcripts"], given={"membership"})
    # scripts/longitudinal_figures.py reads these two keys of the lab figures
    assert set(figures["lab_figure"]) == {"visits", "log_scale"}
